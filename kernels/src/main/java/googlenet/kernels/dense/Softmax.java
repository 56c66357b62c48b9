package googlenet.kernels.dense;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.Kernel;
import googlenet.kernels.SpatialTasks;

/**
 * Softmax over the channels of an NCHWc tensor with H = W = 1 (features as [N][F padded]), as
 * {@code ReferenceSoftmax}: {@code m = max x}, {@code y = exp(x - m) / Σ exp(x - m)}; padding lanes are ignored and
 * written as 0; NaN and ±Infinity behave as in the reference (IEEE arithmetic: a row with NaN or +Infinity, or of only
 * -Infinity, is NaN everywhere). May run in place.
 * <p>
 * Precision and speed: {@code x - m}, the exponentials, the sum and the quotient are computed in double and rounded
 * to float once, as the reference does, so the result equals the reference bit for bit. There is no Vector API
 * variant: a double-lane {@code VectorOperators.EXP} version (float→double {@code convertShape}) measured 5× slower
 * than this loop on JDK 25 and allocated, its EXP and conversion intrinsics failing to inline; 1000 classes take
 * ~30 µs here, negligible next to the network. The factory of {@link SoftmaxScalar}. Tasks: one per image.
 */
public final class Softmax {
    private Softmax() {
    }

    /** The softmax kernel: the scalar double kernel whatever {@link Blocking#VECTOR} says (see the class note). */
    public static Kernel create(BlockedTensor in, BlockedTensor out) {
        check(in, out);
        return new SoftmaxScalar(new Params(in, out));
    }

    /** The scalar kernel (the same as {@link #create}). */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out) {
        check(in, out);
        return new SoftmaxScalar(new Params(in, out));
    }

    /** The tensors, checked: one task per image. */
    record Params(BlockedTensor in, BlockedTensor out) implements FamilyKernel.Shape {
        @Override
        public SpatialTasks tasks() {
            return new SpatialTasks(in.batch(), 1, 1);
        }

        @Override
        public String describe() {
            return "softmax " + in.channels();
        }
    }

    private static void check(BlockedTensor in, BlockedTensor out) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("tensors must not be null");
        }
        if (in.height() != 1 || in.width() != 1 || out.height() != 1 || out.width() != 1) {
            throw new IllegalArgumentException("softmax works on H = W = 1 tensors");
        }
        if (in.batch() != out.batch() || in.channels() != out.channels()) {
            throw new IllegalArgumentException("softmax input and output shapes differ");
        }
        if (!in.equals(out) && in.offset() < out.end() && out.offset() < in.end()) {
            throw new IllegalArgumentException("softmax output overlaps its input without being the same view");
        }
    }
}
