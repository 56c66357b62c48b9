package googlenet.kernels.dense;

import static googlenet.kernels.layout.KernelTestSupport.assertBitwise;
import static googlenet.kernels.layout.KernelTestSupport.assertUlps;
import static googlenet.kernels.layout.KernelTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.KernelTestSupport;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceLinear;
import googlenet.kernels.reference.ReferenceSoftmax;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Linear, softmax and ReLU kernels against the references. Linear with small-integer inputs and weights is exact in
 * float (every partial sum is an integer below 2^24), so it must match bit for bit whatever the summation order; with
 * random floats it must stay within the classic bound {@code |Δ| ≤ (K+1)·ε·Σ|w·x| + |bias|·ε}. The vector and scalar
 * kernels perform the same FMAs in the same order and must agree bit for bit. Softmax is the reference's double
 * arithmetic and must match bit for bit (a non-scalar variant would be allowed 2 ulp).
 */
class DenseKernelsTest {

    /** n, c, h, w, outFeatures. */
    static Stream<Arguments> linearShapes() {
        return Stream.of(
                Arguments.of(new int[] {1, 128, 4, 4, 1024}),  // torchvision aux fc1: the flatten permutation matters
                Arguments.of(new int[] {3, 128, 4, 4, 1024}),
                Arguments.of(new int[] {1, 1024, 1, 1, 1000}), // classifier
                Arguments.of(new int[] {3, 1024, 1, 1, 1000}),
                Arguments.of(new int[] {1, 1024, 1, 1, 10}),
                Arguments.of(new int[] {3, 1024, 1, 1, 10}),
                Arguments.of(new int[] {5, 100, 1, 1, 10}),     // one 4-image tile plus one single image
                Arguments.of(new int[] {9, 17, 3, 2, 37}),      // padded input channels with H×W > 1
                Arguments.of(new int[] {2, 3, 2, 2, 1}));
    }

    private static Kernel linear(boolean vector, BlockedTensor in, BlockedTensor out, float[] w, float[] b,
                                 boolean relu, KernelTestSupport s) {
        return vector ? Linear.create(in, out, w, b, relu, s.arena()) : Linear.createScalar(in, out, w, b, relu, s.arena());
    }

