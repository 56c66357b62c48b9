package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.MaxPool.fromKey;
import static googlenet.kernels.pooling.MaxPool.key;
import static googlenet.kernels.pooling.PoolSupport.FLOAT;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar max pooling (see {@link MaxPool}): per lane, the largest {@link MaxPool#key} over the window and the floor,
 * the vector kernel's bits. The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class MaxPoolScalar extends FamilyKernel<PoolShape> {
    private final PoolWindow g;

    MaxPoolScalar(PoolShape s, PoolWindow g) {
        super(s, "scalar");
        this.g = g;
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
        int real = PoolSupport.realLanes(in.channels(), block);
        int floorKey = key(s.relu() ? 0f : Float.NEGATIVE_INFINITY);
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = Math.max(oy * g.strideH() - g.padTop(), 0);
            int hEnd = Math.min(oy * g.strideH() - g.padTop() + g.kernelH(), h);
            for (int ox = 0; ox < outW; ox++) {
                int wStart = Math.max(ox * g.strideW() - g.padLeft(), 0);
                int wEnd = Math.min(ox * g.strideW() - g.padLeft() + g.kernelW(), w);
                long dst = out.at(n, block, oy, ox);
                if (hStart >= hEnd || wStart >= wEnd) {
                    PoolSupport.storeEmpty(arena, dst, real,
                            s.relu() ? 0f : Float.NEGATIVE_INFINITY);
                    continue;
                }
                // The largest key (see MaxPool.key) over the window and the floor: the vector kernel's
                // bits, ±0 and NaNs included, in any order of the taps.
                for (int lane = 0; lane < Blocking.LANES; lane++) {
                    int max = floorKey;
                    long laneBase = inBase + (long) lane * Float.BYTES;
                    for (int iy = hStart; iy < hEnd; iy++) {
                        for (int ix = wStart; ix < wEnd; ix++) {
                            max = Math.max(max, key(arena.get(FLOAT, laneBase + iy * rowStride + ix * pixelStride)));
                        }
                    }
                    arena.set(FLOAT, dst + (long) lane * Float.BYTES, fromKey(max));
                }
            }
        }
    }
}
