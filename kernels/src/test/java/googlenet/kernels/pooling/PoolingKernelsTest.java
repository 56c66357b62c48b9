package googlenet.kernels.pooling;

import static googlenet.kernels.layout.KernelTestSupport.assertBitwise;
import static googlenet.kernels.layout.KernelTestSupport.assertUlps;
import static googlenet.kernels.layout.KernelTestSupport.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.KernelTestSupport;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferencePooling;

import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pooling kernels against {@link ReferencePooling}, for the factory's choice ({@code create}: vector when the
 * Vector API is on) and the scalar twin. Inputs are small integers, so every window sum is exact in float: max
 * pooling is compared bit for bit (±0 treated equal); average pooling bit for bit for the scalar kernel (it sums in
 * double like the reference) and within 1 ulp for the vector one, whose float division of the exact sum is correctly
 * rounded while the reference rounds the double quotient to float (a double rounding that can differ by 1 ulp for
 * non-power-of-two divisors).
 */
class PoolingKernelsTest {

    /** n, c, h, w, kh, kw, sh, sw, pt, pl, pb, pr, outH, outW. */
    static Stream<Arguments> windows() {
        return Stream.of(
                // 3×3/2 ceil mode: floor gives 6, ceil 7 (an extra row and column)
                Arguments.of(new int[] {1, 17, 14, 14, 3, 3, 2, 2, 0, 0, 0, 0, 7, 7}),
                // 3×3/1 pad 1, non-square, 3 channels
                Arguments.of(new int[] {2, 3, 7, 9, 3, 3, 1, 1, 1, 1, 1, 1, 7, 9}),
                // Caffe2's asymmetric [t, l, b, r] = [0, 0, 1, 1]
                Arguments.of(new int[] {1, 24, 8, 8, 3, 3, 2, 2, 0, 0, 1, 1, 4, 4}),
                // windows beyond the padded input (the last row/column lies wholly outside)
                Arguments.of(new int[] {3, 100, 5, 6, 2, 2, 3, 3, 1, 0, 0, 0, 3, 3}),
                // ceil mode with padding on a single channel
                Arguments.of(new int[] {1, 1, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, 3, 3}),
                // 1000 channels (63 blocks), asymmetric four-sided padding
                Arguments.of(new int[] {1, 1000, 3, 3, 3, 2, 1, 2, 1, 0, 2, 1, 4, 2}),
                // the inception branch pool: 3×3/1 pad 1
                Arguments.of(new int[] {1, 16, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6, 6}),
                // long rows through the unrolled 3×3 path: stride 1 (rolling column maxima) and stride 2 with ceil mode
                Arguments.of(new int[] {1, 32, 28, 29, 3, 3, 1, 1, 1, 1, 1, 1, 28, 29}),
                Arguments.of(new int[] {2, 20, 31, 30, 3, 3, 2, 2, 1, 1, 1, 1, 16, 16}),
                Arguments.of(new int[] {1, 17, 15, 15, 3, 3, 2, 2, 0, 0, 1, 1, 8, 8}),
                // windows of 3 rows but fewer than 3 columns everywhere (no interior column)
                Arguments.of(new int[] {1, 16, 5, 2, 3, 3, 1, 1, 1, 1, 1, 1, 5, 2}));
    }

