package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.FLOAT;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * The scalar global average pooling (see {@link GlobalAvgPool}): sums in double and equals the reference bit for bit.
 * The fallback when the Vector API is absent and the twin the vector kernel is tested against.
 */
final class GlobalAvgPoolScalar extends FamilyKernel<PoolShape> {

    GlobalAvgPoolScalar(PoolShape shape) {
        super(shape, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        BlockedTensor in = s.in();
        BlockedTensor out = s.out();
        boolean relu = s.relu();
        int plane = in.height() * in.width();
        long src = in.at(n, block, 0, 0);
        long dst = out.at(n, block, 0, 0);
        long pixelStride = in.pixelStride();
        for (int lane = 0; lane < Blocking.LANES; lane++) {
            double sum = 0.0;
            long p = src + (long) lane * Float.BYTES;
            for (int i = 0; i < plane; i++, p += pixelStride) {
                sum += arena.get(FLOAT, p);
            }
            float v = (float) (sum / plane);
            arena.set(FLOAT, dst + (long) lane * Float.BYTES, relu ? PoolSupport.relu(v) : v);
        }
    }
}
