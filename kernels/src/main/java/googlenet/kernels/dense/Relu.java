package googlenet.kernels.dense;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PixelTiledShape;
import googlenet.kernels.PixelTiles;

/**
 * Standalone ReLU over an NCHWc tensor, {@code y = x > 0 ? x : +0} with NaN kept (as {@code ReferenceActivations}),
 * for producers that could not fuse it. May run in place ({@code in} and {@code out} the same view); padding lanes
 * map 0 to 0.
 * <p>
 * The factory of {@link ReluScalar} and {@link ReluVector}. Tasks: images × pixel tiles × channel blocks
 * ({@link PixelTiles}).
 */
public final class Relu {
    private static final int PIXELS_PER_TASK = 4096;

    private Relu() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out) {
        Params p = new Params(in, out);
        return Blocking.VECTOR ? VectorFactory.create(p) : new ReluScalar(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out) {
        return new ReluScalar(new Params(in, out));
    }

    /** What the two kernels share: the tensors, checked, and the task split. */
    record Params(BlockedTensor in, BlockedTensor out, PixelTiles tiles) implements PixelTiledShape {
        Params(BlockedTensor in, BlockedTensor out) {
            if (in == null || out == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (!in.sameShape(out)) {
                throw new IllegalArgumentException("relu input and output shapes differ");
            }
            if (!in.equals(out) && in.overlaps(out)) {
                throw new IllegalArgumentException("relu output overlaps its input without being the same view");
            }
            this(in, out, PixelTiles.of(in, PIXELS_PER_TASK));
        }

        @Override
        public String describe() {
            return "relu " + in.dims();
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return new ReluVector(p);
        }
    }
}
