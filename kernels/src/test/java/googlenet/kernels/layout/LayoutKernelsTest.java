package googlenet.kernels.layout;

import static googlenet.kernels.layout.KernelTestSupport.assertBitwise;
import static googlenet.kernels.layout.KernelTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PackInput, UnpackOutput and ChannelCopy: pure data movement, compared bit for bit. */
class LayoutKernelsTest {

    @ParameterizedTest
    @CsvSource({"1,5,7", "3,5,7", "17,5,7", "24,5,7", "100,5,7", "3,120,101", "1,300,100", "20,41,37"})
    void packInputMatchesBlockedLayout(int c, int h, int w) {
        for (int n : new int[] {1, 3}) {
            float[] x = ints(new Random(c * n), n * c * h * w, -1000, 1000);
            try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) + x.length * 4L + 4096)) {
                long src = s.plain(x.length);
                s.writePlain(src, x);
                BlockedTensor dst = s.slice(n, c, h, w, 1, 1);
                Kernel k = PackInput.create(src, dst);
                assertEquals(0, k.tasks() % (n * dst.blocks()), "tasks split images × blocks further, never across them");
                s.run(k);
                assertBitwise(x, s.unpack(dst), "pack c=" + c);
                s.assertPaddingZero(dst);
                s.assertGuards();
                assertBitwise(x, s.readPlain(src, x.length), "source untouched");
            }
        }
    }

    /**
     * The vector kernel against the scalar twin, bit for bit, for every channel count 1..33 (every tail of a block
     * and of a group of 4 channels), batch 2, widths around the 16-pixel groups, tasks of fewer and of more than 16
     * pixels, and several row chunks per image (the last, a 3-channel 224×224 image as the network packs it).
     */
    @ParameterizedTest
    @CsvSource({"1,1", "1,15", "2,7", "3,5", "1,16", "1,17", "4,31", "5,33", "7,224", "120,101", "224,224"})
    void packInputVectorMatchesScalar(int h, int w) {
        int n = 2;
        for (int c = 1; c <= 33; c++) {
            if (h * w > 10_000 && c != 1 && c != 3 && c != 17) continue; // the big shapes for a few counts
            float[] x = ints(new Random(c * 31 + w), n * c * h * w, -1000, 1000);
            x[0] = Float.NaN;
            x[x.length - 1] = -0f;
            float[][] results = new float[2][];
            for (int v = 0; v < 2; v++) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) + x.length * 4L + 4096)) {
                    long src = s.plain(x.length);
                    s.writePlain(src, x);
                    BlockedTensor dst = s.slice(n, c, h, w, 1, 1);
                    Kernel k = v == 0 ? PackInput.create(src, dst) : PackInput.createScalar(src, dst);
                    assertEquals(v == 1 || !Blocking.VECTOR || Blocking.LANES != 16, k.describe().endsWith("scalar"),
                            k.describe());
                    assertEquals(0, k.tasks() % (n * dst.blocks()), "tasks split images × blocks further");
                    s.run(k);
                    results[v] = rawBlocked(s, dst);
                    assertBitwise(x, s.unpack(dst), k.describe() + " c=" + c);
                    s.assertPaddingZero(dst);
                    s.assertGuards();
                    assertBitwise(x, s.readPlain(src, x.length), "source untouched");
                }
            }
            for (int i = 0; i < results[0].length; i++) {
                if (Float.floatToRawIntBits(results[0][i]) != Float.floatToRawIntBits(results[1][i])) {
                    throw new AssertionError("c=" + c + " " + h + "×" + w + ": vector and scalar differ at " + i);
                }
            }
        }
    }

    /** Every float of {@code t}'s blocks, padding lanes included, in memory order. */
    private static float[] rawBlocked(KernelTestSupport s, BlockedTensor t) {
        int perImage = (int) (t.blocks() * t.blockStride() / Float.BYTES);
        float[] all = new float[t.batch() * perImage];
        for (int n = 0; n < t.batch(); n++) {
            java.lang.foreign.MemorySegment.copy(s.segment(), java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED,
                    t.at(n, 0, 0, 0), all, n * perImage, perImage);
        }
        return all;
    }

    @Test
    void vectorPackRejectsMemoryThatDoesNotHoldItsTensors() {
        BlockedTensor t = BlockedTensor.dense(0, 1, 3, 8, 8);
        long src = BlockedTensor.bytes(1, 3, 8, 8);
        Kernel k = PackInput.create(src, t);
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment small = a.allocate(src + 100);
            if (k.describe().endsWith("vector")) {
                assertThrows(IllegalArgumentException.class, () -> k.run(small, 0));
                assertThrows(IllegalArgumentException.class,
                        () -> k.run(java.lang.foreign.MemorySegment.ofArray(new float[1 << 12]), 0));
            }
        }
    }

    /**
     * Both unpack kernels against the plain tensor that was packed, bit for bit, for every channel count 1..33, batch 2,
     * planes of fewer, exactly and more than 16 pixels; tasks run last to first, so that a store past a partial block's
     * real channels into the next image's planes is not overwritten by that image's own task.
     */
    @ParameterizedTest
    @CsvSource({"1,1", "1,15", "4,4", "1,17", "5,33", "7,7", "14,14", "56,56"})
    void unpackOutputVectorAndScalarGiveThePlainTensor(int h, int w) {
        int n = 2;
        for (int c = 1; c <= 33; c++) {
            if (h * w > 1000 && c != 3 && c != 16 && c != 17 && c != 32) continue;
            float[] x = ints(new Random(c * 17 + w), n * c * h * w, -1000, 1000);
            x[0] = Float.NaN;
            x[x.length - 1] = -0f;
            for (int v = 0; v < 2; v++) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) + x.length * 4L + 4096)) {
                    BlockedTensor src = s.slice(n, c, h, w, 1, 1);
                    long dst = s.plain(x.length);
                    s.pack(x, src);
                    Kernel k = v == 0 ? UnpackOutput.create(src, dst) : UnpackOutput.createScalar(src, dst);
                    assertEquals(v == 1 || !Blocking.VECTOR || Blocking.LANES != 16, k.describe().endsWith("scalar"),
                            k.describe());
                    for (int t = k.tasks() - 1; t >= 0; t--) k.run(s.segment(), t);
                    assertBitwise(x, s.readPlain(dst, x.length), k.describe() + " c=" + c);
                    s.assertGuards();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17, 24, 100, 1000})
    void unpackOutputMatchesBlockedLayout(int c) {
        for (int n : new int[] {1, 3}) {
            int h = c >= 1000 ? 1 : 3, w = c >= 1000 ? 1 : 4;
            float[] x = ints(new Random(c + n), n * c * h * w, -1000, 1000);
            try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) + x.length * 4L + 4096)) {
                BlockedTensor src = s.slice(n, c, h, w, 1, 1);
                long dst = s.plain(x.length);
                s.pack(x, src);
                s.run(UnpackOutput.createScalar(src, dst));
                assertBitwise(x, s.readPlain(dst, x.length), "unpack c=" + c);
                s.assertGuards();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"0, 16, 0", "0, 3, 9", "5, 3, 0", "5, 17, 7", "5, 40, 3", "16, 24, 0", "16, 16, 16", "21, 17, 0",
            "21, 40, 10", "21, 1, 0", "31, 2, 1"})
    void channelCopyPlacesChannelsAndLeavesNeighboursAlone(int k, int c, int extra) {
        int dstChannels = k + c + extra;
        for (int n : new int[] {1, 3}) {
            int h = 3, w = 5;
            float[] x = ints(new Random(k * 100 + c), n * c * h * w, 1, 1000);
            float[] before = ints(new Random(k + c), n * dstChannels * h * w, -1000, -1);
            float[] expected = before.clone();
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    System.arraycopy(x, (b * c + ch) * h * w, expected, (b * dstChannels + k + ch) * h * w, h * w);
                }
            }
            for (boolean vector : new boolean[] {true, false}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c, h, w)
                        + BlockedTensor.bytes(n, dstChannels + 48, h, w) + 4096)) {
                    BlockedTensor src = s.tensor(n, c, h, w);
                    BlockedTensor dst = s.slice(n, dstChannels, h, w, 1, 1);
                    s.pack(x, src);
                    s.pack(before, dst);
                    Kernel kernel = vector ? ChannelCopy.create(src, dst, k) : ChannelCopy.createScalar(src, dst, k);
                    assertEquals(!vector || !Blocking.VECTOR, kernel.describe().endsWith("scalar"));
                    s.run(kernel);
                    assertBitwise(expected, s.unpack(dst), kernel.describe());
                    s.assertPaddingZero(dst);
                    s.assertGuards();
                }
            }
        }
    }

    @Test
    void channelCopyRejectsRangesThatDoNotFit() {
        BlockedTensor src = BlockedTensor.dense(0, 1, 10, 2, 2);
        BlockedTensor dst = BlockedTensor.dense(1 << 12, 1, 20, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> ChannelCopy.create(src, dst, 11));
        assertThrows(IllegalArgumentException.class, () -> ChannelCopy.create(src, dst, -1));
        assertThrows(IllegalArgumentException.class,
                () -> ChannelCopy.create(src, BlockedTensor.dense(1 << 12, 1, 20, 2, 3), 0));
    }

    @Test
    void packAndUnpackRejectOverlap() {
        BlockedTensor t = BlockedTensor.dense(0, 1, 3, 4, 4);
        assertThrows(IllegalArgumentException.class, () -> PackInput.create(64, t));
        assertThrows(IllegalArgumentException.class, () -> UnpackOutput.create(t, 64));
    }
}
