package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

/**
 * 2-D average pooling over NCHWc tensors with PyTorch's divisor rule, exactly as
 * {@code ReferencePooling.avgPool2d}: per output row (columns likewise)
 * <pre>
 * hStart = oy*strideH - padTop;  hEnd = min(hStart + kernelH, h + padBottom);  poolH = max(hEnd - hStart, 0)
 * hStart = max(hStart, 0);       hEnd = min(hEnd, h)
 * divisor = countIncludePad ? poolH * poolW : (hEnd - hStart) * (wEnd - wStart)
 * </pre>
 * A zero divisor gives NaN (0 in padding lanes). Optional fused ReLU.
 * <p>
 * Precision: the scalar variant sums in {@code double} in the reference's order and rounds once, so it equals the
 * reference bit for bit. The vector variant sums in float (window in row-major order) and divides by the divisor
 * in float (a true division, not a reciprocal multiply): exact for a power-of-two divisor when the sum is exact,
 * otherwise within a couple of ulps of the float sum's error.
 * <p>
 * The factory of {@link AvgPoolScalar} and {@link AvgPoolVector}, which also serve {@link AdaptiveAvgPool} and
 * {@link GlobalAvgPool} (their windows in {@link PoolWindows}). Tasks: images × output-row tiles × channel blocks
 * ({@link googlenet.kernels.SpatialTasks}).
 */
public final class AvgPool {

    private AvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                boolean countIncludePad, boolean relu) {
        PoolShape shape = shape(in, out, new PoolWindow(kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom,
                padRight), countIncludePad, relu);
        return Blocking.VECTOR ? VectorFactory.create(shape) : new AvgPoolScalar(shape);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                      int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                      boolean countIncludePad, boolean relu) {
        return new AvgPoolScalar(shape(in, out, new PoolWindow(kernelH, kernelW, strideH, strideW, padTop, padLeft,
                padBottom, padRight), countIncludePad, relu));
    }

    private static PoolShape shape(BlockedTensor in, BlockedTensor out, PoolWindow window, boolean countIncludePad,
                                   boolean relu) {
        return PoolShape.windowed("avgpool " + window.describe() + (countIncludePad ? " include-pad" : ""), in, out,
                relu, window, countIncludePad);
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(PoolShape shape) {
            return new AvgPoolVector(shape);
        }
    }
}
