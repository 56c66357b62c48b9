package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.BlockedLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A confined arena for one kernel run: every byte starts as a guard pattern (a quiet NaN, so that a kernel reading a
 * float it should not read shows up as NaN in its result), tensors are placed as channel-block slices of larger
 * tensors with guards between them, and after a run everything outside the kernel's output blocks must be byte for
 * byte what it was before.
 */
final class Harness implements AutoCloseable {
    static final int LANES = Blocking.LANES;
    /** A quiet NaN with a payload no kernel produces. */
    static final int GUARD_BITS = 0x7FC0_5A5A;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final long GAP = 192;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment segment;
    private MemorySegment before;
    private long next = GAP;
    private final List<BlockedTensor> writable = new ArrayList<>();

    Harness(long bytes) {
        segment = arena.allocate(bytes + GAP, 64);
        for (long off = 0; off + Float.BYTES <= segment.byteSize(); off += Float.BYTES) {
            segment.set(ValueLayout.JAVA_INT, off, GUARD_BITS);
        }
    }

    /**
     * Bytes a harness needs for tensors given as (dense bytes, N·H·W pixels) pairs, each placed as a slice with up to
     * {@code extraBlocks} blocks before and after it in all.
     */
    static long bytesFor(int extraBlocks, long... denseBytesAndPixels) {
        long total = 0;
        for (int i = 0; i < denseBytesAndPixels.length; i += 2) {
            total += denseBytesAndPixels[i] + denseBytesAndPixels[i + 1] * extraBlocks * LANES * Float.BYTES + 2 * GAP + 64;
        }
        return total + GAP;
    }

    MemorySegment segment() {
        return segment;
    }

    Arena arena() {
        return arena;
    }

    /**
     * Channels {@code c} as blocks {@code [before, before + blocks(c))} of an N×((before + blocks(c) + after)·c)×H×W
     * tensor (a concat slice when before + after > 0, the dense tensor otherwise).
     */
    BlockedTensor slice(int n, int c, int h, int w, int beforeBlocks, int afterBlocks) {
        int outer = (beforeBlocks + Blocking.blocks(c) + afterBlocks) * LANES;
        BlockedTensor whole = BlockedTensor.dense(next, n, outer, h, w);
        next = align(whole.end() + GAP);
        if (next > segment.byteSize()) throw new IllegalStateException("harness arena too small");
        return whole.slice(beforeBlocks, c);
    }

    /** A plain region of {@code floats} floats; its byte offset. */
    long plain(long floats) {
        long at = next;
        next = align(next + floats * Float.BYTES + GAP);
        if (next > segment.byteSize()) throw new IllegalStateException("harness arena too small");
        return at;
    }

    private static long align(long at) {
        return (at + 63) & ~63L;
    }

    void pack(float[] nchw, BlockedTensor t) {
        BlockedLayout.pack(nchw, segment, t);
    }

    float[] unpack(BlockedTensor t) {
        return BlockedLayout.unpack(segment, t);
    }

    void writePlain(long at, float[] values) {
        MemorySegment.copy(values, 0, segment, FLOAT, at, values.length);
    }

    float[] readPlain(long at, int count) {
        float[] out = new float[count];
        MemorySegment.copy(segment, FLOAT, at, out, 0, count);
        return out;
    }

    /** Remembers every byte, and which views the next kernel may write. */
    void snapshot(BlockedTensor... outputs) {
        before = arena.allocate(segment.byteSize(), 64);
        before.copyFrom(segment);
        writable.clear();
        writable.addAll(List.of(outputs));
    }

    /** Runs every task, last first (no task may depend on another), with one scratch for all, filled with NaN. */
    void run(Kernel kernel) {
        MemorySegment scratch = arena.allocate(Math.max(64, kernel.scratchBytes()), 64);
        for (long at = 0; at < scratch.byteSize(); at += Float.BYTES) scratch.set(FLOAT, at, Float.NaN);
        for (int t = kernel.tasks() - 1; t >= 0; t--) {
            kernel.run(segment, t, scratch);
        }
    }

