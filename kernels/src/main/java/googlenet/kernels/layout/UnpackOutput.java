package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.Kernel;
import googlenet.kernels.SpatialTasks;

import java.lang.foreign.MemorySegment;

/**
 * Unpacks a blocked view into a plain NCHW float32 tensor in the arena at byte offset {@code dstOffset} (for
 * H = W = 1 that is [N][F]), dropping padding lanes; the session then copies it to the caller. Both factories return
 * the same scalar kernel. Tasks: images × channel blocks ({@link SpatialTasks}).
 */
public final class UnpackOutput extends FamilyKernel<UnpackOutput.Params> {

    /** The source and the destination, checked, and the task split. */
    record Params(BlockedTensor src, long dstOffset, SpatialTasks tasks) implements FamilyKernel.Shape {
        @Override
        public String describe() {
            return "unpack NCHW" + Blocking.LANES + "c " + src.dims() + " → NCHW";
        }
    }

    private UnpackOutput(Params p) {
        super(p, "scalar");
    }

    /** Unpacks {@code src} into NCHW at {@code dstOffset} (scalar). */
    public static Kernel create(BlockedTensor src, long dstOffset) {
        if (src == null || dstOffset < 0) {
            throw new IllegalArgumentException("bad unpack arguments");
        }
        long dstEnd = dstOffset + PackInput.plainBytes(src);
        if (dstOffset < src.end() && src.offset() < dstEnd) {
            throw new IllegalArgumentException("unpack destination overlaps its source");
        }
        return new UnpackOutput(new Params(src, dstOffset, new SpatialTasks(src.batch(), 1, src.blocks())));
    }

    /** The same scalar kernel as {@link #create}. */
    public static Kernel createScalar(BlockedTensor src, long dstOffset) {
        return create(src, dstOffset);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        int c = Blocking.LANES;
        BlockedTensor src = p.src();
        long dstOffset = p.dstOffset();
        int channels = src.channels();
        int plane = src.height() * src.width();
        long pixelStride = src.pixelStride();
        int lanes = Math.min(c, channels - block * c);
        for (int lane = 0; lane < lanes; lane++) {
            int ch = block * c + lane;
            long s = src.at(n, block, 0, 0) + (long) lane * Float.BYTES;
            long d = dstOffset + ((long) n * channels + ch) * plane * Float.BYTES;
            for (int q = 0; q < plane; q++, s += pixelStride, d += Float.BYTES) {
                arena.set(FLOAT, d, arena.get(FLOAT, s));
            }
        }
    }
}
