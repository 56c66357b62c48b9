package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.pooling.AvgPool;
import googlenet.kernels.pooling.GlobalAvgPool;
import googlenet.kernels.pooling.MaxPool;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferencePooling;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Max, average and global average pooling — the fast kernel ({@code create}) and its scalar twin
 * ({@code createScalar}) — equal {@link ReferencePooling} over random windows: batch 1–3, channels 1–80, input 1–40
 * per side, kernel 1–5 per axis, stride 1–3 per axis, four-sided padding 0..k/2, floor or ceil mode (PyTorch's
 * rule: the last window starts inside the input or its leading padding), count_include_pad, fused ReLU. Outputs are
 * channel slices with guards around. Exact mode (small integers: the window sums are exact, so the vector variant's
 * float sum and float division round the same exact quotient as the reference) is bitwise; float mode is within the
 * summation bound with K = the window size.
 */
class PoolingProperties {

    record Case(int batch, int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
                int padTop, int padLeft, int padBottom, int padRight, boolean ceil, boolean countIncludePad,
                boolean relu, int outBefore, int outAfter, long dataSeed) {
        int outH() {
            return outputSize(height, kernelH, strideH, padTop, padBottom, ceil);
        }

        int outW() {
            return outputSize(width, kernelW, strideW, padLeft, padRight, ceil);
        }

        @Override
        public String toString() {
            return "n" + batch + " c" + channels + " " + height + "×" + width + " k" + kernelH + "×" + kernelW + " s"
                    + strideH + "," + strideW + " pad[" + padTop + "," + padLeft + "," + padBottom + "," + padRight + "]"
                    + (ceil ? " ceil" : "") + (countIncludePad ? " count_include_pad" : "") + (relu ? " relu" : "")
                    + " → " + outH() + "×" + outW() + " out-slice[" + outBefore + "|" + outAfter + "] data " + dataSeed;
        }
    }

    /** PyTorch's output size (see {@code googlenet.graph.op.Windows}). */
    static int outputSize(int in, int k, int stride, int padBegin, int padEnd, boolean ceil) {
        int span = in + padBegin + padEnd - k;
        int out = (ceil ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + padBegin) out--;
        return out;
    }

    static Gen<Case> cases() {
        return in -> {
            Draw d = new Draw(in);
            int kh = d.between(1, 5);
            int kw = d.between(1, 5);
            int pt = d.between(0, kh / 2);
            int pl = d.between(0, kw / 2);
            int pb = d.between(0, kh / 2);
            int pr = d.between(0, kw / 2);
            int h = Math.max(d.skewed(1, 12, 40), kh - pt - pb);
            int w = Math.max(d.skewed(1, 12, 40), kw - pl - pr);
            return new Case(d.between(1, 3), d.skewed(1, 40, 80), h, w, kh, kw, d.between(1, 3), d.between(1, 3),
                    pt, pl, pb, pr, d.bool(), d.bool(), d.bool(), d.between(0, 2), d.between(0, 2), d.dataSeed());
        };
    }

    private static float[] data(Case c, boolean exact) {
        SplittableRandom random = new SplittableRandom(c.dataSeed());
        int len = c.batch() * c.channels() * c.height() * c.width();
        return exact ? Harness.ints(random, len, -50, 50) : Harness.floats(random, len, 4);
    }

    private interface Factory {
        Kernel make(boolean scalar, BlockedTensor in, BlockedTensor out);
    }