    private static long bytesFor(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3], f = a[4];
        return BlockedTensor.bytes(n, c + 48, h, w) + BlockedTensor.bytes(n, f + 64, 1, 1) + 8192;
    }

    @ParameterizedTest
    @MethodSource("linearShapes")
    void linearOnIntegersIsExact(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3], f = a[4];
        int in = c * h * w;
        Random random = new Random(in + f);
        float[] x = ints(random, n * in, -5, 5);
        float[] weight = ints(random, f * in, -3, 3);
        float[] bias = ints(random, f, -100, 100);
        for (boolean withBias : new boolean[] {true, false}) {
            float[] expected = new float[n * f];
            ReferenceLinear.linear(x, n, in, weight, withBias ? bias : null, f, expected);
            for (boolean relu : new boolean[] {false, true}) {
                float[] want = expected.clone();
                if (relu) {
                    ReferenceActivations.relu(expected, want);
                }
                float[] first = null;
                for (boolean vector : new boolean[] {true, false}) {
                    try (KernelTestSupport s = new KernelTestSupport(bytesFor(a))) {
                        BlockedTensor input = s.slice(n, c, h, w, 1, 0); // a concat slice as input
                        BlockedTensor out = s.slice(n, f, 1, 1, 1, 2);
                        s.pack(x, input);
                        Kernel k = linear(vector, input, out, weight, withBias ? bias : null, relu, s);
                        s.run(k);
                        float[] got = s.unpack(out);
                        assertBitwise(want, got, k.describe());
                        s.assertPaddingZero(out);
                        s.assertGuards();
                        if (first == null) {
                            first = got;
                        } else {
                            assertBitwise(first, got, "vector and scalar agree");
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void linearOnRandomFloatsStaysWithinSumBound(int n) {
        int c = 128, h = 4, w = 4, f = 1000;
        int in = c * h * w;
        Random random = new Random(n);
        float[] x = KernelTestSupport.floats(random, n * in);
        float[] weight = KernelTestSupport.floats(random, f * in);
        float[] bias = KernelTestSupport.floats(random, f);
        float[] expected = new float[n * f];
        ReferenceLinear.linear(x, n, in, weight, bias, f, expected);
        float[] first = null;
        for (boolean vector : new boolean[] {true, false}) {
            try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c, h, w)
                    + BlockedTensor.bytes(n, f, 1, 1) + 8192)) {
                BlockedTensor input = s.tensor(n, c, h, w);
                BlockedTensor out = s.tensor(n, f, 1, 1);
                s.pack(x, input);
                s.run(linear(vector, input, out, weight, bias, false, s));
                float[] got = s.unpack(out);
                double eps = 0x1p-24;
                for (int b = 0; b < n; b++) {
                    for (int o = 0; o < f; o++) {
                        double magnitude = Math.abs(bias[o]);
                        for (int i = 0; i < in; i++) {
                            magnitude += Math.abs((double) x[b * in + i] * weight[o * in + i]);
                        }
                        double bound = (in + 1) * eps * magnitude + 1e-30;
                        double err = Math.abs(got[b * f + o] - expected[b * f + o]);
                        assertTrue(err <= bound, "n" + b + " o" + o + ": |Δ| " + err + " > " + bound);
                    }
                }
                if (first == null) {
                    first = got;
                } else {
                    assertBitwise(first, got, "vector and scalar agree");
                }
            }
        }
    }

    static Stream<Arguments> linearPackingShapes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int channels : new int[] {1, 5, 16, 17, 33, 64}) {
            for (int out : new int[] {1, 10, 16, 65, 130}) {
                b.add(Arguments.of(channels, 1, out));
                b.add(Arguments.of(channels, 2, out));
            }
        }
        return b.build();
    }

    /** The vector packing (transposes in registers, 1×1 inputs) against its scalar twin, over tails of both counts. */
    @ParameterizedTest
    @MethodSource("linearPackingShapes")
    void linearVectorPackingEqualsScalarPackingBitForBit(int channels, int side, int out) {
        float[] w = new float[out * channels * side * side];
        Random random = new Random(channels * 1000L + side * 100L + out);
        for (int i = 0; i < w.length; i++) w[i] = random.nextFloat() - 0.5f;
        float[] bias = new float[out];
        for (int i = 0; i < out; i++) bias[i] = random.nextFloat();
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment ws = java.lang.foreign.MemorySegment.ofArray(w);
            java.lang.foreign.MemorySegment bs = java.lang.foreign.MemorySegment.ofArray(bias);
            PackedLinearWeights vector = PackedLinearWeights.pack(channels, side, side, out, ws, bs, arena);
            PackedLinearWeights scalar = PackedLinearWeights.packScalar(channels, side, side, out, ws, bs, arena);
            assertEquals(-1, vector.segment.mismatch(scalar.segment), channels + "×" + side + "×" + side + " → " + out);
            assertEquals(java.util.Arrays.toString(scalar.bias), java.util.Arrays.toString(vector.bias));
        }
    }

    @Test
    void linearRejectsBadShapes() {
        try (KernelTestSupport s = new KernelTestSupport(1 << 12)) {
            BlockedTensor in = BlockedTensor.dense(0, 1, 16, 2, 2);
            assertThrows(IllegalArgumentException.class, () -> Linear.create(in, BlockedTensor.dense(0, 1, 10, 1, 1),
                    new float[10 * 16], null, false, s.arena()));
            assertThrows(IllegalArgumentException.class, () -> Linear.create(in, BlockedTensor.dense(0, 1, 10, 2, 1),
                    new float[10 * 64], null, false, s.arena()));
            // Weights packed for another input shape (same feature count) or another output width.
            PackedLinearWeights flat = PackedLinearWeights.pack(64, 1, 1, 10, new float[10 * 64], null, s.arena());
            assertThrows(IllegalArgumentException.class,
                    () -> Linear.create(in, BlockedTensor.dense(0, 1, 10, 1, 1), flat, false));
            PackedLinearWeights eleven = PackedLinearWeights.pack(16, 2, 2, 11, new float[11 * 64], null, s.arena());
            assertThrows(IllegalArgumentException.class,
                    () -> Linear.create(in, BlockedTensor.dense(0, 1, 10, 1, 1), eleven, false));
        }
    }

    @Test
    void linearTasksDependOnlyOnShapes() {
        try (KernelTestSupport s = new KernelTestSupport(1 << 12)) {
            BlockedTensor in = BlockedTensor.dense(0, 5, 1024, 1, 1);
            BlockedTensor out = BlockedTensor.dense(0, 5, 1000, 1, 1);
            Kernel k = Linear.create(in, out, new float[1000 * 1024], null, false, s.arena());
            int groups = Math.ceilDiv(Blocking.blocks(1000), Linear.GROUP);
            assertEquals(groups * 2, k.tasks());
        }
    }

    /** n, classes. */
    static Stream<Arguments> softmaxShapes() {
        return Stream.of(Arguments.of(1, 1000), Arguments.of(3, 1000), Arguments.of(2, 10), Arguments.of(1, 1),
                Arguments.of(2, 16), Arguments.of(3, 17), Arguments.of(1, 100));
    }

    @ParameterizedTest
    @MethodSource("softmaxShapes")
    void softmaxMatchesReference(int n, int classes) {
        float[] x = KernelTestSupport.floats(new Random(classes), n * classes);
        for (int i = 0; i < x.length; i++) {
            x[i] *= 20;
        }
        float[] expected = new float[x.length];
        ReferenceSoftmax.softmax(x, n, classes, expected);
        for (boolean vector : new boolean[] {true, false}) {
            for (boolean inPlace : new boolean[] {false, true}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, classes + 48, 1, 1) * 2 + 4096)) {
                    BlockedTensor in = s.slice(n, classes, 1, 1, 1, 1);
                    BlockedTensor out = inPlace ? in : s.slice(n, classes, 1, 1, 2, 0);
                    s.pack(x, in);
                    Kernel k = vector ? Softmax.create(in, out) : Softmax.createScalar(in, out);
                    s.run(k);
                    assertUlps(expected, s.unpack(out), k.describe().endsWith("scalar") ? 0 : 2, k.describe());
                    s.assertPaddingZero(out);
                    s.assertGuards();
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void softmaxNonFiniteRowsFollowTheReference(boolean vector) {
        float inf = Float.POSITIVE_INFINITY;
        int classes = 20;
        float[][] rows = new float[4][classes];
        for (float[] row : rows) {
            for (int j = 0; j < classes; j++) {
                row[j] = j % 5 - 2;
            }
        }
        rows[0][17] = Float.NaN;                        // NaN in the tail block
        rows[1][3] = inf;                               // +inf in a full block
        java.util.Arrays.fill(rows[2], -inf);           // only -inf
        rows[3][0] = -inf;                              // some -inf: exp gives 0 there
        rows[3][18] = -inf;
        float[] x = new float[4 * classes];
        for (int r = 0; r < 4; r++) {
            System.arraycopy(rows[r], 0, x, r * classes, classes);
        }
        float[] expected = new float[x.length];
        ReferenceSoftmax.softmax(x, 4, classes, expected);
        try (KernelTestSupport s = new KernelTestSupport(1 << 14)) {
            BlockedTensor in = s.tensor(4, classes, 1, 1);
            BlockedTensor out = s.tensor(4, classes, 1, 1);
            s.pack(x, in);
            s.run(vector ? Softmax.create(in, out) : Softmax.createScalar(in, out));
            assertUlps(expected, s.unpack(out), 2, "non-finite");
            s.assertPaddingZero(out);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void reluMatchesReferenceBitsInPlaceAndOut(boolean vector) {
        int n = 2, c = 21, h = 3, w = 5;
        float[] x = KernelTestSupport.floats(new Random(2), n * c * h * w);
        x[0] = -0f;
        x[1] = Float.NaN;
        x[2] = Float.NEGATIVE_INFINITY;
        x[3] = Float.POSITIVE_INFINITY;
        float[] expected = new float[x.length];
        ReferenceActivations.relu(x, expected);
        for (boolean inPlace : new boolean[] {false, true}) {
            try (KernelTestSupport s = new KernelTestSupport(1 << 16)) {
                BlockedTensor in = s.tensor(n, c, h, w);
                BlockedTensor out = inPlace ? in : s.slice(n, c, h, w, 1, 1);
                s.pack(x, in);
                s.run(vector ? Relu.create(in, out) : Relu.createScalar(in, out));
                float[] got = s.unpack(out);
                for (int i = 0; i < got.length; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(got[i]), "at " + i);
                }
                s.assertPaddingZero(out);
                s.assertGuards();
            }
        }
    }
}
