package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

/**
 * 2-D max pooling over NCHWc tensors, as {@code ReferencePooling.maxPool2d}: output (oy, ox) takes the maximum of
 * input rows {@code oy*strideH - padTop + [0, kernelH)} and columns {@code ox*strideW - padLeft + [0, kernelW)}
 * that lie inside the input. Padded taps never win; a window with no tap inside the input gives -Infinity (0 in
 * padding lanes). NaN propagates. The output size is the output view's (ceil mode is a larger output), so bottom
 * and right padding only matter through it. Optional fused ReLU.
 * <p>
 * The factory of {@link MaxPoolScalar} and {@link MaxPoolVector}. Tasks: images × output-row tiles × channel blocks
 * ({@link googlenet.kernels.SpatialTasks}).
 */
public final class MaxPool {

    private MaxPool() {
    }

    /**
     * key(x) = (bits ^ (sign ? 0x7FFFFFFF : 0)) - 0x7FFFFF: the xor orders all floats but the negative NaNs,
     * which it puts below -∞; the wrapping subtraction moves exactly those to the top.
     */
    static final int KEY_SHIFT = 0x7FFFFF;

    /**
     * An int whose signed order is the order of the floats (-0 just below +0) with every NaN above +∞: the maximum of
     * keys is the maximum with NaN propagation, and which float it is does not depend on the order of the taps.
     */
    static int key(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (bits ^ ((bits >> 31) >>> 1)) - KEY_SHIFT;
    }

    /** The float whose {@link #key} is {@code k}. */
    static float fromKey(int k) {
        int bits = k + KEY_SHIFT;
        return Float.intBitsToFloat(bits ^ ((bits >> 31) >>> 1));
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                boolean relu) {
        PoolWindow window = new PoolWindow(kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight);
        PoolShape shape = shape(in, out, window, relu);
        return Blocking.VECTOR ? VectorFactory.create(shape, window) : new MaxPoolScalar(shape);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                      int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                      boolean relu) {
        PoolWindow window = new PoolWindow(kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight);
        return new MaxPoolScalar(shape(in, out, window, relu));
    }

    private static PoolShape shape(BlockedTensor in, BlockedTensor out, PoolWindow window, boolean relu) {
        return PoolShape.windowed("maxpool " + window.describe(), in, out, relu, window, false);
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(PoolShape shape, PoolWindow window) {
            return new MaxPoolVector(shape, window);
        }
    }
}
