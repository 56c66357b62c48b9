package googlenet.kernels.norm;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.norm.ChannelAffine.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar channel affine map (see {@link ChannelAffine}): one {@code Math.fma} per element, the vector kernel's bits.
 * The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class ChannelAffineScalar extends FamilyKernel<Params> {

    ChannelAffineScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        int c = Blocking.LANES;
        float[] scale = p.scale();
        float[] shift = p.shift();
        boolean relu = p.relu();
        long src = p.in().at(n, block, 0, 0);
        long dst = p.out().at(n, block, 0, 0);
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        for (int q = p0; q < p1; q++) {
            long off = (long) q * c * Float.BYTES;
            for (int lane = 0; lane < c; lane++) {
                long l = off + (long) lane * Float.BYTES;
                float y = Math.fma(arena.get(FLOAT, src + l), scale[block * c + lane], shift[block * c + lane]);
                if (relu && !(y > 0 || y != y)) {
                    y = 0f;
                }
                arena.set(FLOAT, dst + l, y);
            }
        }
    }
}
