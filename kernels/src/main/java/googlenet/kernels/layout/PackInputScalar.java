package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.layout.PackInput.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar packing of plain NCHW input (see {@link PackInput}): the fallback when the Vector API is absent or the
 * block is not 16 lanes, the vector kernel's pass for tasks of fewer than 16 pixels, and its tested twin.
 */
final class PackInputScalar extends FamilyKernel<Params> {

    PackInputScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        pack(p, arena, n, part, block);
    }

    /**
     * Pixel by pixel, so the few input planes are read as streams; a partial block's padding lanes are written
     * as zeros in the same pass (no slice of the arena: a slice is an object that C2 may fail to eliminate).
     */
    static void pack(Params p, MemorySegment arena, int n, int part, int block) {
        BlockedTensor dst = p.dst;
        int c = Blocking.LANES;
        int y0 = p.firstRow(part);
        int real = p.real(block);
        long planeBytes = p.planeBytes();
        long pixelStride = dst.pixelStride();
        long pixels = (long) (p.endRow(part) - y0) * dst.width();
        long out = dst.at(n, block, y0, 0);
        long src = p.source(n, block, y0);
        for (long x = 0; x < pixels; x++, out += pixelStride, src += Float.BYTES) {
            for (int lane = 0; lane < real; lane++) {
                arena.set(FLOAT, out + (long) lane * Float.BYTES, arena.get(FLOAT, src + lane * planeBytes));
            }
            for (int lane = real; lane < c; lane++) {
                arena.set(FLOAT, out + (long) lane * Float.BYTES, 0f);
            }
        }
    }
}
