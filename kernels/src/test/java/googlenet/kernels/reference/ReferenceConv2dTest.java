package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReferenceConv2dTest {

    // 3x3 input used by several cases:
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

    // 2x2 kernel [[1, 2], [3, 4]]: asymmetric, so a flipped or transposed kernel gives different numbers.
    private static final float[] K2 = {1, 2, 3, 4};

    private static float[] conv(float[] x, int n, int c, int h, int w, float[] weight, float[] bias, int oc,
                                int kh, int kw, int sh, int sw, int pt, int pl, int dh, int dw, int groups,
                                int outH, int outW) {
        float[] y = new float[n * oc * outH * outW];
        ReferenceConv2d.conv2d(x, n, c, h, w, weight, bias, oc, kh, kw, sh, sw, pt, pl, dh, dw, groups,
                y, outH, outW);
        return y;
    }

    @Test
    void noPaddingWithoutBias() {
        // y00 = 1*1 + 2*2 + 3*4 + 4*5 = 37   y01 = 1*2 + 2*3 + 3*5 + 4*6 = 47
        // y10 = 1*4 + 2*5 + 3*7 + 4*8 = 67   y11 = 1*5 + 2*6 + 3*8 + 4*9 = 77
        float[] y = conv(X3, 1, 1, 3, 3, K2, null, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {37, 47, 67, 77}, y);
    }

    @Test
    void noPaddingWithBias() {
        // Same sums as above plus bias 10.
        float[] y = conv(X3, 1, 1, 3, 3, K2, new float[] {10}, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {47, 57, 77, 87}, y);
    }

    @Test
    void padding() {
        // 3x3 all-ones kernel, pad 1: each output is the sum of the in-bounds 3x3 neighbourhood, plus bias 0.5.
        // y00 = 1+2+4+5 = 12          y01 = 1+2+3+4+5+6 = 21      y02 = 2+3+5+6 = 16
        // y10 = 1+2+4+5+7+8 = 27      y11 = 1+...+9 = 45          y12 = 2+3+5+6+8+9 = 33
        // y20 = 4+5+7+8 = 24          y21 = 4+5+6+7+8+9 = 39      y22 = 5+6+8+9 = 28
        float[] ones = {1, 1, 1, 1, 1, 1, 1, 1, 1};
        float[] y = conv(X3, 1, 1, 3, 3, ones, new float[] {0.5f}, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 3, 3);
        assertArrayEquals(new float[] {12.5f, 21.5f, 16.5f, 27.5f, 45.5f, 33.5f, 24.5f, 39.5f, 28.5f}, y);
    }

    @Test
    void stride2() {
        // Windows at (0,0), (0,2), (2,0), (2,2) of the 4x4 input:
        // y00 = 1*1 + 2*2 + 3*5 + 4*6 = 44          y01 = 1*3 + 2*4 + 3*7 + 4*8 = 64
        // y10 = 1*9 + 2*10 + 3*13 + 4*14 = 124      y11 = 1*11 + 2*12 + 3*15 + 4*16 = 144
        float[] y = conv(X4, 1, 1, 4, 4, K2, null, 1, 2, 2, 2, 2, 0, 0, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {44, 64, 124, 144}, y);
    }

    @Test
    void dilation2() {
        // Taps at (oy, ox), (oy, ox+2), (oy+2, ox), (oy+2, ox+2):
        // y00 = 1*1 + 2*3 + 3*9 + 4*11 = 78         y01 = 1*2 + 2*4 + 3*10 + 4*12 = 88
        // y10 = 1*5 + 2*7 + 3*13 + 4*15 = 118       y11 = 1*6 + 2*8 + 3*14 + 4*16 = 128
        float[] y = conv(X4, 1, 1, 4, 4, K2, null, 1, 2, 2, 1, 1, 0, 0, 2, 2, 1, 2, 2);
        assertArrayEquals(new float[] {78, 88, 118, 128}, y);
    }

    @Test
    void outputSizeImpliesBottomRightPadding() {
        // 3x3 input, 2x2 kernel, stride 2, no top/left padding, 2x2 output: the second row/column of windows
        // hangs one past the input (extra bottom/right padding, as in ceil mode).
        // y00 = 1*1 + 2*2 + 3*4 + 4*5 = 37
        // y01 = 1*x[0][2] + 3*x[1][2] = 3 + 18 = 21          (column 3 is outside)
        // y10 = 1*x[2][0] + 2*x[2][1] = 7 + 16 = 23          (row 3 is outside)
        // y11 = 1*x[2][2] = 9
        float[] y = conv(X3, 1, 1, 3, 3, K2, null, 1, 2, 2, 2, 2, 0, 0, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {37, 21, 23, 9}, y);
    }

    @Test
    void nonSquareInputAndKernel() {
        // h=2, w=3 input [[1,2,3],[4,5,6]], 1x2 kernel [1, 10], output 2x2:
        // y00 = 1 + 20 = 21   y01 = 2 + 30 = 32   y10 = 4 + 50 = 54   y11 = 5 + 60 = 65
        float[] x = {1, 2, 3, 4, 5, 6};
        float[] y = conv(x, 1, 1, 2, 3, new float[] {1, 10}, null, 1, 1, 2, 1, 1, 0, 0, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {21, 32, 54, 65}, y);
    }

    @Test
    void batchAndMultipleInputChannels() {
        // n=2, c=2, 1x1 spatial, 1x1 kernel weight [1, 10]:
        // image 0: 1*1 + 10*2 = 21     image 1: 1*3 + 10*4 = 43
        float[] x = {1, 2, 3, 4};
        float[] y = conv(x, 2, 2, 1, 1, new float[] {1, 10}, null, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1);
        assertArrayEquals(new float[] {21, 43}, y);
    }

    @Test
    void multiChannelPaddedStrided() {
        // c=2, outChannels=2, 2x2 kernel, stride 2, pad 1, 2x2 output; bias [0, 100].
        // x: ch0 = [[1,2],[3,4]], ch1 = [[5,6],[7,8]]
        // weight oc0: ch0 [[1,2],[3,4]], ch1 [[0,0],[0,1]];  oc1: ch0 all 1, ch1 all -1
        // Each window has exactly one in-bounds tap:
        //   (0,0): tap (ky=1,kx=1) at x(0,0)   (0,1): tap (1,0) at x(0,1)
        //   (1,0): tap (0,1) at x(1,0)         (1,1): tap (0,0) at x(1,1)
        // oc0: 4*1 + 1*5 = 9,  3*2 + 0*6 = 6,  2*3 + 0*7 = 6,  1*4 + 0*8 = 4
        // oc1: 100 + 1 - 5 = 96, 100 + 2 - 6 = 96, 100 + 3 - 7 = 96, 100 + 4 - 8 = 96
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] weight = {1, 2, 3, 4, 0, 0, 0, 1, 1, 1, 1, 1, -1, -1, -1, -1};
        float[] y = conv(x, 1, 2, 2, 2, weight, new float[] {0, 100}, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 2, 2);
        assertArrayEquals(new float[] {9, 6, 6, 4, 96, 96, 96, 96}, y);
    }

    @Test
    void groups2() {
        // c=4, outChannels=2, groups=2, 1x2 spatial, 1x1 kernel.
        // channels: ch0=[1,2] ch1=[3,4] ch2=[5,6] ch3=[7,8]; weight oc0=[1,10] (sees ch0,ch1), oc1=[100,1000]
        // (sees ch2,ch3).
        // oc0 = [1*1 + 10*3, 1*2 + 10*4] = [31, 42]
        // oc1 = [100*5 + 1000*7, 100*6 + 1000*8] = [7500, 8600]
        float[] x = {1, 2, 3, 4, 5, 6, 7, 8};
        float[] weight = {1, 10, 100, 1000};
        float[] y = conv(x, 1, 4, 1, 2, weight, null, 2, 1, 1, 1, 1, 0, 0, 1, 1, 2, 1, 2);
        assertArrayEquals(new float[] {31, 42, 7500, 8600}, y);
    }

    @Test
    void groups2WithTwoOutputChannelsPerGroup() {
        // c=2, outChannels=4, groups=2, 1x1 spatial, x=[3, 5], weight [1, 2, 3, 4]:
        // oc0, oc1 see ch0=3 -> 3*1 = 3, 3*2 = 6;  oc2, oc3 see ch1=5 -> 5*3 = 15, 5*4 = 20
        float[] y = conv(new float[] {3, 5}, 1, 2, 1, 1, new float[] {1, 2, 3, 4}, null, 4,
                1, 1, 1, 1, 0, 0, 1, 1, 2, 1, 1);
        assertArrayEquals(new float[] {3, 6, 15, 20}, y);
    }

    @Test
    void depthwiseWithBias() {
        // c = groups = outChannels = 2, 2x2 input and kernel, 1x1 output.
        // ch0=[1,2,3,4] with kernel [1,0,0,1]:     1 + 4 = 5,    + bias 0.5 = 5.5
        // ch1=[10,20,30,40] with kernel [0,1,1,0]: 20 + 30 = 50, + bias -1  = 49
        float[] x = {1, 2, 3, 4, 10, 20, 30, 40};
        float[] weight = {1, 0, 0, 1, 0, 1, 1, 0};
        float[] y = conv(x, 1, 2, 2, 2, weight, new float[] {0.5f, -1}, 2, 2, 2, 1, 1, 0, 0, 1, 1, 2, 1, 1);
        assertArrayEquals(new float[] {5.5f, 49}, y);
    }

    @Test
    void wrongLengthsThrow() {
        float[] y = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(new float[8], 1, 1, 3, 3, K2, null, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1,
                        y, 2, 2));
        assertTrue(e.getMessage().contains("9") && e.getMessage().contains("8"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(X3, 1, 1, 3, 3, new float[3], null, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1,
                        y, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(X3, 1, 1, 3, 3, K2, new float[2], 1, 2, 2, 1, 1, 0, 0, 1, 1, 1,
                        y, 2, 2));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(X3, 1, 1, 3, 3, K2, null, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1,
                        new float[5], 2, 2));
    }

    @Test
    void indivisibleGroupsThrow() {
        // c=3 not divisible by groups=2.
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(new float[3], 1, 3, 1, 1, new float[2], null, 2, 1, 1, 1, 1, 0, 0,
                        1, 1, 2, new float[2], 1, 1));
        // outChannels=3 not divisible by groups=2.
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceConv2d.conv2d(new float[2], 1, 2, 1, 1, new float[3], null, 3, 1, 1, 1, 1, 0, 0,
                        1, 1, 2, new float[3], 1, 1));
    }
}
