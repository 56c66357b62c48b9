package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Average pooling on the Vector API (see {@link AvgPool}): one {@code FloatVector} is one pixel's channel block, summed
 * in float over the window in row-major order and divided by the divisor in float. Only loaded when the Vector API is
 * present.
 */
final class AvgPoolVector extends FamilyKernel<PoolShape> {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private final PoolWindow g;
    private final boolean countIncludePad;

    AvgPoolVector(PoolShape s, PoolWindow g, boolean countIncludePad) {
        super(s, "vector", S.length());
        this.g = g;
        this.countIncludePad = countIncludePad;
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        PoolWindow g = this.g;
        BlockedTensor in = s.in();
        BlockedTensor out = s.out();
        int h = in.height();
        int w = in.width();
        int outW = out.width();
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        long inBase = in.at(n, block, 0, 0);
        long outPixel = out.pixelStride();
        boolean relu = s.relu();
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = oy * g.strideH() - g.padTop();
            int hEnd = Math.min(hStart + g.kernelH(), h + g.padBottom());
            int poolH = Math.max(hEnd - hStart, 0);
            hStart = Math.max(hStart, 0);
            hEnd = Math.min(hEnd, h);
            long dst = out.at(n, block, oy, 0);
            for (int ox = 0; ox < outW; ox++, dst += outPixel) {
                int wStart = ox * g.strideW() - g.padLeft();
                int wEnd = Math.min(wStart + g.kernelW(), w + g.padRight());
                int poolW = Math.max(wEnd - wStart, 0);
                wStart = Math.max(wStart, 0);
                wEnd = Math.min(wEnd, w);
                int divisor = countIncludePad
                        ? poolH * poolW
                        : Math.max(hEnd - hStart, 0) * Math.max(wEnd - wStart, 0);
                if (divisor == 0) {
                    PoolSupport.storeEmpty(arena, dst, PoolSupport.realLanes(in.channels(), block), Float.NaN);
                    continue;
                }
                FloatVector sum = FloatVector.zero(S);
                long row = inBase + hStart * rowStride + wStart * pixelStride;
                for (int iy = hStart; iy < hEnd; iy++, row += rowStride) {
                    long p = row;
                    for (int ix = wStart; ix < wEnd; ix++, p += pixelStride) {
                        sum = sum.add(FloatVector.fromMemorySegment(S, arena, p, ORDER));
                    }
                }
                FloatVector v = sum.div((float) divisor);
                if (relu) {
                    v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                }
                v.intoMemorySegment(arena, dst, ORDER);
            }
        }
    }
}