    /** Runs the fast kernel and the scalar twin on the same input; each result goes to {@code check}. */
    private static void runBoth(Case c, float[] x, int oh, int ow, Factory factory,
                                java.util.function.BiConsumer<float[], String> check) {
        for (boolean scalar : new boolean[] {false, true}) {
            long bytes = Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), c.channels(), c.height(), c.width()),
                    (long) c.batch() * c.height() * c.width(), BlockedTensor.bytes(c.batch(), c.channels(), oh, ow),
                    (long) c.batch() * oh * ow);
            try (Harness hs = new Harness(bytes)) {
                BlockedTensor in = hs.slice(c.batch(), c.channels(), c.height(), c.width(), 0, 0);
                BlockedTensor out = hs.slice(c.batch(), c.channels(), oh, ow, c.outBefore(), c.outAfter());
                hs.pack(x, in);
                Kernel kernel = factory.make(scalar, in, out);
                hs.snapshot(out);
                hs.run(kernel);
                String what = c + " [" + kernel.describe() + "]";
                check.accept(hs.unpack(out), what);
                hs.checkUntouchedOutside(what);
            }
        }
    }

    /** Max pooling picks one of its inputs: bitwise equal to the reference for any floats. */
    @Test
    void maxPoolIsBitwiseEqualToTheReference() {
        Properties.qt().forAll(cases(), Generators.booleans()).checkAssert((c, exact) -> {
            float[] x = data(c, exact);
            int oh = c.outH(), ow = c.outW();
            float[] expected = new float[c.batch() * c.channels() * oh * ow];
            ReferencePooling.maxPool2d(x, c.batch(), c.channels(), c.height(), c.width(), c.kernelH(), c.kernelW(),
                    c.strideH(), c.strideW(), c.padTop(), c.padLeft(), expected, oh, ow);
            if (c.relu()) ReferenceActivations.relu(expected, expected);
            runBoth(c, x, oh, ow, (scalar, in, out) -> scalar
                    ? MaxPool.createScalar(in, out, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padTop(),
                            c.padLeft(), c.padBottom(), c.padRight(), c.relu())
                    : MaxPool.create(in, out, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padTop(),
                            c.padLeft(), c.padBottom(), c.padRight(), c.relu()),
                    (actual, what) -> Harness.assertBitwise(expected, actual, what));
        });
    }

    /** Average pooling: bitwise on small integers, within K·ε·Σ|x|/divisor on floats. */
    @Test
    void avgPoolEqualsTheReference() {
        Properties.qt().forAll(cases(), Generators.booleans()).checkAssert((c, exact) -> {
            float[] x = data(c, exact);
            int oh = c.outH(), ow = c.outW();
            float[] expected = avg(c, x, oh, ow);
            float[] magnitude = avg(c, Harness.abs(x), oh, ow);
            if (c.relu()) ReferenceActivations.relu(expected, expected);
            runBoth(c, x, oh, ow, (scalar, in, out) -> scalar
                    ? AvgPool.createScalar(in, out, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padTop(),
                            c.padLeft(), c.padBottom(), c.padRight(), c.countIncludePad(), c.relu())
                    : AvgPool.create(in, out, c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padTop(),
                            c.padLeft(), c.padBottom(), c.padRight(), c.countIncludePad(), c.relu()),
                    (actual, what) -> {
                        if (exact) {
                            Harness.assertBitwise(expected, actual, what);
                        } else {
                            Harness.assertWithinSumBound(expected, actual, magnitude, c.kernelH() * c.kernelW(), what);
                        }
                    });
        });
    }

    private static float[] avg(Case c, float[] x, int oh, int ow) {
        float[] y = new float[c.batch() * c.channels() * oh * ow];
        ReferencePooling.avgPool2d(x, c.batch(), c.channels(), c.height(), c.width(), c.kernelH(), c.kernelW(),
                c.strideH(), c.strideW(), c.padTop(), c.padLeft(), c.padBottom(), c.padRight(), c.countIncludePad(),
                y, oh, ow);
        return y;
    }

    /** Global average pooling: bitwise on small integers, within K·ε·Σ|x|/(H·W) on floats (K = H·W). */
    @Test
    void globalAvgPoolEqualsTheReference() {
        Properties.qt().forAll(cases(), Generators.booleans()).checkAssert((c, exact) -> {
            float[] x = data(c, exact);
            float[] expected = new float[c.batch() * c.channels()];
            ReferencePooling.globalAvgPool(x, c.batch(), c.channels(), c.height(), c.width(), expected);
            float[] magnitude = new float[expected.length];
            ReferencePooling.globalAvgPool(Harness.abs(x), c.batch(), c.channels(), c.height(), c.width(), magnitude);
            if (c.relu()) ReferenceActivations.relu(expected, expected);
            runBoth(c, x, 1, 1, (scalar, in, out) -> scalar ? GlobalAvgPool.createScalar(in, out, c.relu())
                            : GlobalAvgPool.create(in, out, c.relu()),
                    (actual, what) -> {
                        if (exact) {
                            Harness.assertBitwise(expected, actual, what);
                        } else {
                            Harness.assertWithinSumBound(expected, actual, magnitude, c.height() * c.width(), what);
                        }
                    });
        });
    }
}
