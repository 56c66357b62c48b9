package googlenet.kernels.norm;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PixelTiledShape;
import googlenet.kernels.PixelTiles;

import java.util.Arrays;

/**
 * Per-channel affine map over NCHWc tensors, {@code y = fma(x, scale[ch], shift[ch])} with optional fused ReLU:
 * a BatchNorm that could not be folded into a convolution. Both variants use one fused multiply-add per element,
 * so they agree bit for bit. May run in place ({@code in} and {@code out} the same view).
 * <p>
 * The factory of {@link ChannelAffineScalar} and {@link ChannelAffineVector}. Tasks: images × pixel tiles × channel
 * blocks ({@link PixelTiles}).
 */
public final class ChannelAffine {
    private static final int PIXELS_PER_TASK = 2048;

    private ChannelAffine() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. {@code scale}, {@code shift}: [C]. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift, boolean relu) {
        Params p = new Params(in, out, scale, shift, relu);
        return Blocking.VECTOR ? VectorFactory.create(p) : new ChannelAffineScalar(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift,
                                      boolean relu) {
        return new ChannelAffineScalar(new Params(in, out, scale, shift, relu));
    }

    /**
     * Inference BatchNorm as an affine map: {@code scale = gamma / sqrt(var + eps)}, {@code shift = beta - mean·scale}
     * (computed in double, rounded once each), then {@link #create}.
     */
    public static Kernel createBatchNorm(BlockedTensor in, BlockedTensor out, float[] gamma, float[] beta,
                                         float[] mean, float[] var, float eps, boolean relu) {
        float[][] affine = batchNormAffine(gamma, beta, mean, var, eps);
        return create(in, out, affine[0], affine[1], relu);
    }

    /** {@link #createBatchNorm} with the scalar kernel. */
    public static Kernel createBatchNormScalar(BlockedTensor in, BlockedTensor out, float[] gamma, float[] beta,
                                               float[] mean, float[] var, float eps, boolean relu) {
        float[][] affine = batchNormAffine(gamma, beta, mean, var, eps);
        return createScalar(in, out, affine[0], affine[1], relu);
    }

    /** {@code {scale, shift}} of an inference BatchNorm. */
    public static float[][] batchNormAffine(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            throw new IllegalArgumentException("BatchNorm parameter lengths differ");
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double s = gamma[ch] / Math.sqrt((double) var[ch] + eps);
            scale[ch] = (float) s;
            shift[ch] = (float) (beta[ch] - mean[ch] * s);
        }
        return new float[][] {scale, shift};
    }

    /** What the two kernels share: the tensors and the padded scale and shift, checked, and the task split. */
    record Params(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift, boolean relu, PixelTiles tiles)
            implements PixelTiledShape {
        Params(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift, boolean relu) {
            if (in == null || out == null || scale == null || shift == null) {
                throw new IllegalArgumentException("arguments must not be null");
            }
            if (!in.sameShape(out)) {
                throw new IllegalArgumentException("affine input and output shapes differ");
            }
            if (scale.length != in.channels() || shift.length != in.channels()) {
                throw new IllegalArgumentException("scale/shift need " + in.channels() + " values, have "
                        + scale.length + "/" + shift.length);
            }
            if (!in.equals(out) && in.overlaps(out)) {
                throw new IllegalArgumentException("affine output overlaps its input without being the same view");
            }
            // Padded with zeros: padding lanes map 0 to fma(0, 0, 0) = 0.
            this(in, out, Arrays.copyOf(scale, Blocking.padded(in.channels())),
                    Arrays.copyOf(shift, Blocking.padded(in.channels())), relu, PixelTiles.of(in, PIXELS_PER_TASK));
        }

        @Override
        public String describe() {
            return "channel affine " + in.dims() + (relu ? " +relu" : "");
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return new ChannelAffineVector(p);
        }
    }
}