    /**
     * Every byte outside the blocks of the writable views (plus the extra plain regions given as [from, to) pairs)
     * is unchanged since {@link #snapshot}; padding lanes of each writable view's last block are zero.
     */
    void checkUntouchedOutside(String what, long... plainRanges) {
        long size = segment.byteSize() & ~3L;
        for (long off = 0; off < size; off += Float.BYTES) {
            if (inside(off, plainRanges)) continue;
            int now = segment.get(ValueLayout.JAVA_INT, off);
            int was = before.get(ValueLayout.JAVA_INT, off);
            if (now != was) {
                throw new AssertionError(what + ": byte " + off + " outside the output changed from "
                        + Float.intBitsToFloat(was) + " to " + Float.intBitsToFloat(now));
            }
        }
        for (BlockedTensor t : writable) {
            int last = t.blocks() - 1;
            for (int n = 0; n < t.batch(); n++) {
                for (int p = 0; p < t.height() * t.width(); p++) {
                    for (int lane = t.channels() - last * LANES; lane < LANES; lane++) {
                        long at = t.at(n, last, 0, 0) + ((long) p * LANES + lane) * Float.BYTES;
                        if (segment.get(ValueLayout.JAVA_INT, at) != 0) {
                            throw new AssertionError(what + ": padding lane " + lane + " of image " + n + " pixel " + p
                                    + " is " + segment.get(FLOAT, at) + ", not +0");
                        }
                    }
                }
            }
        }
    }

    private boolean inside(long off, long[] plainRanges) {
        for (BlockedTensor t : writable) {
            for (int n = 0; n < t.batch(); n++) {
                long start = t.at(n, 0, 0, 0);
                if (off >= start && off < start + t.blocks() * t.blockStride()) return true;
            }
        }
        for (int i = 0; i < plainRanges.length; i += 2) {
            if (off >= plainRanges[i] && off < plainRanges[i + 1]) return true;
        }
        return false;
    }

    @Override
    public void close() {
        arena.close();
    }

    // ---- data ----

    /** Integers in [lo, hi] as floats: sums of their products are exact in float32 in any order while below 2^24. */
    static float[] ints(SplittableRandom random, int length, int lo, int hi) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextInt(lo, hi + 1);
        return a;
    }

    /** Uniform floats in [-scale, scale). */
    static float[] floats(SplittableRandom random, int length, double scale) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = (float) random.nextDouble(-scale, scale);
        return a;
    }

    static float[] abs(float[] a) {
        if (a == null) return null;
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Math.abs(a[i]);
        return b;
    }

    // ---- comparisons ----

    static void assertBitwise(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " ≠ " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            boolean same = Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i])
                    || (expected[i] == 0f && actual[i] == 0f);
            if (!same) throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]);
        }
    }

    /** Distance in units in the last place (0 for equal values or both NaN). */
    static long ulps(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        return Math.abs(ordered(a) - ordered(b));
    }

    private static long ordered(float f) {
        int bits = Float.floatToRawIntBits(f);
        return bits < 0 ? -(long) (bits & 0x7FFFFFFF) : bits;
    }

    static void assertUlps(float[] expected, float[] actual, long maxUlps, String what) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " ≠ " + expected.length);
        for (int i = 0; i < expected.length; i++) {
            long d = ulps(expected[i], actual[i]);
            if (d > maxUlps) {
                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i] + " (" + d + " ulp)");
            }
        }
    }

    /**
     * The float-mode bound: {@code |Δ| ≤ c·K·ε·Σ|w·x| + ε·|ref| + tiny}, with {@code magnitude[i] = Σ|w·x|} of output i
     * and K the reduction length. A K-term float sum (with or without FMA) is off by at most (K−1)·ε/2·Σ|terms|; the
     * reference rounds its double result once (ε/2·|ref|); c = 1 leaves a factor 2 of slack.
     */
    static void assertWithinSumBound(float[] expected, float[] actual, float[] magnitude, int reduction, String what) {
        double eps = Math.ulp(1.0f);
        for (int i = 0; i < expected.length; i++) {
            double bound = reduction * eps * magnitude[i] + eps * Math.abs(expected[i]) + Float.MIN_NORMAL;
            double error = Math.abs((double) expected[i] - actual[i]);
            if (!(error <= bound) && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]
                        + " (|Δ| " + error + " > bound " + bound + ", K " + reduction + ")");
            }
        }
    }
}
