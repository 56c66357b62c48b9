package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.FLOAT;
import static googlenet.kernels.pooling.PoolSupport.check;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Global average pooling over NCHWc tensors: {@code y[n][ch] = Σ x[n][ch][iy][ix] / (H·W)} into an output view with
 * H = W = 1, as {@code ReferencePooling.globalAvgPool}. Optional fused ReLU.
 * <p>
 * Precision as {@link AvgPool}: the scalar variant sums in double and equals the reference bit for bit; the vector
 * variant sums the pixels in float in row-major order and divides once. Tasks: images × channel blocks.
 */
public final class GlobalAvgPool {

    private GlobalAvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, boolean relu) {
        check(in, out);
        return Blocking.VECTOR ? new VectorGlobalAvgPool(in, out, relu) : new ScalarGlobalAvgPool(in, out, relu);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, boolean relu) {
        check(in, out);
        return new ScalarGlobalAvgPool(in, out, relu);
    }

    private static void check(BlockedTensor in, BlockedTensor out) {
        PoolSupport.checkPair(in, out);
        PoolSupport.check(out.height() == 1 && out.width() == 1, "global pooling output must be 1×1, was "
                + out.height() + "×" + out.width());
    }

    private static String describe(BlockedTensor in, boolean relu, String variant) {
        return "global avgpool " + in.channels() + "×" + in.height() + "×" + in.width() + " → 1×1"
                + (relu ? " +relu" : "") + " " + variant;
    }

    private static final class ScalarGlobalAvgPool implements Kernel {
        private final BlockedTensor in;
        private final BlockedTensor out;
        private final boolean relu;

        ScalarGlobalAvgPool(BlockedTensor in, BlockedTensor out, boolean relu) {
            this.in = in;
            this.out = out;
            this.relu = relu;
        }

        @Override
        public int tasks() {
            return in.batch() * in.blocks();
        }

        @Override
        public String describe() {
            return GlobalAvgPool.describe(in, relu, "scalar");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            int block = task % in.blocks();
            int n = task / in.blocks();
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

    /** Only loaded when the Vector API is present. */
    private static final class VectorGlobalAvgPool implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final BlockedTensor in;
        private final BlockedTensor out;
        private final boolean relu;

        VectorGlobalAvgPool(BlockedTensor in, BlockedTensor out, boolean relu) {
            if (S.length() != Blocking.LANES) {
                throw new IllegalStateException("vector species " + S + " does not match block " + Blocking.LANES);
            }
            this.in = in;
            this.out = out;
            this.relu = relu;
        }

        @Override
        public int tasks() {
            return in.batch() * in.blocks();
        }

        @Override
        public String describe() {
            return GlobalAvgPool.describe(in, relu, "vector");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            int block = task % in.blocks();
            int n = task / in.blocks();
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
}
