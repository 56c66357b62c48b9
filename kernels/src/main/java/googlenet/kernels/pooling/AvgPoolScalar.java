package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.FLOAT;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar average pooling (see {@link AvgPool}): sums in {@code double} in the reference's order and rounds once,
 * so it equals the reference bit for bit. The fallback when the Vector API is absent and the twin the vector kernel is
 * tested against.
 */
final class AvgPoolScalar extends FamilyKernel<PoolShape> {
    private final PoolWindow g;
    private final boolean countIncludePad;

    AvgPoolScalar(PoolShape s, PoolWindow g, boolean countIncludePad) {
        super(s, "scalar");
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
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        long inBase = in.at(n, block, 0, 0);
        int real = PoolSupport.realLanes(in.channels(), block);
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = oy * g.strideH() - g.padTop();
            int hEnd = Math.min(hStart + g.kernelH(), h + g.padBottom());
            int poolH = Math.max(hEnd - hStart, 0);
            hStart = Math.max(hStart, 0);
            hEnd = Math.min(hEnd, h);
            for (int ox = 0; ox < out.width(); ox++) {
                int wStart = ox * g.strideW() - g.padLeft();
                int wEnd = Math.min(wStart + g.kernelW(), w + g.padRight());
                int poolW = Math.max(wEnd - wStart, 0);
                wStart = Math.max(wStart, 0);
                wEnd = Math.min(wEnd, w);
                int divisor = countIncludePad
                        ? poolH * poolW
                        : Math.max(hEnd - hStart, 0) * Math.max(wEnd - wStart, 0);
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
                    arena.set(FLOAT, dst + (long) lane * Float.BYTES, s.relu() ? PoolSupport.relu(v) : v);
                }
            }
        }
    }
}
