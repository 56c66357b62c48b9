package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferencePoolingTest {

    private static final float NAN = Float.NaN;
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;

    // 2x2 input [[1, 2], [3, 4]].
    private static final float[] X2 = {1, 2, 3, 4};

    // 3x3 input 1..9:
    //   1 2 3
    //   4 5 6
    //   7 8 9
    private static final float[] X3 = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    // 4x4 input 1..16:
    //    1  2  3  4
    //    5  6  7  8
    //    9 10 11 12
    //   13 14 15 16
    private static final float[] X4 = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    private static float[] maxPool(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw,
                                   int pt, int pl, int outH, int outW) {
        float[] y = new float[n * c * outH * outW];
        ReferencePooling.maxPool2d(x, n, c, h, w, kh, kw, sh, sw, pt, pl, y, outH, outW);
        return y;
    }

    private static float[] avgPool(float[] x, int h, int w, int kh, int kw, int sh, int sw,
                                   int pt, int pl, int pb, int pr, boolean includePad, int outH, int outW) {
        float[] y = new float[outH * outW];
        ReferencePooling.avgPool2d(x, 1, 1, h, w, kh, kw, sh, sw, pt, pl, pb, pr, includePad, y, outH, outW);
        return y;
    }

    @Test
    void maxPoolPaddingNeverWins() {
        // Input [[-1, -2], [-3, -4]], kernel 2, stride 1, pad 1, 3x3 output. Zero padding would give 0 at the
        // edges; here each output is the max of the in-bounds taps only:
        // row 0 (input row 0):    max(-1) = -1, max(-1,-2) = -1, max(-2) = -2
        // row 1 (input rows 0,1): max(-1,-3) = -1, max(all) = -1, max(-2,-4) = -2
        // row 2 (input row 1):    max(-3) = -3, max(-3,-4) = -3, max(-4) = -4
        float[] x = {-1, -2, -3, -4};
        float[] y = maxPool(x, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 3, 3);
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, y);
    }

    @Test
    void maxPoolCeilModeExtraRowAndColumn() {
        // 3x3 input, kernel 2, stride 2, 2x2 output (ceil mode): the last row/column of windows is clipped.
        // y00 = max(1,2,4,5) = 5   y01 = max(3,6) = 6   y10 = max(7,8) = 8   y11 = max(9) = 9
        float[] y = maxPool(X3, 1, 1, 3, 3, 2, 2, 2, 2, 0, 0, 2, 2);
        assertArrayEquals(new float[] {5, 6, 8, 9}, y);
    }

    @Test
    void maxPoolWindowOutsideInputIsNegativeInfinity() {
        // 1x1 input [5], kernel 1, stride 2, 1x2 output: the second window covers column 2, outside the input.
        float[] y = maxPool(new float[] {5}, 1, 1, 1, 1, 1, 1, 2, 2, 0, 0, 1, 2);
        assertArrayEquals(new float[] {5, NEG_INF}, y);
    }

    @Test
    void maxPoolPropagatesNaN() {
        // Two channels, kernel 2 over 2x2: NaN first in the window, and NaN after larger values.
        float[] x = {NAN, 1, 2, 3, 7, NAN, 9, 8};
        float[] y = maxPool(x, 1, 2, 2, 2, 2, 2, 1, 1, 0, 0, 1, 1);
        assertArrayEquals(new float[] {NAN, NAN}, y);
    }

    @Test
    void maxPoolBatchAndChannels() {
        // n=2, c=2, 1x2 planes, kernel 1x2: max of each plane.
        float[] x = {1, -1, 0, 2, 5, 4, -3, -7};
        float[] y = maxPool(x, 2, 2, 1, 2, 1, 2, 1, 1, 0, 0, 1, 1);
        assertArrayEquals(new float[] {1, 2, 5, -3}, y);
    }

    @Test
    void avgPoolPaddingCountIncludePad() {
        // Input [[1, 2], [3, 4]], kernel 2, stride 1, pad 1 all round, 3x3 output; every window lies inside the
        // padded 4x4 input, so every divisor is 4.
        // y00 = 1/4       y01 = (1+2)/4       y02 = 2/4
        // y10 = (1+3)/4   y11 = (1+2+3+4)/4   y12 = (2+4)/4
        // y20 = 3/4       y21 = (3+4)/4       y22 = 4/4
        float[] y = avgPool(X2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, true, 3, 3);
        assertArrayEquals(new float[] {0.25f, 0.75f, 0.5f, 1, 2.5f, 1.5f, 0.75f, 1.75f, 1}, y);
    }

    @Test
    void avgPoolPaddingCountExcludePad() {
        // Same windows, divided by the number of in-bounds taps:
        // y00 = 1/1       y01 = (1+2)/2       y02 = 2/1
        // y10 = (1+3)/2   y11 = 10/4          y12 = (2+4)/2
        // y20 = 3/1       y21 = (3+4)/2       y22 = 4/1
        float[] y = avgPool(X2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, false, 3, 3);
        assertArrayEquals(new float[] {1, 1.5f, 2, 2, 2.5f, 3, 3, 3.5f, 4}, y);
    }

    @Test
    void avgPoolCeilModeWindowPastPaddedInputCountIncludePad() {
        // 4x4 input, kernel 3, stride 2, pad 1 all round, 3x3 output (ceil mode; floor mode would give 2x2).
        // Rows (columns alike): oy=0: start -1, end min(2, 4+1) = 2, pool 3, clipped rows 0..1
        //                       oy=1: start  1, end min(4, 5)   = 4, pool 3, clipped rows 1..3
        //                       oy=2: start  3, end min(6, 5)   = 5, pool 2, clipped row  3
        // Sums: y00 = 1+2+5+6 = 14                  y01 = 2+3+4+6+7+8 = 30         y02 = 4+8 = 12
        //       y10 = 5+6+9+10+13+14 = 57           y11 = 6+7+8+10+11+12+14+15+16 = 99
        //       y12 = 8+12+16 = 36                  y20 = 13+14 = 27   y21 = 14+15+16 = 45   y22 = 16
        // Divisors pool_h*pool_w: 9 9 6 / 9 9 6 / 6 6 4 -- the corner is 4, less than the kernel area 9.
        float[] y = avgPool(X4, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, true, 3, 3);
        float[] expected = {14f / 9, 30f / 9, 12f / 6, 57f / 9, 99f / 9, 36f / 6, 27f / 6, 45f / 6, 16f / 4};
        assertArrayEquals(expected, y, 1e-6f);
    }

    @Test
    void avgPoolCeilModeWindowPastPaddedInputCountExcludePad() {
        // Same windows as above; divisors are the in-bounds counts: 4 6 2 / 6 9 3 / 2 3 1.
        // 14/4 = 3.5   30/6 = 5    12/2 = 6
        // 57/6 = 9.5   99/9 = 11   36/3 = 12
        // 27/2 = 13.5  45/3 = 15   16/1 = 16
        float[] y = avgPool(X4, 4, 4, 3, 3, 2, 2, 1, 1, 1, 1, false, 3, 3);
        assertArrayEquals(new float[] {3.5f, 5, 6, 9.5f, 11, 12, 13.5f, 15, 16}, y);
    }

    @Test
    void avgPoolCeilModeWithoutPadding() {
        // 3x3 input, kernel 2, stride 2, no padding, 2x2 output. The last row/column window is cut at the input
        // (h + padBottom = 3), so even with countIncludePad the divisors are 4 2 / 2 1:
        // y00 = (1+2+4+5)/4 = 3   y01 = (3+6)/2 = 4.5   y10 = (7+8)/2 = 7.5   y11 = 9/1 = 9
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, avgPool(X3, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, true, 2, 2));
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, avgPool(X3, 3, 3, 2, 2, 2, 2, 0, 0, 0, 0, false, 2, 2));
    }

    @Test
    void avgPoolAsymmetricPadding() {
        // 1x3 input [3, 6, 9], kernel 1x2, stride 1x2, padLeft 0, padRight 1, 1x2 output.
        // ox=0: cols 0..1 -> (3+6)/2 = 4.5
        // ox=1: start 2, end min(4, 3+1) = 4, pool 2; clipped to col 2 -> include: 9/2 = 4.5, exclude: 9/1 = 9
        float[] x = {3, 6, 9};
        assertArrayEquals(new float[] {4.5f, 4.5f}, avgPool(x, 1, 3, 1, 2, 1, 2, 0, 0, 0, 1, true, 1, 2));
        assertArrayEquals(new float[] {4.5f, 9}, avgPool(x, 1, 3, 1, 2, 1, 2, 0, 0, 0, 1, false, 1, 2));
    }

    @Test
    void avgPoolEmptyClippedWindow() {
        // 1x1 input [5], kernel 1, padTop 1, 3x1 output.
        // oy=0: start -1, end min(0, 1) = 0: pool 1 but nothing in bounds -> include: 0/1 = 0, exclude: 0/0 = NaN
        // oy=1: the input element 5
        // oy=2: start 1, end min(2, 1) = 1: pool 0, beyond the padded input -> divisor 0 -> NaN either way
        float[] x = {5};
        assertArrayEquals(new float[] {0, 5, NAN}, avgPool(x, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, true, 3, 1));
        assertArrayEquals(new float[] {NAN, 5, NAN}, avgPool(x, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, false, 3, 1));
    }

    @Test
    void globalAvgPool() {
        // n=2, c=2, 2x2 planes:
        // [1,2,3,4] -> 10/4 = 2.5        [10,20,30,41] -> 101/4 = 25.25
        // [-1,1,-1,1] -> 0/4 = 0         [1,1,1,2] -> 5/4 = 1.25
        float[] x = {1, 2, 3, 4, 10, 20, 30, 41, -1, 1, -1, 1, 1, 1, 1, 2};
        float[] y = new float[4];
        ReferencePooling.globalAvgPool(x, 2, 2, 2, 2, y);
        assertArrayEquals(new float[] {2.5f, 25.25f, 0, 1.25f}, y);
    }

    @Test
    void globalAvgPoolNonPowerOfTwo() {
        // 1x3 plane [1, 2, 4] -> 7/3
        float[] y = new float[1];
        ReferencePooling.globalAvgPool(new float[] {1, 2, 4}, 1, 1, 1, 3, y);
        assertArrayEquals(new float[] {7f / 3}, y, 1e-6f);
    }

    @Test
    void wrongLengthsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.maxPool2d(new float[3], 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, new float[1], 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.maxPool2d(X2, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, new float[2], 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.avgPool2d(new float[5], 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, true,
                        new float[1], 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.avgPool2d(X2, 1, 1, 2, 2, 2, 2, 1, 1, 0, 0, 0, 0, true,
                        new float[4], 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.globalAvgPool(X2, 1, 2, 2, 2, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferencePooling.globalAvgPool(X2, 1, 1, 2, 2, new float[2]));
    }

    @Test
    void adaptiveAvgPoolUsesPyTorchsOverlappingWindows() {
        // 5 columns to 2: windows [floor(0·5/2), ceil(1·5/2)) = [0, 3) and [floor(1·5/2), ceil(2·5/2)) = [2, 5)
        float[] x = {1, 2, 3, 4, 5};
        float[] y = new float[2];
        ReferencePooling.adaptiveAvgPool2d(x, 1, 1, 1, 5, y, 1, 2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new float[]{2f, 4f}, y); // (1+2+3)/3, (3+4+5)/3
    }
}
