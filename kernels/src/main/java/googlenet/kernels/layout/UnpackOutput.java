package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.Kernel;
import googlenet.kernels.SpatialTasks;

/**
 * Unpacks a blocked view into a plain NCHW float32 tensor in the arena at byte offset {@code dstOffset} (for
 * H = W = 1 that is [N][F]), dropping padding lanes; the session then copies it to the caller. Tasks: images ×
 * channel blocks ({@link SpatialTasks}). {@link #create} returns the Vector API kernel when {@link Blocking#VECTOR}
 * and the block is 16 lanes ({@link UnpackOutputVector}: 16 pixels × 16 channels transposed in registers), else the
 * scalar one ({@link UnpackOutputScalar}), which {@link #createScalar} always returns and the tests compare it with.
 */
public final class UnpackOutput {

    private UnpackOutput() {
    }

    /** The source and the destination, checked, and the task split. */
    record Params(BlockedTensor src, long dstOffset, SpatialTasks tasks) implements FamilyKernel.Shape {
        @Override
        public String describe() {
            return "unpack NCHW" + Blocking.LANES + "c " + src.dims() + " → NCHW";
        }

        /** Bytes the arena must hold: the source and the destination. */
        long arenaBytes() {
            return Math.max(src.end(), dstOffset + PackInput.plainBytes(src));
        }

        /** Byte offset of channel {@code block}·16 of image {@code n} in the destination. */
        long destination(int n, int block) {
            long plane = (long) src.height() * src.width();
            return dstOffset + ((long) n * src.channels() + (long) block * Blocking.LANES) * plane * Float.BYTES;
        }
    }

    /** Unpacks {@code src} into NCHW at {@code dstOffset}: the vector kernel where it applies (see the class note). */
    public static Kernel create(BlockedTensor src, long dstOffset) {
        Params p = params(src, dstOffset);
        return Blocking.VECTOR ? VectorFactory.create(p) : new UnpackOutputScalar(p);
    }

    /** The scalar kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor src, long dstOffset) {
        return new UnpackOutputScalar(params(src, dstOffset));
    }

    private static Params params(BlockedTensor src, long dstOffset) {
        if (src == null || dstOffset < 0) {
            throw new IllegalArgumentException("bad unpack arguments");
        }
        long dstEnd = dstOffset + PackInput.plainBytes(src);
        if (dstOffset < src.end() && src.offset() < dstEnd) {
            throw new IllegalArgumentException("unpack destination overlaps its source");
        }
        return new Params(src, dstOffset, new SpatialTasks(src.batch(), 1, src.blocks()));
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return TransposeVector16.supported() ? new UnpackOutputVector(p) : new UnpackOutputScalar(p);
        }
    }
}
