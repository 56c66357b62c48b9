package googlenet.kernels.dense;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/** The softmax kernel (see {@link Softmax}), in double, one task per image; the family has no vector twin. */
final class SoftmaxScalar extends FamilyKernel<Softmax.Params> {

    SoftmaxScalar(Softmax.Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Softmax.Params p, int n, int part, int block) {
        // With H = W = 1 an image's blocks are contiguous: feature j at base + 4j.
        long src = p.in().at(n, 0, 0, 0);
        long dst = p.out().at(n, 0, 0, 0);
        int classes = p.in().channels();
        float max = maxOf(arena, src, 0, classes, Float.NEGATIVE_INFINITY);
        double sum = 0.0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp((double) arena.get(FLOAT, src + (long) j * Float.BYTES) - max);
        }
        for (int j = 0; j < classes; j++) {
            double e = Math.exp((double) arena.get(FLOAT, src + (long) j * Float.BYTES) - max);
            arena.set(FLOAT, dst + (long) j * Float.BYTES, (float) (e / sum));
        }
        for (int j = classes; j < Blocking.padded(classes); j++) {
            arena.set(FLOAT, dst + (long) j * Float.BYTES, 0f);
        }
    }

private static float maxOf(MemorySegment arena, long base, int from, int to, float max) {
    for (int j = from; j < to; j++) {
        float v = arena.get(FLOAT, base + (long) j * Float.BYTES);
        if (v > max || v != v) {
            max = v;
        }
    }
    return max;
}
}
