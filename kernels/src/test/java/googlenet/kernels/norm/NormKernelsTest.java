package googlenet.kernels.norm;

import static googlenet.kernels.layout.KernelTestSupport.assertBitwise;
import static googlenet.kernels.layout.KernelTestSupport.assertUlps;
import static googlenet.kernels.layout.KernelTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.KernelTestSupport;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceBatchNorm;
import googlenet.kernels.reference.ReferenceLrn;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LRN and channel-affine kernels against the references. LRN: the scalar kernel computes in double like
 * {@link ReferenceLrn} and must match bit for bit; the vector kernel (float sum of squares, one float FMA, Vector
 * API POW, float division) must stay within 2 ulp on small-integer inputs (squares exact) and within a relative
 * 4e-7 (≈ 3.4 ε) on random floats.
 */
class NormKernelsTest {

    /** n, c, h, w, size; alpha, beta, k as floats. */
    static Stream<Arguments> lrnCases() {
        return Stream.of(
                Arguments.of(new int[] {1, 3, 4, 5, 5}, new float[] {1e-4f, 0.75f, 1f}),     // both edges in one block
                Arguments.of(new int[] {2, 20, 3, 3, 5}, new float[] {1e-4f, 0.75f, 1f}),    // window crosses blocks
                Arguments.of(new int[] {1, 20, 3, 3, 5}, new float[] {0.5f, 0.75f, 2f}),     // sum term dominant
                Arguments.of(new int[] {1, 64, 5, 5, 5}, new float[] {1e-4f, 0.75f, 2f}),    // GoogLeNet's first LRN shape
                Arguments.of(new int[] {1, 40, 2, 3, 4}, new float[] {0.1f, 0.5f, 1f}),      // even size: 1 before, 2 after
                Arguments.of(new int[] {3, 17, 2, 2, 1}, new float[] {0.3f, 1f, 1f}),        // size 1
                Arguments.of(new int[] {1, 50, 2, 2, 33}, new float[] {0.01f, 0.75f, 1f}),   // window up to two blocks away
                Arguments.of(new int[] {1, 70, 1, 2, 41}, new float[] {0.01f, 0.75f, 1f}));  // wider: scalar fallback
    }

