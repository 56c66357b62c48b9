package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.conv.ConvGeometry;
import googlenet.kernels.conv.PackedConvWeights;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceConv2d;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The convolution kernels — {@link Conv2dKernels#create} (the Vector API register tiles when the Vector API is
 * present) and {@link Conv2dKernels#createScalar} (its scalar blocked twin) — equal the NCHW reference
 * {@link ReferenceConv2d} over random shapes: batch 1–3, input and output channels 1–80, kernel 1/3/5/7, stride
 * 1/2 on each axis, four-sided padding 0..k/2, input 1–40 on each side (a padded input at least one kernel span),
 * bias or not, fused ReLU or not. The input is a channel slice of a larger tensor half the time, and the output
 * always is one (0–2 guard blocks before and after): every byte outside its blocks must be left alone.
 */
class ConvProperties {
    /** Scalar reference mult-adds one case may cost (keeps the property under a few seconds). */
    private static final long BUDGET = 6_000_000;

    record Case(int batch, int inChannels, int outChannels, int kernel, int strideH, int strideW,
                int padTop, int padLeft, int padBottom, int padRight, int height, int width, boolean bias, boolean relu,
                int inBefore, int inAfter, int outBefore, int outAfter, long dataSeed) {
        ConvGeometry geometry() {
            return new ConvGeometry(inChannels, outChannels, kernel, kernel, strideH, strideW, padTop, padLeft,
                    padBottom, padRight, 1, 1, 1);
        }

        long multAdds() {
            ConvGeometry g = geometry();
            return (long) batch * g.multAdds(height, width);
        }

        @Override
        public String toString() {
            return "n" + batch + " " + inChannels + "→" + outChannels + " k" + kernel + " s" + strideH + "," + strideW
                    + " pad[" + padTop + "," + padLeft + "," + padBottom + "," + padRight + "] " + height + "×" + width
                    + (bias ? " bias" : "") + (relu ? " relu" : "") + " in-slice[" + inBefore + "|" + inAfter
                    + "] out-slice[" + outBefore + "|" + outAfter + "] data " + dataSeed;
        }
    }

    static Gen<Case> cases() {
        return in -> {
            Draw d = new Draw(in);
            int batch = d.between(1, 3);
            int ic = d.skewed(1, 24, 80);
            int oc = d.skewed(1, 40, 80);
            int k = d.pick(1, 3, 5, 7);
            int sh = d.between(1, 2);
            int sw = d.between(1, 2);
            int pt = d.between(0, k / 2);
            int pl = d.between(0, k / 2);
            int pb = d.between(0, k / 2);
            int pr = d.between(0, k / 2);
            int h = Math.max(d.skewed(1, 12, 40), k - pt - pb);
            int w = Math.max(d.skewed(1, 12, 40), k - pl - pr);
            boolean bias = d.bool();
            boolean relu = d.bool();
            boolean inSlice = d.bool();
            int inBefore = inSlice ? d.between(0, 1) : 0;
            int inAfter = inSlice ? d.between(0, 1) : 0;
            int outBefore = d.between(0, 2);
            int outAfter = d.between(0, 2);
            Case c = new Case(batch, ic, oc, k, sh, sw, pt, pl, pb, pr, h, w, bias, relu, inBefore, inAfter,
                    outBefore, outAfter, d.dataSeed());
            // Keep the scalar reference affordable: shrink the image (never below a kernel span), then the batch.
            while (c.multAdds() > BUDGET && (c.height > k || c.width > k || c.batch > 1)) {
                int nh = c.height > k ? Math.max(k, c.height * 3 / 4) : c.height;
                int nw = c.width > k ? Math.max(k, c.width * 3 / 4) : c.width;
                int nb = nh == c.height && nw == c.width ? c.batch - 1 : c.batch;
                c = new Case(nb, ic, oc, k, sh, sw, pt, pl, pb, pr, nh, nw, bias, relu, inBefore, inAfter,
                        outBefore, outAfter, c.dataSeed);
            }
            return c;
        };
    }

    /** Small-integer inputs, weights and bias: every sum is exact in float32 in any order, so all must agree bit for bit. */
    @Test
    void exactModeIsBitwiseEqualToTheReference() {
        Properties.qt().forAll(cases()).checkAssert(c -> check(c, true));
    }

    /** Random floats: within c·K·ε·Σ|w·x| of the reference (K = input channels × taps + 1 for the bias). */
    @Test
    void floatModeIsWithinTheSummationBound() {
        Properties.qt().forAll(cases()).checkAssert(c -> check(c, false));
    }

    private static void check(Case c, boolean exact) {
        ConvGeometry g = c.geometry();
        SplittableRandom random = new SplittableRandom(c.dataSeed());
        int oh = g.outHeight(c.height());
        int ow = g.outWidth(c.width());
        int xLen = c.batch() * g.inChannels() * c.height() * c.width();
        int wLen = g.outChannels() * g.inChannels() * g.kernelH() * g.kernelW();
        float[] x = exact ? Harness.ints(random, xLen, -3, 3) : Harness.floats(random, xLen, 1);
        float[] wt = exact ? Harness.ints(random, wLen, -3, 3) : Harness.floats(random, wLen, 1);
        float[] bias = !c.bias() ? null : exact ? Harness.ints(random, g.outChannels(), -3, 3)
                : Harness.floats(random, g.outChannels(), 1);

        float[] expected = reference(c, x, wt, bias, oh, ow);
        if (c.relu()) ReferenceActivations.relu(expected, expected);
        float[] magnitude = exact ? null : reference(c, Harness.abs(x), Harness.abs(wt), Harness.abs(bias), oh, ow);
        int reduction = g.inChannels() * g.kernelH() * g.kernelW() + 1;

        for (boolean scalar : new boolean[] {false, true}) {
            long bytes = Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), g.inChannels(), c.height(), c.width()),
                    (long) c.batch() * c.height() * c.width(), BlockedTensor.bytes(c.batch(), g.outChannels(), oh, ow),
                    (long) c.batch() * oh * ow);
            try (Harness hs = new Harness(bytes)) {
                PackedConvWeights packed = PackedConvWeights.pack(g, wt, bias, hs.arena());
                BlockedTensor in = hs.slice(c.batch(), g.inChannels(), c.height(), c.width(), c.inBefore(), c.inAfter());
                BlockedTensor out = hs.slice(c.batch(), g.outChannels(), oh, ow, c.outBefore(), c.outAfter());
                hs.pack(x, in);
                Kernel kernel = scalar ? Conv2dKernels.createScalar(g, packed, c.relu(), in, out)
                        : Conv2dKernels.create(g, packed, c.relu(), in, out);
                hs.snapshot(out);
                hs.run(kernel);
                String what = c + " [" + kernel.describe() + "]";
                float[] actual = hs.unpack(out);
                if (exact) {
                    Harness.assertBitwise(expected, actual, what);
                } else {
                    Harness.assertWithinSumBound(expected, actual, magnitude, reduction, what);
                }
                hs.checkUntouchedOutside(what);
            }
        }
    }

    private static float[] reference(Case c, float[] x, float[] wt, float[] bias, int oh, int ow) {
        ConvGeometry g = c.geometry();
        float[] y = new float[c.batch() * g.outChannels() * oh * ow];
        ReferenceConv2d.conv2d(x, c.batch(), g.inChannels(), c.height(), c.width(), wt, bias, g.outChannels(),
                g.kernelH(), g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), 1, 1, 1, y, oh, ow);
        return y;
    }
}
