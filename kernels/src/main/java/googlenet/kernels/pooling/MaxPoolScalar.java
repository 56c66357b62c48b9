package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.MaxPool.fromKey;
import static googlenet.kernels.pooling.MaxPool.key;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar max pooling (see {@link MaxPool}): per lane, the largest {@link MaxPool#key} over the window and the floor,
 * the vector kernel's bits. The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class MaxPoolScalar extends FamilyKernel<PoolShape> {

    MaxPoolScalar(PoolShape s) {
        super(s, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        float floor = s.relu() ? 0f : Float.NEGATIVE_INFINITY;
        int floorKey = key(floor);
        PoolWindows win = s.windows();
        BlockedTensor in = s.in();
        BlockedTensor out = s.out();
        int outW = out.width();
        int real = PoolSupport.realLanes(in.channels(), block);
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        long inBase = in.at(n, block, 0, 0);
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = win.firstRow[oy];
            int hEnd = win.endRow[oy];
            for (int ox = 0; ox < outW; ox++) {
                int wStart = win.firstColumn[ox];
                int wEnd = win.endColumn[ox];
                long dst = out.at(n, block, oy, ox);
                if (hStart >= hEnd || wStart >= wEnd) {
                    PoolSupport.storeEmpty(arena, dst, real, floor);
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
