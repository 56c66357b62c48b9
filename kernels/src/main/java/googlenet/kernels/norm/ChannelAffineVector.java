package googlenet.kernels.norm;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.norm.ChannelAffine.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The channel affine map on the Vector API (see {@link ChannelAffine}): one vector FMA per pixel of a channel block.
 * Only loaded when the Vector API is present.
 */
final class ChannelAffineVector extends FamilyVectorKernel<Params> {

    ChannelAffineVector(Params p) {
        super(p);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        FloatVector scale = FloatVector.fromArray(S, p.scale(), block * Blocking.LANES);
        FloatVector shift = FloatVector.fromArray(S, p.shift(), block * Blocking.LANES);
        boolean relu = p.relu();
        long pixelStride = p.in().pixelStride();
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        long src = p.in().at(n, block, 0, 0) + p0 * pixelStride;
        long dst = p.out().at(n, block, 0, 0) + p0 * pixelStride;
        for (int q = p0; q < p1; q++, src += pixelStride, dst += pixelStride) {
            FloatVector y = FloatVector.fromMemorySegment(S, arena, src, ORDER).fma(scale, shift);
            if (relu) {
                y = y.blend(0f, y.compare(VectorOperators.LE, 0f));
            }
            y.intoMemorySegment(arena, dst, ORDER);
        }
    }
}
