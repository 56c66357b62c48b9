package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Packs a plain NCHW float32 tensor that sits in the arena at byte offset {@code srcOffset} (the session copies the
 * caller's input there first) into a blocked view, writing zeros in padding lanes. The shape is the view's.
 * The packing is a lane transpose that is cheap next to the network; both factories return the same scalar
 * kernel. Tasks: images × row chunks × channel blocks (a 3-channel 224×224 image is one block: without the row
 * chunks it would be one task, the only step of a run that a second thread could not share).
 */
public final class PackInput implements Kernel {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** About this many values copied per task at least. */
    private static final int TASK_VALUES = 8192;
    private final long srcOffset;
    private final BlockedTensor dst;
    private final int rowChunks;

    private PackInput(long srcOffset, BlockedTensor dst) {
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
    }

    /** Bytes of the plain NCHW tensor of {@code view}'s shape. */
    public static long plainBytes(BlockedTensor view) {
        return (long) view.batch() * view.channels() * view.height() * view.width() * Float.BYTES;
    }

    /** Packs NCHW at {@code srcOffset} into {@code dst} (scalar; see the class note). */
    public static Kernel create(long srcOffset, BlockedTensor dst) {
        return new PackInput(srcOffset, dst);
    }

    /** The same scalar kernel as {@link #create}. */
    public static Kernel createScalar(long srcOffset, BlockedTensor dst) {
        return new PackInput(srcOffset, dst);
    }

    @Override
    public int tasks() {
        return dst.batch() * dst.blocks() * rowChunks;
    }

    @Override
    public String describe() {
        return "pack NCHW " + dst.channels() + "×" + dst.height() + "×" + dst.width() + " → NCHW" + Blocking.LANES
                + "c scalar";
    }

    /**
     * Row by row, pixel by pixel, so the few input planes are read as streams; a partial block's padding lanes are
     * written as zeros in the same pass (no slice of the arena: a slice is an object that C2 may fail to eliminate).
     */
    @Override
    public void run(MemorySegment arena, int task) {
        int c = Blocking.LANES;
        int blocks = dst.blocks();
        int block = task % blocks; // by image, then rows, then channel block (see the worker pool)
        int chunk = task / blocks % rowChunks;
        int n = task / blocks / rowChunks;
        int h = dst.height();
        int w = dst.width();
        int y0 = (int) ((long) chunk * h / rowChunks);
        int y1 = (int) ((long) (chunk + 1) * h / rowChunks);
        int channels = dst.channels();
        int real = Math.min(c, channels - block * c);
        long planeBytes = (long) h * w * Float.BYTES;
        long pixelStride = dst.pixelStride();
        for (int y = y0; y < y1; y++) {
            long out = dst.at(n, block, y, 0);
            long src = srcOffset + ((long) n * channels + (long) block * c) * planeBytes + (long) y * w * Float.BYTES;
            for (int x = 0; x < w; x++, out += pixelStride, src += Float.BYTES) {
                for (int lane = 0; lane < real; lane++) {
                    arena.set(FLOAT, out + (long) lane * Float.BYTES, arena.get(FLOAT, src + lane * planeBytes));
                }
                for (int lane = real; lane < c; lane++) {
                    arena.set(FLOAT, out + (long) lane * Float.BYTES, 0f);
                }
            }
        }
    }
}
