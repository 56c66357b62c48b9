package googlenet.kernels.dense;

import static googlenet.kernels.dense.Linear.GROUP;
import static googlenet.kernels.dense.Linear.IMAGES;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.dense.Linear.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar fully connected layer (see {@link Linear}): one FMA per term from the bias in increasing k, the vector
 * kernel's operations and bits. The fallback when the Vector API is absent and the vector kernel's tested twin.
 */
final class LinearScalar extends FamilyKernel<Params> {

    LinearScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int chunk, int part, int g) {
        int n0 = chunk * IMAGES;
        int n1 = Math.min(p.in.batch(), n0 + IMAGES);
        int c = Blocking.LANES;
        int width = GROUP * c;
        long wGroup = (long) g * p.k * width * Float.BYTES;
        for (int n = n0; n < n1; n++) {
            long x = p.in.at(n, 0, 0, 0);
            for (int j = 0; j < width; j++) {
                int block = g * GROUP + j / c;
                if (block >= p.outBlocks) {
                    break;
                }
                int o = g * width + j;
                float acc = p.bias[o];
                long w = wGroup + (long) j * Float.BYTES;
                for (int kk = 0; kk < p.k; kk++) {
                    acc = Math.fma(p.weights.get(FLOAT, w + (long) kk * width * Float.BYTES),
                            arena.get(FLOAT, x + (long) kk * Float.BYTES), acc);
                }
                if (o >= p.outFeatures || (p.relu && !(acc > 0 || acc != acc))) {
                    acc = 0f;
                }
                arena.set(FLOAT, p.out.at(n, block, 0, 0) + (long) (j % c) * Float.BYTES, acc);
            }
        }
    }
}