    private static Kernel maxPool(boolean vector, BlockedTensor in, BlockedTensor out, int[] a, boolean relu) {
        return vector
                ? MaxPool.create(in, out, a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], relu)
                : MaxPool.createScalar(in, out, a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], relu);
    }

    private static Kernel avgPool(boolean vector, BlockedTensor in, BlockedTensor out, int[] a, boolean include,
                                  boolean relu) {
        return vector
                ? AvgPool.create(in, out, a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], include, relu)
                : AvgPool.createScalar(in, out, a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], include, relu);
    }

    private static float[] relu(float[] y) {
        float[] r = new float[y.length];
        ReferenceActivations.relu(y, r);
        return r;
    }

    @ParameterizedTest
    @MethodSource("windows")
    void maxPoolMatchesReferenceBitwise(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3], outH = a[12], outW = a[13];
        float[] x = ints(new Random(c * 31L + h), n * c * h * w, -50, 50);
        float[] expected = new float[n * c * outH * outW];
        ReferencePooling.maxPool2d(x, n, c, h, w, a[4], a[5], a[6], a[7], a[8], a[9], expected, outH, outW);
        for (boolean vector : new boolean[] {true, false}) {
            for (boolean relu : new boolean[] {false, true}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w)
                        + BlockedTensor.bytes(n, c + 48, outH, outW) + 4096)) {
                    BlockedTensor in = s.tensor(n, c, h, w);
                    BlockedTensor out = s.slice(n, c, outH, outW, 1, 1);
                    s.pack(x, in);
                    s.run(maxPool(vector, in, out, a, relu));
                    assertBitwise(relu ? relu(expected) : expected, s.unpack(out), "maxpool vector=" + vector);
                    s.assertPaddingZero(out);
                    s.assertGuards();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("windows")
    void avgPoolMatchesReference(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3], outH = a[12], outW = a[13];
        float[] x = ints(new Random(c * 17L + w), n * c * h * w, -50, 50);
        for (boolean include : new boolean[] {true, false}) {
            float[] expected = new float[n * c * outH * outW];
            ReferencePooling.avgPool2d(x, n, c, h, w, a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], include,
                    expected, outH, outW);
            for (boolean vector : new boolean[] {true, false}) {
                for (boolean relu : new boolean[] {false, true}) {
                    try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w)
                            + BlockedTensor.bytes(n, c + 48, outH, outW) + 4096)) {
                        BlockedTensor in = s.tensor(n, c, h, w);
                        BlockedTensor out = s.slice(n, c, outH, outW, 1, 1);
                        s.pack(x, in);
                        Kernel k = avgPool(vector, in, out, a, include, relu);
                        s.run(k);
                        float[] want = relu ? relu(expected) : expected;
                        String what = "avgpool include=" + include + " " + k.describe();
                        if (k.describe().endsWith("scalar")) {
                            assertBitwise(want, s.unpack(out), what);
                        } else {
                            assertUlps(want, s.unpack(out), 1, what);
                        }
                        s.assertPaddingZero(out);
                        s.assertGuards();
                    }
                }
            }
        }
    }

    @Test
    void avgPoolWithPowerOfTwoDivisorsIsBitwiseInBothVariants() {
        // 2×2/2 without padding: every divisor is 4.
        int n = 2, c = 20, h = 8, w = 6;
        float[] x = ints(new Random(5), n * c * h * w, -1000, 1000);
        float[] expected = new float[n * c * 4 * 3];
        ReferencePooling.avgPool2d(x, n, c, h, w, 2, 2, 2, 2, 0, 0, 0, 0, true, expected, 4, 3);
        for (boolean vector : new boolean[] {true, false}) {
            try (KernelTestSupport s = new KernelTestSupport(1 << 20)) {
                BlockedTensor in = s.tensor(n, c, h, w);
                BlockedTensor out = s.tensor(n, c, 4, 3);
                s.pack(x, in);
                s.run(vector ? AvgPool.create(in, out, 2, 2, 2, 2, 0, 0, 0, 0, true, false)
                        : AvgPool.createScalar(in, out, 2, 2, 2, 2, 0, 0, 0, 0, true, false));
                assertBitwise(expected, s.unpack(out), "avgpool 2×2 vector=" + vector);
            }
        }
    }

    @Test
    void avgPoolOnRandomFloatsStaysWithinTheFloatSumBound() {
        int n = 1, c = 33, h = 9, w = 9;
        float[] x = KernelTestSupport.floats(new Random(9), n * c * h * w);
        float[] expected = new float[n * c * 9 * 9];
        ReferencePooling.avgPool2d(x, n, c, h, w, 3, 3, 1, 1, 1, 1, 1, 1, false, expected, 9, 9);
        try (KernelTestSupport s = new KernelTestSupport(1 << 20)) {
            BlockedTensor in = s.tensor(n, c, h, w);
            BlockedTensor out = s.tensor(n, c, 9, 9);
            s.pack(x, in);
            s.run(AvgPool.create(in, out, 3, 3, 1, 1, 1, 1, 1, 1, false, false));
            float[] got = s.unpack(out);
            // ≤ 9 float additions of |x| ≤ 1 then one division: |Δ| ≤ 9·ε·Σ|x|/d + ε|y| ≤ 10·2^-24.
            for (int i = 0; i < got.length; i++) {
                assertTrue(Math.abs(got[i] - expected[i]) <= 10 * 0x1p-24, "at " + i);
            }
        }
    }

    /**
     * 3×3 max-pools over every small border case — heights 1..5, widths 1..19, strides 1..3, paddings 0..3 (3: the
     * general loop), floor and ceil output sizes, batch 2, 1..33 channels in turn — the factory's kernel against the
     * scalar twin and the reference, bit for bit (±0 equal; the twins with each other to the raw bits), with random
     * floats, NaNs of both signs, ±∞ and ±0 in the input.
     */
    @Test
    void maxPool3x3MatchesScalarOnEveryBorder() {
        int n = 2;
        int channels = 0;
        for (int h = 1; h <= 5; h++) {
            for (int w = 1; w <= 19; w++) {
                for (int stride = 1; stride <= 3; stride++) {
                    for (int pad = 0; pad <= 3; pad++) {
                        for (boolean ceil : new boolean[] {false, true}) {
                            if (h + 2 * pad < 3 || w + 2 * pad < 3) continue;
                            int outH = (h + 2 * pad - 3 + (ceil ? stride - 1 : 0)) / stride + 1;
                            int outW = (w + 2 * pad - 3 + (ceil ? stride - 1 : 0)) / stride + 1;
                            channels = channels % 33 + 1;
                            int c = channels;
                            Random random = new Random(h * 1000 + w * 10 + stride + pad);
                            float[] x = KernelTestSupport.floats(random, n * c * h * w);
                            x[random.nextInt(x.length)] = Float.NaN;
                            x[random.nextInt(x.length)] = Float.intBitsToFloat(0xFFC00000); // x86's NaN: negative
                            x[random.nextInt(x.length)] = Float.intBitsToFloat(0xFF800001); // the lowest key
                            x[random.nextInt(x.length)] = Float.NEGATIVE_INFINITY;
                            x[random.nextInt(x.length)] = Float.POSITIVE_INFINITY;
                            if (random.nextBoolean()) x[random.nextInt(x.length)] = -Float.MAX_VALUE;
                            x[random.nextInt(x.length)] = -0f;
                            x[random.nextInt(x.length)] = 0f;
                            float[] expected = new float[n * c * outH * outW];
                            ReferencePooling.maxPool2d(x, n, c, h, w, 3, 3, stride, stride, pad, pad, expected, outH, outW);
                            for (boolean relu : new boolean[] {false, true}) {
                                float[][] got = new float[2][];
                                for (int v = 0; v < 2; v++) {
                                    try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w)
                                            + BlockedTensor.bytes(n, c + 48, outH, outW) + 4096)) {
                                        BlockedTensor in = s.slice(n, c, h, w, 1, 0);
                                        BlockedTensor out = s.slice(n, c, outH, outW, 1, 1);
                                        s.pack(x, in);
                                        int[] a = {n, c, h, w, 3, 3, stride, stride, pad, pad, pad, pad, outH, outW};
                                        Kernel k = maxPool(v == 0, in, out, a, relu);
                                        s.run(k);
                                        got[v] = s.unpack(out);
                                        String what = k.describe() + " c=" + c;
                                        assertBitwise(relu ? relu(expected) : expected, got[v], what);
                                        s.assertPaddingZero(out);
                                        s.assertGuards();
                                    }
                                }
                                // The twins agree to the raw bits (the one-shot engine runs the scalar one in place
                                // of the vector one): ±0 and which NaN included, except that the vector kernel's
                                // general loop (windows not all starting inside a row) keeps some NaN, not a
                                // particular one.
                                boolean general = pad >= 3 || (outW - 1) * stride - pad >= w;
                                for (int i = 0; i < got[0].length; i++) {
                                    boolean nan = Float.isNaN(got[0][i]) && Float.isNaN(got[1][i]);
                                    if (general && nan) continue;
                                    assertEquals(Float.floatToRawIntBits(got[1][i]), Float.floatToRawIntBits(got[0][i]),
                                            "vector vs scalar at " + i + ": " + got[1][i] + " vs " + got[0][i]
                                                    + " (c=" + c + ", h=" + h + ", w=" + w + ", stride " + stride + ", pad " + pad + ")");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorMaxPoolRejectsMemoryThatDoesNotHoldItsTensors() {
        BlockedTensor in = BlockedTensor.dense(0, 1, 16, 8, 8);
        BlockedTensor out = BlockedTensor.dense(in.end(), 1, 16, 8, 8);
        Kernel k = MaxPool.create(in, out, 3, 3, 1, 1, 1, 1, 1, 1, false);
        if (k.describe().endsWith("vector")) {
            try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                java.lang.foreign.MemorySegment small = arena.allocate(out.end() - 4);
                assertThrows(IllegalArgumentException.class, () -> k.run(small, 0));
                assertThrows(IllegalArgumentException.class,
                        () -> k.run(java.lang.foreign.MemorySegment.ofArray(new float[(int) out.end()]), 0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maxPoolWindowWhollyOutsideGivesNegativeInfinityAndZeroPadding(boolean vector) {
        // h = 2, kernel 1, stride 3: output row 1 looks at input row 3, which does not exist.
        try (KernelTestSupport s = new KernelTestSupport(1 << 16)) {
            BlockedTensor in = s.tensor(1, 3, 2, 2);
            BlockedTensor out = s.tensor(1, 3, 2, 2);
            s.pack(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, in);
            s.run(vector ? MaxPool.create(in, out, 1, 1, 3, 3, 0, 0, 0, 0, false)
                    : MaxPool.createScalar(in, out, 1, 1, 3, 3, 0, 0, 0, 0, false));
            float[] y = s.unpack(out);
            float inf = Float.NEGATIVE_INFINITY;
            assertBitwise(new float[] {1, inf, inf, inf, 5, inf, inf, inf, 9, inf, inf, inf}, y, "outside");
            s.assertPaddingZero(out);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maxPoolPropagatesNaN(boolean vector) {
        try (KernelTestSupport s = new KernelTestSupport(1 << 16)) {
            BlockedTensor in = s.tensor(1, 2, 2, 2);
            BlockedTensor out = s.tensor(1, 2, 1, 1);
            s.pack(new float[] {1, Float.NaN, 3, 4, 5, 6, 7, 8}, in);
            s.run(vector ? MaxPool.create(in, out, 2, 2, 2, 2, 0, 0, 0, 0, false)
                    : MaxPool.createScalar(in, out, 2, 2, 2, 2, 0, 0, 0, 0, false));
            assertBitwise(new float[] {Float.NaN, 8}, s.unpack(out), "NaN");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void maxPool3x3PropagatesNaNThroughEveryWindowHoldingIt(boolean vector) {
        // 1 channel, 1×7 output row from a 3×9 input, 3×3 stride 1 without padding: every window is interior.
        float[] x = new float[27];
        for (int i = 0; i < x.length; i++) x[i] = i;
        x[9 + 4] = Float.NaN; // middle row, column 4: in the windows starting at columns 2, 3 and 4
        try (KernelTestSupport s = new KernelTestSupport(1 << 16)) {
            BlockedTensor in = s.tensor(1, 1, 3, 9);
            BlockedTensor out = s.tensor(1, 1, 1, 7);
            s.pack(x, in);
            s.run(vector ? MaxPool.create(in, out, 3, 3, 1, 1, 0, 0, 0, 0, false)
                    : MaxPool.createScalar(in, out, 3, 3, 1, 1, 0, 0, 0, 0, false));
            assertBitwise(new float[] {20, 21, Float.NaN, Float.NaN, Float.NaN, 25, 26}, s.unpack(out), "NaN");
        }
    }

    static Stream<Arguments> adaptiveShapes() {
        // n, c, h, w, outH, outW
        return Stream.of(
                Arguments.of(new int[] {1, 512, 14, 14, 4, 4}),   // torchvision's aux head
                Arguments.of(new int[] {3, 24, 7, 5, 3, 2}),      // overlapping uneven windows
                Arguments.of(new int[] {1, 17, 3, 3, 5, 4}),      // upsampling: windows repeat
                Arguments.of(new int[] {2, 1, 6, 6, 1, 1}));
    }

    @ParameterizedTest
    @MethodSource("adaptiveShapes")
    void adaptiveAvgPoolMatchesReference(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3], outH = a[4], outW = a[5];
        float[] x = ints(new Random(c + h), n * c * h * w, -50, 50);
        float[] expected = new float[n * c * outH * outW];
        ReferencePooling.adaptiveAvgPool2d(x, n, c, h, w, expected, outH, outW);
        for (boolean vector : new boolean[] {true, false}) {
            for (boolean relu : new boolean[] {false, true}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w)
                        + BlockedTensor.bytes(n, c + 48, outH, outW) + 4096)) {
                    BlockedTensor in = s.tensor(n, c, h, w);
                    BlockedTensor out = s.slice(n, c, outH, outW, 1, 1);
                    s.pack(x, in);
                    Kernel k = vector ? AdaptiveAvgPool.create(in, out, relu) : AdaptiveAvgPool.createScalar(in, out, relu);
                    s.run(k);
                    float[] want = relu ? relu(expected) : expected;
                    assertUlps(want, s.unpack(out), k.describe().endsWith("scalar") ? 0 : 1, k.describe());
                    s.assertPaddingZero(out);
                    s.assertGuards();
                }
            }
        }
    }

    static Stream<Arguments> globalShapes() {
        // n, c, h, w
        return Stream.of(
                Arguments.of(new int[] {1, 1024, 7, 7}),
                Arguments.of(new int[] {3, 17, 4, 4}),
                Arguments.of(new int[] {2, 100, 1, 1}),
                Arguments.of(new int[] {1, 3, 5, 3}));
    }

    @ParameterizedTest
    @MethodSource("globalShapes")
    void globalAvgPoolMatchesReference(int[] a) {
        int n = a[0], c = a[1], h = a[2], w = a[3];
        float[] x = ints(new Random(c * 7L + h), n * c * h * w, -50, 50);
        float[] expected = new float[n * c];
        ReferencePooling.globalAvgPool(x, n, c, h, w, expected);
        for (boolean vector : new boolean[] {true, false}) {
            for (boolean relu : new boolean[] {false, true}) {
                try (KernelTestSupport s = new KernelTestSupport(BlockedTensor.bytes(n, c + 48, h, w)
                        + BlockedTensor.bytes(n, c + 48, 1, 1) + 4096)) {
                    BlockedTensor in = s.tensor(n, c, h, w);
                    BlockedTensor out = s.slice(n, c, 1, 1, 2, 1);
                    s.pack(x, in);
                    Kernel k = vector ? GlobalAvgPool.create(in, out, relu) : GlobalAvgPool.createScalar(in, out, relu);
                    assertEquals(n * in.blocks(), k.tasks());
                    s.run(k);
                    float[] want = relu ? relu(expected) : expected;
                    boolean powerOfTwo = Integer.bitCount(h * w) == 1;
                    assertUlps(want, s.unpack(out), k.describe().endsWith("scalar") || powerOfTwo ? 0 : 1,
                            k.describe());
                    s.assertPaddingZero(out);
                    s.assertGuards();
                }
            }
        }
    }

    @Test
    void factoriesRejectMismatchedViews() {
        BlockedTensor in = BlockedTensor.dense(0, 1, 16, 4, 4);
        assertThrows(IllegalArgumentException.class,
                () -> MaxPool.create(in, BlockedTensor.dense(0, 1, 32, 2, 2), 2, 2, 2, 2, 0, 0, 0, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> AvgPool.create(in, BlockedTensor.dense(0, 1, 16, 2, 2), 0, 2, 2, 2, 0, 0, 0, 0, true, false));
        assertThrows(IllegalArgumentException.class,
                () -> GlobalAvgPool.create(in, BlockedTensor.dense(0, 1, 16, 2, 1), false));
    }
}
