package googlenet.kernels.dense;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.dense.Relu.Params;

import java.lang.foreign.MemorySegment;

/** The scalar ReLU (see {@link Relu}): the fallback when the Vector API is absent and the vector kernel's tested twin. */
final class ReluScalar extends FamilyKernel<Params> {

    ReluScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        long from = (long) p0 * Blocking.LANES * Float.BYTES;
        long to = (long) p1 * Blocking.LANES * Float.BYTES;
        long src = p.in().at(n, block, 0, 0);
        long dst = p.out().at(n, block, 0, 0);
        for (long off = from; off < to; off += Float.BYTES) {
            float v = arena.get(FLOAT, src + off);
            arena.set(FLOAT, dst + off, v > 0 || v != v ? v : 0f);
        }
    }
}
