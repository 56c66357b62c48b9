package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

/**
 * Global average pooling over NCHWc tensors: {@code y[n][ch] = Σ x[n][ch][iy][ix] / (H·W)} into an output view with
 * H = W = 1, as {@code ReferencePooling.globalAvgPool}. Optional fused ReLU.
 * <p>
 * It is adaptive average pooling to 1×1, whose one window is the whole input: this factory checks the 1×1 output
 * and builds {@link AvgPoolScalar} or {@link AvgPoolVector} over that window, which sum its pixels in row-major order
 * (precision as {@link AvgPool}). Tasks: images × channel blocks ({@link googlenet.kernels.SpatialTasks}).
 */
public final class GlobalAvgPool {

    private GlobalAvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, boolean relu) {
        PoolShape shape = shape(in, out, relu);
        return Blocking.VECTOR ? VectorFactory.create(shape) : new AvgPoolScalar(shape);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, boolean relu) {
        return new AvgPoolScalar(shape(in, out, relu));
    }

    /** The tensors, checked; one part per image (its one output row). */
    private static PoolShape shape(BlockedTensor in, BlockedTensor out, boolean relu) {
        PoolSupport.checkPair(in, out);
        PoolSupport.check(out.height() == 1 && out.width() == 1, "global pooling output must be 1×1, was "
                + out.height() + "×" + out.width());
        return PoolShape.adaptive("global avgpool", in, out, relu);
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(PoolShape shape) {
            return new AvgPoolVector(shape);
        }
    }
}
