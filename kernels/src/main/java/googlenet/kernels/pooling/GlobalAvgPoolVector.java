package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Global average pooling on the Vector API (see {@link GlobalAvgPool}): sums the pixels of a channel block in float in
 * row-major order and divides once. Only loaded when the Vector API is present.
 */
final class GlobalAvgPoolVector extends FamilyKernel<PoolShape> {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    GlobalAvgPoolVector(PoolShape shape) {
        super(shape, "vector", S.length());
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        BlockedTensor in = s.in();
        BlockedTensor out = s.out();
        boolean relu = s.relu();
        int plane = in.height() * in.width();
        long p = in.at(n, block, 0, 0);
        long pixelStride = in.pixelStride();
        FloatVector sum = FloatVector.zero(S);
        for (int i = 0; i < plane; i++, p += pixelStride) {
            sum = sum.add(FloatVector.fromMemorySegment(S, arena, p, ORDER));
        }
        FloatVector v = sum.div((float) plane);
        if (relu) {
            v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
        }
        v.intoMemorySegment(arena, out.at(n, block, 0, 0), ORDER);
    }
}
