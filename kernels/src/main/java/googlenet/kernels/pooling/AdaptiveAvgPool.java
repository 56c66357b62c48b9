package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

/**
 * Adaptive average pooling (PyTorch {@code adaptive_avg_pool2d}) over NCHWc tensors to the output view's
 * {@code outH × outW}: output row i averages input rows {@code [floor(i·H/outH), ceil((i+1)·H/outH))}, columns
 * likewise, as {@code ReferencePooling.adaptiveAvgPool2d}. Optional fused ReLU.
 * <p>
 * Average pooling over these windows ({@link PoolWindows#adaptive}): the factory of {@link AvgPoolScalar} and
 * {@link AvgPoolVector}, so the precision is {@link AvgPool}'s (the scalar kernel sums in double and equals the
 * reference bit for bit; the vector kernel sums in float and divides once). Tasks: images × output-row tiles ×
 * channel blocks ({@link googlenet.kernels.SpatialTasks}).
 */
public final class AdaptiveAvgPool {

    private AdaptiveAvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, boolean relu) {
        PoolShape shape = PoolShape.adaptive("adaptive avgpool", in, out, relu);
        return Blocking.VECTOR ? VectorFactory.create(shape) : new AvgPoolScalar(shape);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, boolean relu) {
        return new AvgPoolScalar(PoolShape.adaptive("adaptive avgpool", in, out, relu));
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(PoolShape shape) {
            return new AvgPoolVector(shape);
        }
    }
}
