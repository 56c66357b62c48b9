package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.FLOAT;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adaptive average pooling (PyTorch {@code adaptive_avg_pool2d}) over NCHWc tensors to the output view's
 * {@code outH × outW}: output row i averages input rows {@code [floor(i·H/outH), ceil((i+1)·H/outH))}, columns
 * likewise, as {@code ReferencePooling.adaptiveAvgPool2d}. Optional fused ReLU.
 * <p>
 * Precision as {@link AvgPool}: the scalar variant sums in double and equals the reference bit for bit; the vector
 * variant sums in float and divides once. Tasks: images × output-row tiles × channel blocks.
 */
public final class AdaptiveAvgPool {

    private AdaptiveAvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, boolean relu) {
        Geometry g = new Geometry(in, out, relu);
        return Blocking.VECTOR ? new VectorAdaptiveAvgPool(g) : new ScalarAdaptiveAvgPool(g);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, boolean relu) {
        return new ScalarAdaptiveAvgPool(new Geometry(in, out, relu));
    }

    private record Geometry(BlockedTensor in, BlockedTensor out, boolean relu, int blocks, int rowsPerTile,
                            int rowTiles) {
        Geometry(BlockedTensor in, BlockedTensor out, boolean relu) {
            this(in, out, relu, checked(in, out), PoolSupport.rowsPerTile(out.height(), out.width()),
                    Math.ceilDiv(out.height(), PoolSupport.rowsPerTile(out.height(), out.width())));
        }

        private static int checked(BlockedTensor in, BlockedTensor out) {
            PoolSupport.checkPair(in, out);
            return in.blocks();
        }

        int tasks() {
            return in.batch() * blocks * rowTiles;
        }

        String describe(String variant) {
            return "adaptive avgpool " + in.channels() + "×" + in.height() + "×" + in.width() + " → " + out.height()
                    + "×" + out.width() + (relu ? " +relu" : "") + " " + variant;
        }
    }

    private static final class ScalarAdaptiveAvgPool implements Kernel {
        private final Geometry g;

        ScalarAdaptiveAvgPool(Geometry g) {
            this.g = g;
        }

        @Override
        public int tasks() {
            return g.tasks();
        }

        @Override
        public String describe() {
            return g.describe("scalar");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Geometry g = this.g;
            int block = task % g.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / g.blocks;
            int tile = rest % g.rowTiles;
            int n = rest / g.rowTiles;
            BlockedTensor in = g.in;
            BlockedTensor out = g.out;
            int h = in.height();
            int w = in.width();
            int outH = out.height();
            int outW = out.width();
            long rowStride = in.rowStride();
            long pixelStride = in.pixelStride();
            long inBase = in.at(n, block, 0, 0);
            int oy1 = Math.min(outH, (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int y0 = Math.floorDiv(oy * h, outH);
                int y1 = Math.ceilDiv((oy + 1) * h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.floorDiv(ox * w, outW);
                    int x1 = Math.ceilDiv((ox + 1) * w, outW);
                    int divisor = (y1 - y0) * (x1 - x0);
                    long dst = out.at(n, block, oy, ox);
                    for (int lane = 0; lane < Blocking.LANES; lane++) {
                        double sum = 0.0;
                        long laneBase = inBase + (long) lane * Float.BYTES;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                sum += arena.get(FLOAT, laneBase + iy * rowStride + ix * pixelStride);
                            }
                        }
                        float v = (float) (sum / divisor);
                        arena.set(FLOAT, dst + (long) lane * Float.BYTES, g.relu ? PoolSupport.relu(v) : v);
                    }
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorAdaptiveAvgPool implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Geometry g;

        VectorAdaptiveAvgPool(Geometry g) {
            if (S.length() != Blocking.LANES) {
                throw new IllegalStateException("vector species " + S + " does not match block " + Blocking.LANES);
            }
            this.g = g;
        }

        @Override
        public int tasks() {
            return g.tasks();
        }

        @Override
        public String describe() {
            return g.describe("vector");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Geometry g = this.g;
            int block = task % g.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / g.blocks;
            int tile = rest % g.rowTiles;
            int n = rest / g.rowTiles;
            BlockedTensor in = g.in;
            BlockedTensor out = g.out;
            int h = in.height();
            int w = in.width();
            int outH = out.height();
            int outW = out.width();
            long rowStride = in.rowStride();
            long pixelStride = in.pixelStride();
            long inBase = in.at(n, block, 0, 0);
            int oy1 = Math.min(outH, (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int y0 = Math.floorDiv(oy * h, outH);
                int y1 = Math.ceilDiv((oy + 1) * h, outH);
                for (int ox = 0; ox < outW; ox++) {
                    int x0 = Math.floorDiv(ox * w, outW);
                    int x1 = Math.ceilDiv((ox + 1) * w, outW);
                    FloatVector sum = FloatVector.zero(S);
                    long row = inBase + y0 * rowStride + x0 * pixelStride;
                    for (int iy = y0; iy < y1; iy++, row += rowStride) {
                        long p = row;
                        for (int ix = x0; ix < x1; ix++, p += pixelStride) {
                            sum = sum.add(FloatVector.fromMemorySegment(S, arena, p, ORDER));
                        }
                    }
                    FloatVector v = sum.div((float) ((y1 - y0) * (x1 - x0)));
                    if (g.relu) {
                        v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                    }
                    v.intoMemorySegment(arena, out.at(n, block, oy, ox), ORDER);
                }
            }
        }
    }
}
