package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.util.Objects;

/**
 * Builds convolution steps over NCHWc tensors. {@link #create} picks the Vector API register-tiled kernel when
 * {@link Blocking#VECTOR} holds and the convolution has one group, no dilation and a horizontal stride of 1 or 2
 * (every GoogLeNet convolution); anything else runs on the scalar blocked kernel, which is correct, not fast.
 *
 * <p>{@code in} and {@code out} are views into the arena the kernel later runs on; {@code out} may be a channel slice
 * of a larger tensor (a concat), and the kernel writes exactly its blocks, zeros in the padding lanes of the last one.
 * The input's padding lanes must be zero. Output height and width must be those the geometry gives for the input.
 * The packed weights' segment must be readable by every thread that runs the kernel.
 */
public final class Conv2dKernels {
    private Conv2dKernels() {
    }

    /** The fastest kernel available for this convolution. */
    public static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        check(g, w, in, out);
        if (Blocking.VECTOR && Conv2dVector.supports(g)) {
            return VectorFactory.create(g, w, relu, in, out);
        }
        return new Conv2dScalar(g, w, relu, in, out);
    }

    /** Always the scalar blocked kernel: the fallback and the twin the vector kernel is tested against. */
    public static Kernel createScalar(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        check(g, w, in, out);
        return new Conv2dScalar(g, w, relu, in, out);
    }

    private static void check(ConvGeometry g, PackedConvWeights w, BlockedTensor in, BlockedTensor out) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(w, "weights");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (!w.geometry().equals(g)) {
            throw new IllegalArgumentException("weights were packed for " + w.geometry() + ", not " + g);
        }
        if (in.channels() != g.inChannels() || out.channels() != g.outChannels()) {
            throw new IllegalArgumentException("channels " + in.channels() + "→" + out.channels() + " do not match " + g);
        }
        if (in.batch() != out.batch()) {
            throw new IllegalArgumentException("batch " + in.batch() + " in, " + out.batch() + " out");
        }
        if (out.height() != g.outHeight(in.height()) || out.width() != g.outWidth(in.width())) {
            throw new IllegalArgumentException("output " + out.height() + "×" + out.width() + " but " + g + " on "
                    + in.height() + "×" + in.width() + " gives " + g.outHeight(in.height()) + "×" + g.outWidth(in.width()));
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
            return new Conv2dVector(g, w, relu, in, out);
        }
    }
}
