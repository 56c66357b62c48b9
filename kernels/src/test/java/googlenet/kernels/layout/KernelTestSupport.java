package googlenet.kernels.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test scaffolding shared by the kernel tests: a confined arena pre-filled with a guard pattern, tensors placed in it
 * (dense or as a channel-block slice of a larger tensor), packing through {@link BlockedLayout}, running every task,
 * and comparisons in ulps.
 */
public final class KernelTestSupport implements AutoCloseable {
    /** Every byte of fresh memory is 0x7F, so untouched floats read as this value. */
    public static final float GUARD = Float.intBitsToFloat(0x7F7F7F7F);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment segment;
    private long next = 64; // leave a guard zone at the start
    private final List<BlockedTensor> views = new ArrayList<>();
    private final List<long[]> plainRegions = new ArrayList<>();

    public KernelTestSupport(long bytes) {
        segment = arena.allocate(bytes + 128, 64);
        segment.fill((byte) 0x7F);
    }

    public MemorySegment segment() {
        return segment;
    }

    public Arena arena() {
        return arena;
    }

    /** A dense blocked tensor at the next free place. */
    public BlockedTensor tensor(int n, int c, int h, int w) {
        BlockedTensor t = BlockedTensor.dense(next, n, c, h, w);
        next = align(t.end() + 64);
        check();
        views.add(t);
        return t;
    }

    /** Channels {@code c} as blocks {@code [before, before + blocks(c))} of a tensor with {@code after} more blocks. */
    public BlockedTensor slice(int n, int c, int h, int w, int before, int after) {
        int outerChannels = (before + Blocking.blocks(c) + after) * Blocking.LANES;
        BlockedTensor outer = BlockedTensor.dense(next, n, outerChannels, h, w);
        next = align(outer.end() + 64);
        check();
        BlockedTensor view = outer.slice(before, c);
        views.add(view);
        return view;
    }

    /** A plain region of {@code floats} floats; returns its byte offset. */
    public long plain(long floats) {
        long at = next;
        next = align(next + floats * Float.BYTES + 64);
        check();
        plainRegions.add(new long[] {at, at + floats * Float.BYTES});
        return at;
    }

    private void check() {
        if (next > segment.byteSize() - 64) {
            throw new IllegalStateException("test arena too small");
        }
    }

    private static long align(long at) {
        return (at + 63) & ~63L;
    }

    public void pack(float[] nchw, BlockedTensor t) {
        BlockedLayout.pack(nchw, segment, t);
    }

    public float[] unpack(BlockedTensor t) {
        return BlockedLayout.unpack(segment, t);
    }

    public void writePlain(long at, float[] values) {
        MemorySegment.copy(values, 0, segment, FLOAT, at, values.length);
    }

    public float[] readPlain(long at, int count) {
        float[] out = new float[count];
        MemorySegment.copy(segment, FLOAT, at, out, 0, count);
        return out;
    }

    /** Runs every task, in reverse order (tasks must not depend on each other). */
    public void run(Kernel kernel) {
        for (int t = kernel.tasks() - 1; t >= 0; t--) {
            kernel.run(segment, t);
        }
    }

    /** Padding lanes of {@code t}'s last block are zero. */
    public void assertPaddingZero(BlockedTensor t) {
        int c = Blocking.LANES;
        int last = t.blocks() - 1;
        for (int n = 0; n < t.batch(); n++) {
            for (int y = 0; y < t.height(); y++) {
                for (int x = 0; x < t.width(); x++) {
                    for (int lane = t.channels() - last * c; lane < c; lane++) {
                        float v = segment.get(FLOAT, t.at(n, last, y, x) + (long) lane * Float.BYTES);
                        if (Float.floatToRawIntBits(v) != 0) {
                            fail("padding lane " + lane + " at n" + n + " y" + y + " x" + x + " is " + v);
                        }
                    }
                }
            }
        }
    }

    /** Every float outside the placed views' blocks and the plain regions still holds the guard. */
    public void assertGuards() {
        long size = segment.byteSize() & ~3L;
        boolean[] covered = new boolean[(int) (size / Float.BYTES)];
        for (BlockedTensor t : views) {
            for (int n = 0; n < t.batch(); n++) {
                long from = t.at(n, 0, 0, 0);
                long to = from + t.blocks() * t.blockStride();
                for (long b = from; b < to; b += Float.BYTES) {
                    covered[(int) (b / Float.BYTES)] = true;
                }
            }
        }
        for (long[] r : plainRegions) {
            for (long b = r[0]; b < r[1]; b += Float.BYTES) {
                covered[(int) (b / Float.BYTES)] = true;
            }
        }
        for (int i = 0; i < covered.length; i++) {
            if (!covered[i]) {
                int bits = segment.get(ValueLayout.JAVA_INT_UNALIGNED, (long) i * Float.BYTES);
                if (bits != 0x7F7F7F7F) {
                    fail("guard overwritten at byte " + (long) i * Float.BYTES + ": " + Float.intBitsToFloat(bits));
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- data and comparisons ----

    /** Integers in [lo, hi] as floats. */
    public static float[] ints(Random random, int length, int lo, int hi) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = lo + random.nextInt(hi - lo + 1);
        }
        return a;
    }

    /** Uniform floats in [-1, 1). */
    public static float[] floats(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = random.nextFloat() * 2 - 1;
        }
        return a;
    }

    /** Distance in units in the last place (0 for equal bits or both NaN; ±0 are 0 apart). */
    public static long ulps(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) {
            return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        }
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? -(long) (bits & 0x7FFFFFFF) : bits;
    }

    public static void assertBitwise(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i])
                    || (expected[i] == 0f && actual[i] == 0f);
            if (!same) {
                fail(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]);
            }
        }
    }

    /** Every element within {@code maxUlps}; returns the largest distance seen. */
    public static long assertUlps(float[] expected, float[] actual, long maxUlps, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        long worst = 0;
        for (int i = 0; i < expected.length; i++) {
            long d = ulps(expected[i], actual[i]);
            if (d > maxUlps) {
                fail(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i] + " (" + d + " ulp)");
            }
            worst = Math.max(worst, d);
        }
        return worst;
    }
}
