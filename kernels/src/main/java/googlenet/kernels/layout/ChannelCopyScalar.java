package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.layout.ChannelCopy.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar channel copy (see {@link ChannelCopy}), lane by lane: the fallback when the Vector API is absent and the
 * vector kernel's tested twin.
 */
final class ChannelCopyScalar extends FamilyKernel<Params> {

    ChannelCopyScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int touched) {
        int block = p.firstBlock() + touched;
        int k = p.k();
        BlockedTensor src = p.src();
        BlockedTensor dst = p.dst();
        int c = Blocking.LANES;
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        long pixelStride = dst.pixelStride();
        for (int lane = 0; lane < c; lane++) {
            int ch = block * c + lane;
            boolean copy = ch >= k && ch < k + src.channels();
            if (!copy && ch < dst.channels()) {
                continue;
            }
            long d = dst.at(n, block, 0, 0) + p0 * pixelStride + (long) lane * Float.BYTES;
            if (copy) {
                int sch = ch - k;
                long s = src.at(n, sch / c, 0, 0) + p0 * pixelStride + (long) (sch % c) * Float.BYTES;
                for (int q = p0; q < p1; q++, d += pixelStride, s += pixelStride) {
                    arena.set(FLOAT, d, arena.get(FLOAT, s));
                }
            } else {
                for (int q = p0; q < p1; q++, d += pixelStride) {
                    arena.set(FLOAT, d, 0f);
                }
            }
        }
    }
}
