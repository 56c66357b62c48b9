package googlenet.kernels.dense;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.dense.Relu.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** ReLU on the Vector API (see {@link Relu}), a pixel's channel block at a time. Only loaded when the Vector API is present. */
final class ReluVector extends FamilyVectorKernel<Params> {

    ReluVector(Params p) {
        super(p);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        long vec = (long) Blocking.LANES * Float.BYTES;
        long from = p0 * vec;
        long to = p1 * vec;
        long src = p.in().at(n, block, 0, 0);
        long dst = p.out().at(n, block, 0, 0);
        for (long off = from; off < to; off += vec) {
            FloatVector v = FloatVector.fromMemorySegment(S, arena, src + off, ORDER);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoMemorySegment(arena, dst + off, ORDER);
        }
    }
}
