package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar average pooling (see {@link AvgPool}; also adaptive and global, whose windows {@link PoolWindows} holds
 * as well): sums in {@code double} in the reference's order and rounds once, so it equals the reference bit for bit.
 * The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class AvgPoolScalar extends FamilyKernel<PoolShape> {

    AvgPoolScalar(PoolShape s) {
        super(s, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        BlockedTensor in = s.in();
        long inBase = in.at(n, block, 0, 0);
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        int real = PoolSupport.realLanes(in.channels(), block);
        BlockedTensor out = s.out();
        boolean relu = s.relu();
        PoolWindows win = s.windows();
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = win.firstRow[oy];
            int hEnd = win.endRow[oy];
            for (int ox = 0; ox < out.width(); ox++) {
                int wStart = win.firstColumn[ox];
                int wEnd = win.endColumn[ox];
                int divisor = win.rowCount[oy] * win.columnCount[ox];
                long dst = out.at(n, block, oy, ox);
                if (divisor == 0) {
                    PoolSupport.storeEmpty(arena, dst, real, Float.NaN);
                    continue;
                }
                for (int lane = 0; lane < Blocking.LANES; lane++) {
                    double sum = 0.0;
                    long laneBase = inBase + (long) lane * Float.BYTES;
                    for (int iy = hStart; iy < hEnd; iy++) {
                        for (int ix = wStart; ix < wEnd; ix++) {
                            sum += arena.get(FLOAT, laneBase + iy * rowStride + ix * pixelStride);
                        }
                    }
                    float v = (float) (sum / divisor);
                    arena.set(FLOAT, dst + (long) lane * Float.BYTES, relu ? PoolSupport.relu(v) : v);
                }
            }
        }
    }
}
