package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.layout.UnpackOutput.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar unpacking into plain NCHW (see {@link UnpackOutput}): the fallback, the vector kernel's pass for planes of
 * fewer than 16 pixels, and its tested twin. One real channel at a time, its plane written as a stream.
 */
final class UnpackOutputScalar extends FamilyKernel<Params> {

    UnpackOutputScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        unpack(p, arena, n, block);
    }

    static void unpack(Params p, MemorySegment arena, int n, int block) {
        BlockedTensor src = p.src();
        int plane = src.height() * src.width();
        long pixelStride = src.pixelStride();
        int lanes = Math.min(Blocking.LANES, src.channels() - block * Blocking.LANES);
        for (int lane = 0; lane < lanes; lane++) {
            long s = src.at(n, block, 0, 0) + (long) lane * Float.BYTES;
            long d = p.destination(n, block) + (long) lane * plane * Float.BYTES;
            for (int q = 0; q < plane; q++, s += pixelStride, d += Float.BYTES) {
                arena.set(FLOAT, d, arena.get(FLOAT, s));
            }
        }
    }
}
