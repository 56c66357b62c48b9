package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adaptive average pooling on the Vector API (see {@link AdaptiveAvgPool}): sums a pixel's channel block in float and
 * divides once. Only loaded when the Vector API is present.
 */
final class AdaptiveAvgPoolVector extends FamilyKernel<PoolShape> {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    AdaptiveAvgPoolVector(PoolShape g) {
        super(g, "vector", S.length());
    }

    @Override
    protected void run(MemorySegment arena, PoolShape g, int n, int part, int block) {
        BlockedTensor in = g.in();
        BlockedTensor out = g.out();
        int h = in.height();
        int w = in.width();
        int outH = out.height();
        int outW = out.width();
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        long inBase = in.at(n, block, 0, 0);
        int oy1 = g.endRow(part);
        for (int oy = g.firstRow(part); oy < oy1; oy++) {
            int y0 = Math.floorDiv(oy * h, outH);
            int y1 = Math.ceilDiv((oy + 1) * h, outH);
            for (int ox = 0; ox < outW; ox++) {
                int x0 = Math.floorDiv(ox * w, outW);
                int x1 = Math.ceilDiv((ox + 1) * w, outW);
                FloatVector sum = FloatVector.zero(S);
                long row = inBase + y0 * rowStride + x0 * pixelStride;
                for (int iy = y0; iy < y1; iy++, row += rowStride) {
                    long p = row;
                    for (int ix = x0; ix < x1; ix++, p += pixelStride) {
                        sum = sum.add(FloatVector.fromMemorySegment(S, arena, p, ORDER));
                    }
                }
                FloatVector v = sum.div((float) ((y1 - y0) * (x1 - x0)));
                if (g.relu()) {
                    v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                }
                v.intoMemorySegment(arena, out.at(n, block, oy, ox), ORDER);
            }
        }
    }
}
