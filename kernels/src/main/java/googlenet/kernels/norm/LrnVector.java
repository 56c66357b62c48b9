package googlenet.kernels.norm;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.norm.Lrn.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * LRN on the Vector API (see {@link Lrn} for its precision): the squares summed in float, neighbour lanes fetched with
 * {@code slice} across the previous and next block, β by square roots. Only loaded when the Vector API is present.
 */
final class LrnVector extends FamilyVectorKernel<Params> {

    LrnVector(Params p) {
        super(p);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        float scale = (float) ((double) p.alpha() / p.size());
        float k = p.k();
        float beta = p.beta();
        int before = p.before();
        int after = p.after();
        boolean hasPrev = block > 0;
        boolean hasNext = block + 1 < p.tiles().tasks().blocks();
        int c = Blocking.LANES;
        long blockStride = p.in().blockStride();
        long pixelStride = p.in().pixelStride();
        long cur = p.in().at(n, block, 0, 0);
        long dst = p.out().at(n, block, 0, 0);
        FloatVector zero = FloatVector.zero(S);
        int real = Math.min(c, p.in().channels() - block * c);
        VectorMask<Float> realLanes = S.indexInRange(0, real);
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        for (int q = p0; q < p1; q++) {
            long at = cur + q * pixelStride;
            FloatVector x = FloatVector.fromMemorySegment(S, arena, at, ORDER);
            FloatVector sqCur = x.mul(x);
            FloatVector sqPrev = zero;
            FloatVector sqNext = zero;
            if (hasPrev && before > 0) {
                FloatVector v = FloatVector.fromMemorySegment(S, arena, at - blockStride, ORDER);
                sqPrev = v.mul(v);
            }
            if (hasNext && after > 0) {
                FloatVector v = FloatVector.fromMemorySegment(S, arena, at + blockStride, ORDER);
                sqNext = v.mul(v);
            }
            FloatVector sum = zero;
            for (int d = -before; d < 0; d++) {
                sum = sum.add(d == -c ? sqPrev : sqPrev.slice(c + d, sqCur));
            }
            sum = sum.add(sqCur);
            for (int d = 1; d <= after; d++) {
                sum = sum.add(d == c ? sqNext : sqCur.slice(d, sqNext));
            }
            FloatVector denominator = sum.fma(scale, k); // d, β = 1
            if (beta != 1f) {
                denominator = denominator.sqrt(); // √d, β = 0.5
                if (beta == 0.75f) denominator = denominator.mul(denominator.sqrt()); // √d·√√d
            }
            FloatVector y = x.div(denominator);
            if (real < c) {
                y = zero.blend(y, realLanes); // padding lanes stay 0 even if k = 0 makes 0/0
            }
            y.intoMemorySegment(arena, dst + q * pixelStride, ORDER);
        }
    }
}
