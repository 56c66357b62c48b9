package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.conv.ConvGeometry;
import googlenet.kernels.conv.WinogradWeights;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceConv2d;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The Winograd F(4×4, 3×3) kernels over random 3×3 stride-1 convolutions — batch 1–3, input and output channels 1–80,
 * four-sided padding 0–2, input 1–40 on each side, bias or not, ReLU or not, output a channel slice with guards — on
 * random floats: {@link Conv2dKernels#createWinograd} (the vector kernel when the Vector API is present) bit for bit
 * equal to {@link Conv2dKernels#createWinogradScalar} (the vector one with the output blocks in 1–3 parts, the scalar one
 * in one: the grouping changes no bits), both within the transform's bound of the NCHW reference
 * (16·ε·100·324·√ic·max|x|·max|w|, see WinogradKernelsTest), and nothing outside the output's blocks written.
 */
class WinogradProperties {
    record Case(int batch, int inChannels, int outChannels, int padTop, int padLeft, int padBottom, int padRight,
                int height, int width, boolean bias, boolean relu, int outBefore, int outAfter, int parts, long dataSeed) {
        ConvGeometry geometry() {
            return new ConvGeometry(inChannels, outChannels, 3, 3, 1, 1, padTop, padLeft, padBottom, padRight, 1, 1, 1);
        }

        @Override
        public String toString() {
            return "n" + batch + " " + inChannels + "→" + outChannels + " pad[" + padTop + "," + padLeft + "," + padBottom
                    + "," + padRight + "] " + height + "×" + width + (bias ? " bias" : "") + (relu ? " relu" : "")
                    + " out-slice[" + outBefore + "|" + outAfter + "] parts " + parts + " data " + dataSeed;
        }
    }

    static Gen<Case> cases() {
        return in -> {
            Draw d = new Draw(in);
            int pt = d.between(0, 2);
            int pl = d.between(0, 2);
            int pb = d.between(0, 2);
            int pr = d.between(0, 2);
            return new Case(d.between(1, 3), d.skewed(1, 24, 80), d.skewed(1, 40, 80), pt, pl, pb, pr,
                    Math.max(d.skewed(1, 12, 40), 3 - pt - pb), Math.max(d.skewed(1, 12, 40), 3 - pl - pr), d.bool(),
                    d.bool(), d.between(0, 2), d.between(0, 2), d.between(1, 3), d.dataSeed());
        };
    }

    @Test
    void vectorEqualsScalarBitwiseAndBothAreWithinTheTransformBound() {
        Properties.qt().forAll(cases()).checkAssert(WinogradProperties::check);
    }

    private static void check(Case c) {
        ConvGeometry g = c.geometry();
        SplittableRandom random = new SplittableRandom(c.dataSeed());
        int oh = g.outHeight(c.height());
        int ow = g.outWidth(c.width());
        float[] x = Harness.floats(random, c.batch() * g.inChannels() * c.height() * c.width(), 1);
        float[] wt = Harness.floats(random, g.outChannels() * g.inChannels() * 9, 1);
        float[] bias = c.bias() ? Harness.floats(random, g.outChannels(), 1) : null;
        float[] expected = new float[c.batch() * g.outChannels() * oh * ow];
        ReferenceConv2d.conv2d(x, c.batch(), g.inChannels(), c.height(), c.width(), wt, bias, g.outChannels(), 3, 3, 1, 1,
                g.padTop(), g.padLeft(), 1, 1, 1, expected, oh, ow);
        if (c.relu()) ReferenceActivations.relu(expected, expected);
        double eps = Math.ulp(1f);
        double bound = 16 * eps * 100 * 324 * Math.sqrt(g.inChannels()) + 4 * eps;

        float[] first = null;
        for (boolean scalar : new boolean[] {false, true}) {
            if (!scalar && !Blocking.VECTOR) continue;
            long bytes = Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), g.inChannels(), c.height(), c.width()),
                    (long) c.batch() * c.height() * c.width(), BlockedTensor.bytes(c.batch(), g.outChannels(), oh, ow),
                    (long) c.batch() * oh * ow);
            try (Harness hs = new Harness(bytes)) {
                WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(wt),
                        bias == null ? null : MemorySegment.ofArray(bias), hs.arena(), scalar ? 1 : c.parts());
                BlockedTensor in = hs.slice(c.batch(), g.inChannels(), c.height(), c.width(), 0, 0);
                BlockedTensor out = hs.slice(c.batch(), g.outChannels(), oh, ow, c.outBefore(), c.outAfter());
                hs.pack(x, in);
                Kernel kernel = scalar ? Conv2dKernels.createWinogradScalar(w, c.relu(), in, out)
                        : Conv2dKernels.createWinograd(w, c.relu(), in, out);
                hs.snapshot(out);
                hs.run(kernel);
                String what = c + " [" + kernel.describe() + "]";
                float[] actual = hs.unpack(out);
                for (int i = 0; i < expected.length; i++) {
                    if (!(Math.abs(expected[i] - actual[i]) <= bound)) {
                        throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]
                                + " (bound " + bound + ")");
                    }
                }
                if (first == null) first = actual;
                else Harness.assertBitwise(first, actual, what + " against the vector kernel");
                hs.checkUntouchedOutside(what);
            }
        }
    }
}
