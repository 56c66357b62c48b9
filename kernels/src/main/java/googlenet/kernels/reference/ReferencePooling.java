package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference pooling over NCHW float32 tensors (C-order): {@code x} is [n][c][h][w], {@code y} is
 * [n][c][outH][outW] (or [n][c] for global pooling). The caller chooses the output size, so bottom/right padding
 * (including ceil-mode extra rows and columns) is implied by {@code outH}/{@code outW}. Output (oy, ox) looks at
 * input rows {@code oy*strideH - padTop + [0, kernelH)} and columns {@code ox*strideW - padLeft + [0, kernelW)}.
 * Sums are accumulated in {@code double} in row-major window order and rounded to float once at the store.
 */
public final class ReferencePooling {

    private ReferencePooling() {}

    /**
     * Max pooling: {@code y = max} over the window's taps that lie inside the input; padding never wins (PyTorch
     * pads with -inf). A window with no tap inside the input yields -Infinity. If any tap is NaN the result is NaN.
     *
     * @throws IllegalArgumentException if a dimension or padding is negative, a kernel size or stride is not
     *     positive, or an array length does not match the dimensions
     */
    public static void maxPool2d(float[] x, int n, int c, int h, int w,
                                 int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft,
                                 float[] y, int outH, int outW) {
        checkWindow(n, c, h, w, kernelH, kernelW, strideH, strideW, outH, outW);
        check(padTop >= 0 && padLeft >= 0, "padding must be non-negative");
        requireLength("x", x, (long) n * c * h * w);
        requireLength("y", y, (long) n * c * outH * outW);

        for (int nc = 0; nc < n * c; nc++) {
            int xPlane = nc * h * w;
            int yPlane = nc * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int hStart = Math.max(oy * strideH - padTop, 0);
                int hEnd = Math.min(oy * strideH - padTop + kernelH, h);
                for (int ox = 0; ox < outW; ox++) {
                    int wStart = Math.max(ox * strideW - padLeft, 0);
                    int wEnd = Math.min(ox * strideW - padLeft + kernelW, w);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = hStart; iy < hEnd; iy++) {
                        for (int ix = wStart; ix < wEnd; ix++) {
                            float v = x[xPlane + iy * w + ix];
                            // Once max is NaN no comparison succeeds, so NaN sticks.
                            if (v > max || Float.isNaN(v)) {
                                max = v;
                            }
                        }
                    }
                    y[yPlane + oy * outW + ox] = max;
                }
            }
        }
    }

    /**
     * Average pooling with exactly PyTorch's (aten AvgPool2d, also ONNX Runtime's) divisor rule. Per output row
     * (columns likewise, with padLeft/padRight and w):
     * <pre>
     * hStart = oy*strideH - padTop;  hEnd = min(hStart + kernelH, h + padBottom);  poolH = hEnd - hStart
     * hStart = max(hStart, 0);       hEnd = min(hEnd, h)
     * divisor = countIncludePad ? poolH * poolW : (hEnd - hStart) * (wEnd - wStart)
     * y = Σ x over [hStart, hEnd) × [wStart, wEnd) / divisor
     * </pre>
     * So the part of a window beyond the padded input (ceil mode) is never counted, even with
     * {@code countIncludePad}. Extents are clamped at 0. An empty clipped window sums to 0: the result is 0 when
     * the divisor is positive and NaN when the divisor is 0 (e.g. a window lying entirely in the padding with
     * {@code countIncludePad == false}, or one starting beyond the padded input).
     *
     * @throws IllegalArgumentException if a dimension or padding is negative, a kernel size or stride is not
     *     positive, or an array length does not match the dimensions
     */
    public static void avgPool2d(float[] x, int n, int c, int h, int w,
                                 int kernelH, int kernelW, int strideH, int strideW,
                                 int padTop, int padLeft, int padBottom, int padRight, boolean countIncludePad,
                                 float[] y, int outH, int outW) {
        checkWindow(n, c, h, w, kernelH, kernelW, strideH, strideW, outH, outW);
        check(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0, "padding must be non-negative");
        requireLength("x", x, (long) n * c * h * w);
        requireLength("y", y, (long) n * c * outH * outW);

        for (int nc = 0; nc < n * c; nc++) {
            int xPlane = nc * h * w;
            int yPlane = nc * outH * outW;
            for (int oy = 0; oy < outH; oy++) {
                int hStart = oy * strideH - padTop;
                int hEnd = Math.min(hStart + kernelH, h + padBottom);
                int poolH = Math.max(hEnd - hStart, 0);
                hStart = Math.max(hStart, 0);
                hEnd = Math.min(hEnd, h);
                for (int ox = 0; ox < outW; ox++) {
                    int wStart = ox * strideW - padLeft;
                    int wEnd = Math.min(wStart + kernelW, w + padRight);
                    int poolW = Math.max(wEnd - wStart, 0);
                    wStart = Math.max(wStart, 0);
                    wEnd = Math.min(wEnd, w);
                    double sum = 0.0;
                    for (int iy = hStart; iy < hEnd; iy++) {
                        for (int ix = wStart; ix < wEnd; ix++) {
                            sum += x[xPlane + iy * w + ix];
                        }
                    }
                    int divisor = countIncludePad
                            ? poolH * poolW
                            : Math.max(hEnd - hStart, 0) * Math.max(wEnd - wStart, 0);
                    y[yPlane + oy * outW + ox] = divisor == 0 ? Float.NaN : (float) (sum / divisor);
                }
            }
        }
    }

    /**
     * Global average pooling: {@code y[b][ch] = Σ_{iy, ix} x[b][ch][iy][ix] / (h*w)}; {@code y} is [n][c]. An
     * empty plane ({@code h*w == 0}) gives NaN.
     *
     * @throws IllegalArgumentException if a dimension is negative or an array length does not match the dimensions
     */
    public static void globalAvgPool(float[] x, int n, int c, int h, int w, float[] y) {
        check(n >= 0 && c >= 0 && h >= 0 && w >= 0, "dimensions must be non-negative");
        requireLength("x", x, (long) n * c * h * w);
        requireLength("y", y, (long) n * c);

        int plane = h * w;
        for (int nc = 0; nc < n * c; nc++) {
            double sum = 0.0;
            for (int i = 0; i < plane; i++) {
                sum += x[nc * plane + i];
            }
            y[nc] = plane == 0 ? Float.NaN : (float) (sum / plane);
        }
    }

    /**
     * Adaptive average pooling to {@code outH × outW} (PyTorch's {@code adaptive_avg_pool2d}): output row i
     * averages input rows {@code [floor(i·h/outH), ceil((i+1)·h/outH))}, and likewise for columns.
     */
    public static void adaptiveAvgPool2d(float[] x, int n, int c, int h, int w, float[] y, int outH, int outW) {
        check(n >= 0 && c >= 0 && h > 0 && w > 0 && outH > 0 && outW > 0, "dimensions must be positive");
        requireLength("x", x, (long) n * c * h * w);
        requireLength("y", y, (long) n * c * outH * outW);
        for (int nc = 0; nc < n * c; nc++) {
            for (int oy = 0; oy < outH; oy++) {
                int y0 = Math.floorDiv(oy * h, outH);
                int y1 = Math.ceilDiv((oy + 1) * h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.floorDiv(ox * w, outW);
                    int x1 = Math.ceilDiv((ox + 1) * w, outW);
                    double sum = 0.0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += x[(nc * h + iy) * w + ix];
                        }
                    }
                    y[(nc * outH + oy) * outW + ox] = (float) (sum / ((y1 - y0) * (x1 - x0)));
                }
            }
        }
    }

    private static void checkWindow(int n, int c, int h, int w, int kernelH, int kernelW,
                                    int strideH, int strideW, int outH, int outW) {
        check(n >= 0 && c >= 0 && h >= 0 && w >= 0 && outH >= 0 && outW >= 0, "dimensions must be non-negative");
        check(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0, "kernel sizes and strides must be positive");
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
