package googlenet.properties;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.dense.Linear;
import googlenet.kernels.dense.Softmax;
import googlenet.kernels.norm.Lrn;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceLinear;
import googlenet.kernels.reference.ReferenceLrn;
import googlenet.kernels.reference.ReferenceSoftmax;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * LRN, linear and softmax kernels (fast and scalar twin) against their NCHW references, outputs in channel slices
 * with guards around. The vector LRN raises to β with square roots (see Lrn): 4 ulp on small-integer inputs (exact
 * squares). Linear is bitwise on small integers and within the summation bound on floats.
 */
class DenseNormProperties {

    // ---- LRN ----

    record LrnCase(int batch, int channels, int height, int width, int size, float alpha, float beta, float k,
                   int outBefore, int outAfter, long dataSeed) {
        @Override
        public String toString() {
            return "n" + batch + " c" + channels + " " + height + "×" + width + " size " + size + " alpha " + alpha
                    + " beta " + beta + " k " + k + " out-slice[" + outBefore + "|" + outAfter + "] data " + dataSeed;
        }
    }

    static Gen<LrnCase> lrnCases() {
        return in -> {
            Draw d = new Draw(in);
            int c = d.skewed(1, 40, 80);
            // Mostly GoogLeNet-like windows; sometimes wider than two blocks beyond the centre (the scalar fallback).
            int size = d.oneIn(8) ? d.between(1, 2 * Harness.LANES + 8) : d.between(1, 11);
            return new LrnCase(d.between(1, 2), c, d.skewed(1, 6, 12), d.skewed(1, 6, 12), size,
                    d.pick(java.util.List.of(1e-4f, 1e-2f, 0.1f, 0.5f)), d.pick(java.util.List.of(0.5f, 0.75f, 1f)),
                    d.pick(java.util.List.of(1f, 2f)), d.between(0, 2), d.between(0, 2), d.dataSeed());
        };
    }

