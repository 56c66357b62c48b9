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
 * 2-D average pooling over NCHWc tensors with PyTorch's divisor rule, exactly as
 * {@code ReferencePooling.avgPool2d}: per output row (columns likewise)
 * <pre>
 * hStart = oy*strideH - padTop;  hEnd = min(hStart + kernelH, h + padBottom);  poolH = max(hEnd - hStart, 0)
 * hStart = max(hStart, 0);       hEnd = min(hEnd, h)
 * divisor = countIncludePad ? poolH * poolW : (hEnd - hStart) * (wEnd - wStart)
 * </pre>
 * A zero divisor gives NaN (0 in padding lanes). Optional fused ReLU.
 * <p>
 * Precision: the scalar variant sums in {@code double} in the reference's order and rounds once, so it equals the
 * reference bit for bit. The vector variant sums in float (window in row-major order) and divides by the divisor
 * in float (a true division, not a reciprocal multiply): exact for a power-of-two divisor when the sum is exact,
 * otherwise within a couple of ulps of the float sum's error. Tasks: images × output-row tiles × channel blocks.
 */
public final class AvgPool {

    private AvgPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                boolean countIncludePad, boolean relu) {
        Geometry g = new Geometry(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight,
                countIncludePad, relu);
        return Blocking.VECTOR ? new VectorAvgPool(g) : new ScalarAvgPool(g);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                      int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                      boolean countIncludePad, boolean relu) {
        return new ScalarAvgPool(new Geometry(in, out, kernelH, kernelW, strideH, strideW,
                padTop, padLeft, padBottom, padRight, countIncludePad, relu));
    }

    private record Geometry(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW, int strideH, int strideW,
                            int padTop, int padLeft, int padBottom, int padRight, boolean countIncludePad,
                            boolean relu, int blocks, int rowsPerTile, int rowTiles) {
        Geometry(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW, int strideH, int strideW,
                 int padTop, int padLeft, int padBottom, int padRight, boolean countIncludePad, boolean relu) {
            this(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, countIncludePad,
                    relu, checked(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight),
                    PoolSupport.rowsPerTile(out.height(), out.width(), strideH),
                    Math.ceilDiv(out.height(), PoolSupport.rowsPerTile(out.height(), out.width(), strideH)));
        }

        private static int checked(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW, int strideH,
                                   int strideW, int padTop, int padLeft, int padBottom, int padRight) {
            PoolSupport.checkPair(in, out);
            check(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0, "kernel and stride must be positive");
            check(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0, "padding must be non-negative");
            return in.blocks();
        }

        int tasks() {
            return in.batch() * blocks * rowTiles;
        }

        String describe(String variant) {
            return "avgpool " + kernelH + "×" + kernelW + " /" + strideH + "×" + strideW + " pad [" + padTop + ","
                    + padLeft + "," + padBottom + "," + padRight + "]" + (countIncludePad ? " include-pad" : "")
                    + " " + in.channels() + "×" + in.height() + "×" + in.width() + " → " + out.height() + "×"
                    + out.width() + (relu ? " +relu" : "") + " " + variant;
        }
    }

    private static final class ScalarAvgPool implements Kernel {
        private final Geometry g;

        ScalarAvgPool(Geometry g) {
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
            long rowStride = in.rowStride();
            long pixelStride = in.pixelStride();
            long inBase = in.at(n, block, 0, 0);
            int real = PoolSupport.realLanes(in.channels(), block);
            int oy1 = Math.min(out.height(), (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int hStart = oy * g.strideH - g.padTop;
                int hEnd = Math.min(hStart + g.kernelH, h + g.padBottom);
                int poolH = Math.max(hEnd - hStart, 0);
                hStart = Math.max(hStart, 0);
                hEnd = Math.min(hEnd, h);
                for (int ox = 0; ox < out.width(); ox++) {
                    int wStart = ox * g.strideW - g.padLeft;
                    int wEnd = Math.min(wStart + g.kernelW, w + g.padRight);
                    int poolW = Math.max(wEnd - wStart, 0);
                    wStart = Math.max(wStart, 0);
                    wEnd = Math.min(wEnd, w);
                    int divisor = g.countIncludePad
                            ? poolH * poolW
                            : Math.max(hEnd - hStart, 0) * Math.max(wEnd - wStart, 0);
                    long dst = out.at(n, block, oy, ox);
                    if (divisor == 0) {
                        PoolSupport.storeEmpty(arena, dst, real, Float.NaN);
                        continue;
                    }
                    for (int lane = 0; lane < Blocking.LANES; lane++) {
                        double sum = 0.0;
                        long laneBase = inBase + (long) lane * Float.BYTES;
                        for (int iy = hStart; iy < hEnd; iy++) {
                            for (int ix = wStart; ix < wEnd; ix++) {
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
    private static final class VectorAvgPool implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Geometry g;

        VectorAvgPool(Geometry g) {
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
            int outW = out.width();
            long rowStride = in.rowStride();
            long pixelStride = in.pixelStride();
            long inBase = in.at(n, block, 0, 0);
            long outPixel = out.pixelStride();
            boolean relu = g.relu;
            int oy1 = Math.min(out.height(), (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int hStart = oy * g.strideH - g.padTop;
                int hEnd = Math.min(hStart + g.kernelH, h + g.padBottom);
                int poolH = Math.max(hEnd - hStart, 0);
                hStart = Math.max(hStart, 0);
                hEnd = Math.min(hEnd, h);
                long dst = out.at(n, block, oy, 0);
                for (int ox = 0; ox < outW; ox++, dst += outPixel) {
                    int wStart = ox * g.strideW - g.padLeft;
                    int wEnd = Math.min(wStart + g.kernelW, w + g.padRight);
                    int poolW = Math.max(wEnd - wStart, 0);
                    wStart = Math.max(wStart, 0);
                    wEnd = Math.min(wEnd, w);
                    int divisor = g.countIncludePad
                            ? poolH * poolW
                            : Math.max(hEnd - hStart, 0) * Math.max(wEnd - wStart, 0);
                    if (divisor == 0) {
                        PoolSupport.storeEmpty(arena, dst, PoolSupport.realLanes(in.channels(), block), Float.NaN);
                        continue;
                    }
                    FloatVector sum = FloatVector.zero(S);
                    long row = inBase + hStart * rowStride + wStart * pixelStride;
                    for (int iy = hStart; iy < hEnd; iy++, row += rowStride) {
                        long p = row;
                        for (int ix = wStart; ix < wEnd; ix++, p += pixelStride) {
                            sum = sum.add(FloatVector.fromMemorySegment(S, arena, p, ORDER));
                        }
                    }
                    FloatVector v = sum.div((float) divisor);
                    if (relu) {
                        v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                    }
                    v.intoMemorySegment(arena, dst, ORDER);
                }
            }
        }
    }
}
