package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.FLOAT;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar adaptive average pooling (see {@link AdaptiveAvgPool}): sums in double and equals the reference bit for
 * bit. The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class AdaptiveAvgPoolScalar extends FamilyKernel<PoolShape> {

    AdaptiveAvgPoolScalar(PoolShape g) {
        super(g, "scalar");
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
                int divisor = (y1 - y0) * (x1 - x0);
                long dst = out.at(n, block, oy, ox);
                for (int lane = 0; lane < Blocking.LANES; lane++) {
                    double sum = 0.0;
                    long laneBase = inBase + (long) lane * Float.BYTES;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            sum += arena.get(FLOAT, laneBase + iy * rowStride + ix * pixelStride);
                        }
                    }
                    float v = (float) (sum / divisor);
                    arena.set(FLOAT, dst + (long) lane * Float.BYTES, g.relu() ? PoolSupport.relu(v) : v);
                }
            }
        }
    }
}