    /**
     * Small-integer inputs: the scalar twin (double, as the reference) is bitwise; the vector kernel is within 4 ulp:
     * d = k + (α/size)·Σ rounded once (its 0.5 ulp scaled by β), √d and √√d each rounded (0.75 and 0.875 ulp with what
     * they inherit), their product and the division rounded (0.5 ulp each): at most about 3.2 ulp.
     * Float inputs: within (4 + β·size)·ε relative (a float sum of {@code size} squares adds β·size·ε).
     */
    @Test
    void lrnEqualsTheReference() {
        Properties.qt().forAll(lrnCases(), Generators.booleans()).checkAssert((c, exact) -> {
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            int len = c.batch() * c.channels() * c.height() * c.width();
            float[] x = exact ? Harness.ints(random, len, -20, 20) : Harness.floats(random, len, 30);
            float[] expected = new float[len];
            ReferenceLrn.lrn(x, c.batch(), c.channels(), c.height(), c.width(), c.size(), c.alpha(), c.beta(), c.k(),
                    expected);
            for (boolean scalar : new boolean[] {false, true}) {
                long bytes = 2 * Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), c.channels(), c.height(), c.width()),
                        (long) c.batch() * c.height() * c.width());
                try (Harness hs = new Harness(bytes)) {
                    BlockedTensor in = hs.slice(c.batch(), c.channels(), c.height(), c.width(), 0, 0);
                    BlockedTensor out = hs.slice(c.batch(), c.channels(), c.height(), c.width(), c.outBefore(), c.outAfter());
                    hs.pack(x, in);
                    Kernel kernel = scalar ? Lrn.createScalar(in, out, c.size(), c.alpha(), c.beta(), c.k())
                            : Lrn.create(in, out, c.size(), c.alpha(), c.beta(), c.k());
                    hs.snapshot(out);
                    hs.run(kernel);
                    String what = c + " [" + kernel.describe() + "]";
                    float[] actual = hs.unpack(out);
                    if (kernel.describe().endsWith("scalar")) {
                        Harness.assertBitwise(expected, actual, what);
                    } else if (exact) {
                        Harness.assertUlps(expected, actual, 4, what);
                    } else {
                        double rel = (4 + c.beta() * c.size()) * Math.ulp(1f);
                        for (int i = 0; i < len; i++) {
                            if (!(Math.abs(actual[i] - expected[i]) <= rel * Math.abs(expected[i]) + Float.MIN_NORMAL)) {
                                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was "
                                        + actual[i] + " (relative bound " + rel + ")");
                            }
                        }
                    }
                    hs.checkUntouchedOutside(what);
                }
            }
        });
    }

    // ---- Linear ----

    record LinearCase(int batch, int channels, int height, int width, int outFeatures, boolean bias, boolean relu,
                      int inBefore, int inAfter, int outBefore, int outAfter, long dataSeed) {
        int inFeatures() {
            return channels * height * width;
        }

        @Override
        public String toString() {
            return "n" + batch + " in " + channels + "×" + height + "×" + width + " → " + outFeatures
                    + (bias ? " bias" : "") + (relu ? " relu" : "") + " in-slice[" + inBefore + "|" + inAfter
                    + "] out-slice[" + outBefore + "|" + outAfter + "] data " + dataSeed;
        }
    }

    static Gen<LinearCase> linearCases() {
        return in -> {
            Draw d = new Draw(in);
            boolean spatial = d.oneIn(3);
            return new LinearCase(d.between(1, 9), d.skewed(1, 40, 80), spatial ? d.between(1, 3) : 1,
                    spatial ? d.between(1, 3) : 1, d.skewed(1, 40, 130), d.bool(), d.bool(), d.between(0, 1),
                    d.between(0, 1), d.between(0, 2), d.between(0, 2), d.dataSeed());
        };
    }

    /** Bitwise on small integers (every sum exact); within c·K·ε·Σ|w·x| on floats, K = in features + 1. */
    @Test
    void linearEqualsTheReference() {
        Properties.qt().forAll(linearCases(), Generators.booleans()).checkAssert((c, exact) -> {
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            int inF = c.inFeatures();
            int outF = c.outFeatures();
            float[] x = exact ? Harness.ints(random, c.batch() * inF, -3, 3) : Harness.floats(random, c.batch() * inF, 1);
            float[] w = exact ? Harness.ints(random, outF * inF, -3, 3) : Harness.floats(random, outF * inF, 1);
            float[] b = !c.bias() ? null : exact ? Harness.ints(random, outF, -3, 3) : Harness.floats(random, outF, 1);
            float[] expected = new float[c.batch() * outF];
            ReferenceLinear.linear(x, c.batch(), inF, w, b, outF, expected);
            if (c.relu()) ReferenceActivations.relu(expected, expected);
            float[] magnitude = new float[expected.length];
            ReferenceLinear.linear(Harness.abs(x), c.batch(), inF, Harness.abs(w), Harness.abs(b), outF, magnitude);
            for (boolean scalar : new boolean[] {false, true}) {
                long bytes = Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), c.channels(), c.height(), c.width()),
                        (long) c.batch() * c.height() * c.width(), BlockedTensor.bytes(c.batch(), outF, 1, 1), c.batch());
                try (Harness hs = new Harness(bytes)) {
                    BlockedTensor in = hs.slice(c.batch(), c.channels(), c.height(), c.width(), c.inBefore(), c.inAfter());
                    BlockedTensor out = hs.slice(c.batch(), outF, 1, 1, c.outBefore(), c.outAfter());
                    hs.pack(x, in);
                    Kernel kernel = scalar ? Linear.createScalar(in, out, w, b, c.relu(), hs.arena())
                            : Linear.create(in, out, w, b, c.relu(), hs.arena());
                    hs.snapshot(out);
                    hs.run(kernel);
                    String what = c + " [" + kernel.describe() + "]";
                    float[] actual = hs.unpack(out);
                    if (exact) {
                        Harness.assertBitwise(expected, actual, what);
                    } else {
                        Harness.assertWithinSumBound(expected, actual, magnitude, inF + 1, what);
                    }
                    hs.checkUntouchedOutside(what);
                }
            }
        });
    }

    // ---- Softmax ----

    record SoftmaxCase(int batch, int classes, double scale, boolean inPlace, int outBefore, int outAfter,
                       long dataSeed) {
        @Override
        public String toString() {
            return "n" + batch + " classes " + classes + " values ±" + scale + (inPlace ? " in place" : "")
                    + " out-slice[" + outBefore + "|" + outAfter + "] data " + dataSeed;
        }
    }

    static Gen<SoftmaxCase> softmaxCases() {
        return in -> {
            Draw d = new Draw(in);
            int classes = d.oneIn(10) ? d.pick(1000, 1001, 1008) : d.between(1, 130);
            boolean inPlace = d.oneIn(3);
            return new SoftmaxCase(d.between(1, 4), classes, d.pick(java.util.List.of(1.0, 10.0, 60.0)), inPlace,
                    inPlace ? 0 : d.between(0, 2), inPlace ? 0 : d.between(0, 2), d.dataSeed());
        };
    }

    /** Within 2 ulp of the reference (the kernel documents bit equality: it computes in double like the reference). */
    @Test
    void softmaxEqualsTheReference() {
        Properties.qt().forAll(softmaxCases()).checkAssert(c -> {
            SplittableRandom random = new SplittableRandom(c.dataSeed());
            float[] x = Harness.floats(random, c.batch() * c.classes(), c.scale());
            float[] expected = new float[x.length];
            ReferenceSoftmax.softmax(x, c.batch(), c.classes(), expected);
            for (boolean scalar : new boolean[] {false, true}) {
                long bytes = 2 * Harness.bytesFor(4, BlockedTensor.bytes(c.batch(), c.classes(), 1, 1), c.batch());
                try (Harness hs = new Harness(bytes)) {
                    BlockedTensor in = hs.slice(c.batch(), c.classes(), 1, 1, 0, 0);
                    BlockedTensor out = c.inPlace() ? in : hs.slice(c.batch(), c.classes(), 1, 1, c.outBefore(), c.outAfter());
                    hs.pack(x, in);
                    Kernel kernel = scalar ? Softmax.createScalar(in, out) : Softmax.create(in, out);
                    hs.snapshot(out);
                    hs.run(kernel);
                    String what = c + " [" + kernel.describe() + "]";
                    Harness.assertUlps(expected, hs.unpack(out), 2, what);
                    hs.checkUntouchedOutside(what);
                }
            }
        });
    }
}
