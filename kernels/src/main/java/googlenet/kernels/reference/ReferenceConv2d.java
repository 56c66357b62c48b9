package googlenet.kernels.reference;

import java.util.Arrays;
import java.util.Objects;

/**
 * Scalar reference 2-D convolution over NCHW float32 tensors (C-order).
 *
 * <p>With {@code cg = c / groups} input channels and {@code ocg = outChannels / groups} output channels per
 * group, output channel {@code oc} belongs to group {@code g = oc / ocg} and
 * <pre>
 * y[b][oc][oy][ox] = bias[oc] + Σ_{ic &lt; cg, ky &lt; kernelH, kx &lt; kernelW}
 *     x[b][g*cg + ic][oy*strideH - padTop + ky*dilationH][ox*strideW - padLeft + kx*dilationW] * weight[oc][ic][ky][kx]
 * </pre>
 * where taps outside the input contribute 0. Layouts: {@code x} is [n][c][h][w], {@code weight} is
 * [outChannels][cg][kernelH][kernelW] (PyTorch), {@code bias} is [outChannels] or {@code null} (no bias), {@code y}
 * is [n][outChannels][outH][outW]. The caller chooses the output size, so bottom/right padding is implied by
 * {@code outH}/{@code outW}. Each output's sum is accumulated in {@code double}, starting from the bias and adding taps
 * in (ic, ky, kx) order, and rounded to float once at the store.
 */
public final class ReferenceConv2d {

    private ReferenceConv2d() {}

    /**
     * Computes {@code y} as described in the class documentation.
     *
     * @throws IllegalArgumentException if a dimension is negative, a kernel size, stride, dilation or group count is
     *     not positive, {@code c} or {@code outChannels} is not divisible by {@code groups}, or an array length does
     *     not match the dimensions
     */
    public static void conv2d(float[] x, int n, int c, int h, int w,
                              float[] weight, float[] bias, int outChannels,
                              int kernelH, int kernelW, int strideH, int strideW,
                              int padTop, int padLeft, int dilationH, int dilationW, int groups,
                              float[] y, int outH, int outW) {
        check(n >= 0 && c >= 0 && h >= 0 && w >= 0 && outChannels >= 0 && outH >= 0 && outW >= 0,
                "dimensions must be non-negative");
        check(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0,
                "kernel sizes, strides and dilations must be positive");
        check(groups > 0, "groups must be positive, was " + groups);
        check(c % groups == 0, "channels " + c + " not divisible by groups " + groups);
        check(outChannels % groups == 0, "outChannels " + outChannels + " not divisible by groups " + groups);
        int cg = c / groups;
        int ocg = outChannels / groups;
        requireLength("x", x, (long) n * c * h * w);
        requireLength("weight", weight, (long) outChannels * cg * kernelH * kernelW);
        if (bias != null) {
            requireLength("bias", bias, outChannels);
        }
        requireLength("y", y, (long) n * outChannels * outH * outW);

        int plane = h * w;
        int kernelArea = kernelH * kernelW;
        // The tap loops are outermost so the innermost loop runs along an input row; each output still receives
        // its terms in (ic, ky, kx) order, exactly as a per-output loop would add them.
        double[] acc = new double[outH * outW];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < outChannels; oc++) {
                Arrays.fill(acc, bias == null ? 0.0 : bias[oc]);
                int xGroup = (b * c + (oc / ocg) * cg) * plane;
                for (int ic = 0; ic < cg; ic++) {
                    int xChannel = xGroup + ic * plane;
                    for (int ky = 0; ky < kernelH; ky++) {
                        for (int kx = 0; kx < kernelW; kx++) {
                            double wv = weight[(oc * cg + ic) * kernelArea + ky * kernelW + kx];
                            for (int oy = 0; oy < outH; oy++) {
                                int iy = oy * strideH - padTop + ky * dilationH;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                int xRow = xChannel + iy * w;
                                for (int ox = 0; ox < outW; ox++) {
                                    int ix = ox * strideW - padLeft + kx * dilationW;
                                    if (ix >= 0 && ix < w) {
                                        acc[oy * outW + ox] += x[xRow + ix] * wv;
                                    }
                                }
                            }
                        }
                    }
                }
                int yPlane = (b * outChannels + oc) * outH * outW;
                for (int i = 0; i < acc.length; i++) {
                    y[yPlane + i] = (float) acc[i];
                }
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void requireLength(String name, float[] array, long expected) {
        Objects.requireNonNull(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(
                    name + ": expected length " + expected + " but was " + array.length);
        }
    }
}
