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
