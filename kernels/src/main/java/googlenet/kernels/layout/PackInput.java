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
 * kernel (the output written pixel by pixel, in order). Tasks: images × channel blocks.
 */
public final class PackInput implements Kernel {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private final long srcOffset;
    private final BlockedTensor dst;

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
        return dst.batch() * dst.blocks();
    }

    @Override
    public String describe() {
        return "pack NCHW " + dst.channels() + "×" + dst.height() + "×" + dst.width() + " → NCHW" + Blocking.LANES
                + "c scalar";
    }

    /** Pixel by pixel, so that the blocked output is written in order; the few input planes are read as streams. */
    @Override
    public void run(MemorySegment arena, int task) {
        int c = Blocking.LANES;
        int blocks = dst.blocks();
        int block = task % blocks;
        int n = task / blocks;
        int channels = dst.channels();
        int real = Math.min(c, channels - block * c);
        int plane = dst.height() * dst.width();
        long planeBytes = (long) plane * Float.BYTES;
        long pixelStride = dst.pixelStride();
        long out = dst.at(n, block, 0, 0);
        long src = srcOffset + ((long) n * channels + (long) block * c) * planeBytes;
        for (int q = 0; q < plane; q++, out += pixelStride, src += Float.BYTES) {
            int lane = 0;
            for (; lane < real; lane++) {
                arena.set(FLOAT, out + (long) lane * Float.BYTES, arena.get(FLOAT, src + lane * planeBytes));
            }
            for (; lane < c; lane++) {
                arena.set(FLOAT, out + (long) lane * Float.BYTES, 0f);
            }
        }
    }
}
