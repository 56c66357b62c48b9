package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyVectorKernel;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Average pooling on the Vector API (see {@link AvgPool}; also adaptive and global, whose windows {@link PoolWindows}
 * holds as well): one {@code FloatVector} is one pixel's channel block, summed in float over the window in row-major
 * order and divided by the divisor in float. Only loaded when the Vector API is present.
 */
final class AvgPoolVector extends FamilyVectorKernel<PoolShape> {

    AvgPoolVector(PoolShape s) {
        super(s);
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        BlockedTensor in = s.in();
        BlockedTensor out = s.out();
        long inBase = in.at(n, block, 0, 0);
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        int oy1 = s.endRow(part);
        int outW = out.width();
        long outPixel = out.pixelStride();
        boolean relu = s.relu();
        PoolWindows win = s.windows();
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = win.firstRow[oy];
            int hEnd = win.endRow[oy];
            int rows = win.rowCount[oy];
            long dst = out.at(n, block, oy, 0);
            for (int ox = 0; ox < outW; ox++, dst += outPixel) {
                int wStart = win.firstColumn[ox];
                int wEnd = win.endColumn[ox];
                int divisor = rows * win.columnCount[ox];
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
