package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.Kernel;
import googlenet.kernels.SpatialTasks;


/**
 * Packs a plain NCHW float32 tensor that sits in the arena at byte offset {@code srcOffset} (the session copies the
 * caller's input there first) into a blocked view, writing zeros in padding lanes. The shape is the view's.
 * Tasks: images × row chunks × channel blocks (a 3-channel 224×224 image is one block: without the row chunks it
 * would be one task, the only step of a run that a second thread could not share). Within a block, a task's rows
 * are one run of pixels in the source planes and in the destination alike, so a task packs a flat pixel range.
 * <p>
 * {@link #create} returns the Vector API kernel when {@link Blocking#VECTOR} and the block is 16 lanes (AVX-512):
 * 16 pixels at a time, one load per real channel, 4 × 4 transposes in registers per group of 4 channels, one store
 * per pixel ({@link PackInputVector}). Otherwise, and in {@link #createScalar}, the scalar kernel
 * ({@link PackInputScalar}), which the tests compare it with.
 */
public final class PackInput {
    /** About this many values copied per task at least. */
    private static final int TASK_VALUES = 8192;

    private PackInput() {
    }

    /** Bytes of the plain NCHW tensor of {@code view}'s shape. */
    public static long plainBytes(BlockedTensor view) {
        return (long) view.batch() * view.channels() * view.height() * view.width() * Float.BYTES;
    }

    /** Packs NCHW at {@code srcOffset} into {@code dst}: the vector kernel where it applies (see the class note). */
    public static Kernel create(long srcOffset, BlockedTensor dst) {
        Params p = new Params(srcOffset, dst);
        return Blocking.VECTOR ? VectorFactory.create(p) : new PackInputScalar(p);
    }

    /** The scalar kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(long srcOffset, BlockedTensor dst) {
        return new PackInputScalar(new Params(srcOffset, dst));
    }

    /** What the two kernels share: the shape, checked, the task split, and a task's place. */
    static final class Params implements FamilyKernel.Shape {
        final long srcOffset;
        final BlockedTensor dst;
        final int rowChunks;
        final SpatialTasks tasks;
        /** Bytes the arena must hold: the source and the destination. */
        final long arenaBytes;

        Params(long srcOffset, BlockedTensor dst) {
            if (dst == null || srcOffset < 0) {
                throw new IllegalArgumentException("bad pack arguments");
            }
            long srcEnd = srcOffset + plainBytes(dst);
            if (srcOffset < dst.end() && dst.offset() < srcEnd) {
                throw new IllegalArgumentException("pack source overlaps its destination");
            }
            this.srcOffset = srcOffset;
            this.dst = dst;
            long values = (long) Math.min(dst.channels(), Blocking.LANES) * dst.height() * dst.width();
            this.rowChunks = (int) Math.clamp(values / TASK_VALUES, 1, dst.height());
            this.arenaBytes = Math.max(srcEnd, dst.end());
            this.tasks = new SpatialTasks(dst.batch(), rowChunks, dst.blocks());
        }

        @Override
        public SpatialTasks tasks() {
            return tasks;
        }

        @Override
        public String describe() {
            return "pack NCHW " + dst.dims() + " → NCHW" + Blocking.LANES + "c";
        }

        /** The first row of row chunk {@code part}. */
        int firstRow(int part) {
            return (int) ((long) part * dst.height() / rowChunks);
        }

        /** One past the last row of row chunk {@code part}. */
        int endRow(int part) {
            return (int) ((long) (part + 1) * dst.height() / rowChunks);
        }

        /** Real channels of {@code block}. */
        int real(int block) {
            return Math.min(Blocking.LANES, dst.channels() - block * Blocking.LANES);
        }

        long planeBytes() {
            return (long) dst.height() * dst.width() * Float.BYTES;
        }

        /** Byte offset of pixel (y, 0) of the first channel of {@code block} of image {@code n} in the source. */
        long source(int n, int block, int y) {
            return srcOffset + ((long) n * dst.channels() + (long) block * Blocking.LANES) * planeBytes()
                    + (long) y * dst.width() * Float.BYTES;
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return PackInputVector.supported() ? new PackInputVector(p) : new PackInputScalar(p);
        }
    }
}
