package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.BlockedLayout;
import googlenet.kernels.layout.ChannelCopy;
import googlenet.kernels.layout.PackInput;
import googlenet.kernels.layout.UnpackOutput;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * NCHW ↔ NCHWc: {@link BlockedLayout}'s pack/unpack round trip, the session's {@link PackInput} and
 * {@link UnpackOutput} kernels, and {@link ChannelCopy} (the copied-concat fallback) at any channel offset — all
 * bitwise, for any floats, with guards around every destination.
 */
class LayoutProperties {

    record Case(int batch, int channels, int height, int width, int before, int after, long dataSeed) {
        @Override
        public String toString() {
            return "n" + batch + " c" + channels + " " + height + "×" + width + " slice[" + before + "|" + after
                    + "] data " + dataSeed;
        }
    }

    static Gen<Case> cases() {
        return in -> {
            Draw d = new Draw(in);
            return new Case(d.between(1, 3), d.skewed(1, 40, 80), d.skewed(1, 8, 20), d.skewed(1, 8, 20),
                    d.between(0, 2), d.between(0, 2), d.dataSeed());
        };
    }

    private static float[] data(Case c) {
        // Any bit pattern but NaN payload games: negative zero, subnormals and infinities included.
        SplittableRandom random = new SplittableRandom(c.dataSeed());
        float[] x = new float[c.batch() * c.channels() * c.height() * c.width()];
        for (int i = 0; i < x.length; i++) {
            float v = Float.intBitsToFloat(random.nextInt());
            x[i] = Float.isNaN(v) ? -0f : v;
        }
        return x;
    }

    /** pack, PackInput and unpack, UnpackOutput: the original bits come back; padding lanes are zero; guards hold. */
    @Test
    void packingRoundTripIsTheIdentity() {
        Properties.qt().forAll(cases()).checkAssert(c -> {
            float[] x = data(c);
            long bytes = 4L * x.length * 2 + Harness.bytesFor(4, 2 * BlockedTensor.bytes(c.batch(), c.channels(), c.height(),
                    c.width()), 2L * c.batch() * c.height() * c.width()) + 4096;
            try (Harness hs = new Harness(bytes)) {
                BlockedTensor viaLayout = hs.slice(c.batch(), c.channels(), c.height(), c.width(), c.before(), c.after());
                BlockedTensor viaKernel = hs.slice(c.batch(), c.channels(), c.height(), c.width(), c.after(), c.before());
                long src = hs.plain(x.length);
                long dst = hs.plain(x.length);
                hs.pack(x, viaLayout);
                hs.writePlain(src, x);
                Harness.assertBitwise(x, hs.unpack(viaLayout), c + " BlockedLayout round trip");

                Kernel pack = PackInput.create(src, viaKernel);
                hs.snapshot(viaKernel);
                hs.run(pack);
                hs.checkUntouchedOutside(c + " [" + pack.describe() + "]");
                Harness.assertBitwise(x, hs.unpack(viaKernel), c + " [" + pack.describe() + "]");

                Kernel unpack = UnpackOutput.create(viaKernel, dst);
                hs.snapshot();
                hs.run(unpack);
                hs.checkUntouchedOutside(c + " [" + unpack.describe() + "]", dst, dst + 4L * x.length);
                Harness.assertBitwise(x, hs.readPlain(dst, x.length), c + " [" + unpack.describe() + "]");
            }
        });
    }

    /**
     * ChannelCopy into channels [k, k + C) of a wider tensor, k any offset: those channels hold the source, every other
     * real channel of the destination keeps its value, padding lanes of the touched blocks are zero, nothing else moves.
     */
    @Test
    void channelCopyWritesExactlyItsChannels() {
        Gen<int[]> layout = in -> {
            Draw d = new Draw(in);
            return new int[] {d.between(0, 40), d.between(0, 40)};
        };
        Properties.qt().forAll(cases(), layout).checkAssert((c, extra) -> {
            int offset = extra[0];
            int dstChannels = offset + c.channels() + extra[1];
            float[] x = data(c);
            SplittableRandom random = new SplittableRandom(c.dataSeed() + 1);
            float[] old = Harness.floats(random, c.batch() * dstChannels * c.height() * c.width(), 9);
            float[] expected = old.clone();
            int hw = c.height() * c.width();
            for (int n = 0; n < c.batch(); n++) {
                System.arraycopy(x, n * c.channels() * hw, expected, (n * dstChannels + offset) * hw, c.channels() * hw);
            }
            for (boolean scalar : new boolean[] {false, true}) {
                long bytes = Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), c.channels(), c.height(), c.width()),
                        (long) c.batch() * hw, BlockedTensor.bytes(c.batch(), dstChannels, c.height(), c.width()),
                        (long) c.batch() * hw);
                try (Harness hs = new Harness(bytes)) {
                    BlockedTensor src = hs.slice(c.batch(), c.channels(), c.height(), c.width(), 0, 0);
                    BlockedTensor dst = hs.slice(c.batch(), dstChannels, c.height(), c.width(), c.before(), c.after());
                    hs.pack(x, src);
                    hs.pack(old, dst);
                    Kernel kernel = scalar ? ChannelCopy.createScalar(src, dst, offset) : ChannelCopy.create(src, dst, offset);
                    hs.snapshot(dst);
                    hs.run(kernel);
                    String what = c + " → " + dstChannels + " channels at offset " + offset + " [" + kernel.describe() + "]";
                    Harness.assertBitwise(expected, hs.unpack(dst), what);
                    hs.checkUntouchedOutside(what);
                }
            }
        });
    }
}