    @ParameterizedTest
    @MethodSource("lrnCases")
    void lrnMatchesReferenceOnIntegers(int[] a, float[] f) {
        int n = a[0], c = a[1], h = a[2], w = a[3], size = a[4];
        float[] x = ints(new Random(c * 13L + size), n * c * h * w, -20, 20);
        float[] expected = new float[x.length];
        ReferenceLrn.lrn(x, n, c, h, w, size, f[0], f[1], f[2], expected);
        for (boolean vector : new boolean[] {true, false}) {
            try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) * 2 + 4096)) {
                BlockedTensor in = s.tensor(n, c, h, w);
                BlockedTensor out = s.slice(n, c, h, w, 1, 1);
                s.pack(x, in);
                Kernel k = vector ? Lrn.create(in, out, size, f[0], f[1], f[2])
                        : Lrn.createScalar(in, out, size, f[0], f[1], f[2]);
                s.run(k);
                if (k.describe().endsWith("scalar")) {
                    assertBitwise(expected, s.unpack(out), k.describe());
                } else {
                    assertUlps(expected, s.unpack(out), 4, k.describe()); // rounding steps: see Lrn's class note
                }
                s.assertPaddingZero(out);
                s.assertGuards();
            }
        }
    }

    @Test
    void lrnOnRandomFloatsStaysWithinRelativeBound() {
        int n = 2, c = 37, h = 6, w = 7;
        float[] x = KernelTestSupport.floats(new Random(3), n * c * h * w);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 30;
        }
        float[] expected = new float[x.length];
        ReferenceLrn.lrn(x, n, c, h, w, 5, 0.2f, 0.75f, 1f, expected);
        try (KernelTestSupport s = new KernelTestSupport(1 << 20)) {
            BlockedTensor in = s.tensor(n, c, h, w);
            BlockedTensor out = s.tensor(n, c, h, w);
            s.pack(x, in);
            s.run(Lrn.create(in, out, 5, 0.2f, 0.75f, 1f));
            float[] got = s.unpack(out);
            for (int i = 0; i < got.length; i++) {
                // 5 float squares summed (β·5·ε) plus the rounding steps of Lrn's class note (≤ 4ε).
                assertTrue(Math.abs(got[i] - expected[i]) <= (4 + 0.75 * 5) * Math.ulp(1f) * Math.abs(expected[i]) + 1e-30,
                        "at " + i + ": " + got[i] + " vs " + expected[i]);
            }
        }
    }

    /**
     * The vector kernel computes exactly this float formula, with correctly rounded operations only: so its bits do
     * not depend on whether the JIT has compiled it (a {@code POW} would: its compiled and interpreted forms differ).
     */
    @ParameterizedTest
    @ValueSource(floats = {0.5f, 0.75f, 1f})
    void vectorLrnEqualsItsFloatFormulaBitForBit(float beta) {
        int n = 1, c = 40, h = 5, w = 5, size = 5;
        float alpha = 0.3f, k = 1f;
        float[] x = KernelTestSupport.floats(new Random(11), n * c * h * w);
        float[] expected = new float[x.length];
        float scale = (float) ((double) alpha / size);
        int before = (size - 1) / 2, after = size - 1 - before;
        for (int ch = 0; ch < c; ch++) {
            for (int q = 0; q < h * w; q++) {
                float sum = 0f;
                for (int d = -before; d <= after; d++) {
                    int j = ch + d;
                    float v = j >= 0 && j < c ? x[j * h * w + q] : 0f;
                    sum += v * v;
                }
                float dd = Math.fma(sum, scale, k);
                float root = (float) Math.sqrt(dd);
                float den = beta == 1f ? dd : beta == 0.5f ? root : root * (float) Math.sqrt(root);
                expected[ch * h * w + q] = x[ch * h * w + q] / den;
            }
        }
        try (KernelTestSupport s = new KernelTestSupport(1 << 20)) {
            BlockedTensor in = s.tensor(n, c, h, w);
            BlockedTensor out = s.tensor(n, c, h, w);
            s.pack(x, in);
            Kernel kernel = Lrn.create(in, out, size, alpha, beta, k);
            s.run(kernel);
            assertBitwise(expected, s.unpack(out), kernel.describe());
        }
    }

    @Test
    void lrnRejectsAliasedOutput() {
        BlockedTensor t = BlockedTensor.dense(0, 1, 16, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Lrn.create(t, t, 5, 1e-4f, 0.75f, 1f));
    }

    static Stream<Arguments> affineShapes() {
        return Stream.of(Arguments.of(new int[] {1, 1, 3, 3}), Arguments.of(new int[] {2, 17, 4, 5}),
                Arguments.of(new int[] {1, 100, 2, 2}), Arguments.of(new int[] {3, 24, 1, 1}));
    }

    @ParameterizedTest
    @MethodSource("affineShapes")
    void batchNormAffineMatchesReference(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3];
        Random random = new Random(c);
        float[] x = KernelTestSupport.floats(random, n * c * h * w);
        float[] gamma = KernelTestSupport.floats(random, c);
        float[] beta = KernelTestSupport.floats(random, c);
        float[] mean = KernelTestSupport.floats(random, c);
        float[] var = new float[c];
        for (int i = 0; i < c; i++) {
            var[i] = random.nextFloat() * 2 + 0.01f;
        }
        float eps = 1e-5f;
        float[] expected = new float[x.length];
        ReferenceBatchNorm.batchNorm(x, n, c, h, w, gamma, beta, mean, var, eps, expected);
        float[][] affine = ChannelAffine.batchNormAffine(gamma, beta, mean, var, eps);
        for (boolean relu : new boolean[] {false, true}) {
            float[] want = expected.clone();
            if (relu) {
                ReferenceActivations.relu(expected, want);
            }
            float[] vectorResult = null;
            for (boolean vector : new boolean[] {true, false}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w) * 2 + 4096)) {
                    BlockedTensor in = s.tensor(n, c, h, w);
                    BlockedTensor out = s.slice(n, c, h, w, 1, 2);
                    s.pack(x, in);
                    s.run(vector ? ChannelAffine.createBatchNorm(in, out, gamma, beta, mean, var, eps, relu)
                            : ChannelAffine.createBatchNormScalar(in, out, gamma, beta, mean, var, eps, relu));
                    float[] got = s.unpack(out);
                    for (int i = 0; i < got.length; i++) {
                        int ch = i / (h * w) % c;
                        // scale and shift each rounded once (ε/2 relative), one FMA rounding; x, mean, beta ≤ 1.
                        double bound = 0x1p-23 * (Math.abs(x[i] * affine[0][ch]) + Math.abs(mean[ch] * affine[0][ch])
                                + Math.abs(beta[ch])) + 0x1p-24 * Math.abs(want[i]);
                        assertTrue(Math.abs(got[i] - want[i]) <= bound, "at " + i + ": " + got[i] + " vs " + want[i]);
                    }
                    s.assertPaddingZero(out);
                    s.assertGuards();
                    if (vectorResult == null) {
                        vectorResult = got;
                    } else {
                        assertBitwise(vectorResult, got, "vector and scalar affine agree");
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void affineRunsInPlace(boolean vector) {
        int n = 2, c = 19, h = 3, w = 3;
        float[] x = ints(new Random(4), n * c * h * w, -9, 9);
        float[] scale = ints(new Random(5), c, -3, 3);
        float[] shift = ints(new Random(6), c, -3, 3);
        float[] expected = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = i / (h * w) % c;
            float y = x[i] * scale[ch] + shift[ch];
            expected[i] = y > 0 ? y : 0f;
        }
        try (KernelTestSupport s = new KernelTestSupport(1 << 16)) {
            BlockedTensor t = s.tensor(n, c, h, w);
            s.pack(x, t);
            s.run(vector ? ChannelAffine.create(t, t, scale, shift, true)
                    : ChannelAffine.createScalar(t, t, scale, shift, true));
            assertBitwise(expected, s.unpack(t), "in place");
            s.assertPaddingZero(t);
        }
    }
}
