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
 * 2-D max pooling over NCHWc tensors, as {@code ReferencePooling.maxPool2d}: output (oy, ox) takes the maximum of
 * input rows {@code oy*strideH - padTop + [0, kernelH)} and columns {@code ox*strideW - padLeft + [0, kernelW)}
 * that lie inside the input. Padded taps never win; a window with no tap inside the input gives -Infinity (0 in
 * padding lanes). NaN propagates. The output size is the output view's (ceil mode is a larger output), so bottom
 * and right padding only matter through it. Optional fused ReLU.
 * <p>
 * Vector variant: one {@code FloatVector} is one pixel's channel block. Tasks: images × output-row tiles ×
 * channel blocks.
 */
public final class MaxPool {

    private MaxPool() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                boolean relu) {
        Geometry g = new Geometry(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight,
                relu);
        return Blocking.VECTOR ? new VectorMaxPool(g) : new ScalarMaxPool(g);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW,
                                      int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                                      boolean relu) {
        return new ScalarMaxPool(new Geometry(in, out, kernelH, kernelW, strideH, strideW,
                padTop, padLeft, padBottom, padRight, relu));
    }

    private record Geometry(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW, int strideH, int strideW,
                            int padTop, int padLeft, int padBottom, int padRight, boolean relu,
                            int blocks, int rowsPerTile, int rowTiles) {
        Geometry(BlockedTensor in, BlockedTensor out, int kernelH, int kernelW, int strideH, int strideW,
                 int padTop, int padLeft, int padBottom, int padRight, boolean relu) {
            this(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight, relu,
                    checked(in, out, kernelH, kernelW, strideH, strideW, padTop, padLeft, padBottom, padRight),
                    PoolSupport.rowsPerTile(out.height(), out.width()),
                    Math.ceilDiv(out.height(), PoolSupport.rowsPerTile(out.height(), out.width())));
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
            return "maxpool " + kernelH + "×" + kernelW + " /" + strideH + "×" + strideW + " pad [" + padTop + ","
                    + padLeft + "," + padBottom + "," + padRight + "] " + in.channels() + "×" + in.height() + "×"
                    + in.width() + " → " + out.height() + "×" + out.width() + (relu ? " +relu" : "") + " " + variant;
        }
    }

    private static final class ScalarMaxPool implements Kernel {
        private final Geometry g;

        ScalarMaxPool(Geometry g) {
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
            int block = task % g.blocks; // tasks by image, then rows, then channel block (see the worker pool)
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
            int real = PoolSupport.realLanes(in.channels(), block);
            int oy1 = Math.min(out.height(), (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int hStart = Math.max(oy * g.strideH - g.padTop, 0);
                int hEnd = Math.min(oy * g.strideH - g.padTop + g.kernelH, h);
                for (int ox = 0; ox < outW; ox++) {
                    int wStart = Math.max(ox * g.strideW - g.padLeft, 0);
                    int wEnd = Math.min(ox * g.strideW - g.padLeft + g.kernelW, w);
                    long dst = out.at(n, block, oy, ox);
                    if (hStart >= hEnd || wStart >= wEnd) {
                        PoolSupport.storeEmpty(arena, dst, real,
                                g.relu ? 0f : Float.NEGATIVE_INFINITY);
                        continue;
                    }
                    for (int lane = 0; lane < Blocking.LANES; lane++) {
                        float max = Float.NEGATIVE_INFINITY;
                        long laneBase = inBase + (long) lane * Float.BYTES;
                        for (int iy = hStart; iy < hEnd; iy++) {
                            for (int ix = wStart; ix < wEnd; ix++) {
                                float v = arena.get(FLOAT, laneBase + iy * rowStride + ix * pixelStride);
                                if (v > max || v != v) {
                                    max = v;
                                }
                            }
                        }
                        arena.set(FLOAT, dst + (long) lane * Float.BYTES, g.relu ? PoolSupport.relu(max) : max);
                    }
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorMaxPool implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Geometry g;

        VectorMaxPool(Geometry g) {
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
            int block = task % g.blocks; // tasks by image, then rows, then channel block (see the worker pool)
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
            float floor = g.relu ? 0f : Float.NEGATIVE_INFINITY;
            FloatVector low = FloatVector.broadcast(S, floor);
            int oy1 = Math.min(out.height(), (tile + 1) * g.rowsPerTile);
            for (int oy = tile * g.rowsPerTile; oy < oy1; oy++) {
                int hStart = Math.max(oy * g.strideH - g.padTop, 0);
                int hEnd = Math.min(oy * g.strideH - g.padTop + g.kernelH, h);
                long dst = out.at(n, block, oy, 0);
                // 3×3 windows wholly inside the row band: an unrolled path (the general loop's short loops cost
                // more than its loads); [interiorLo, interiorHi) are the output columns whose window fits.
                int interiorLo = outW;
                int interiorHi = outW;
                if (g.kernelH == 3 && g.kernelW == 3 && hEnd - hStart == 3) {
                    interiorLo = Math.min(outW, Math.ceilDiv(g.padLeft, g.strideW));
                    interiorHi = Math.max(interiorLo, Math.min(outW, Math.floorDiv(w - 3 + g.padLeft, g.strideW) + 1));
                }
                for (int ox = 0; ox < outW; ox++, dst += outPixel) {
                    if (ox == interiorLo && interiorLo < interiorHi) {
                        long first = inBase + hStart * rowStride + (ox * g.strideW - g.padLeft) * pixelStride;
                        int count = interiorHi - interiorLo;
                        if (g.strideW == 1) {
                            windows3x3Stride1(arena, first, rowStride, pixelStride, dst, outPixel, count, floor);
                        } else {
                            windows3x3Strided(arena, first, rowStride, pixelStride, g.strideW, dst, outPixel, count, floor);
                        }
                        dst += (interiorHi - interiorLo - 1) * outPixel;
                        ox = interiorHi - 1;
                        continue;
                    }
                    int wStart = Math.max(ox * g.strideW - g.padLeft, 0);
                    int wEnd = Math.min(ox * g.strideW - g.padLeft + g.kernelW, w);
                    if (hStart >= hEnd || wStart >= wEnd) {
                        PoolSupport.storeEmpty(arena, dst, PoolSupport.realLanes(in.channels(), block), floor);
                        continue;
                    }
                    long row = inBase + hStart * rowStride + wStart * pixelStride;
                    FloatVector max = FloatVector.fromMemorySegment(S, arena, row, ORDER);
                    for (int iy = hStart; iy < hEnd; iy++, row += rowStride) {
                        long p = row;
                        for (int ix = wStart; ix < wEnd; ix++, p += pixelStride) {
                            max = max.lanewise(VectorOperators.MAX, FloatVector.fromMemorySegment(S, arena, p, ORDER));
                        }
                    }
                    max.max(low).intoMemorySegment(arena, dst, ORDER);
                }
            }
        }

        /*
         * The 3×3 paths below take no vector-valued helper and no data-dependent branch: a vector passed to or returned
         * from a call the JIT did not inline is boxed on the heap, and a branch first taken after compilation sends the
         * method back through the lower tiers, where every vector operation allocates. ReLU is a max with a floor
         * (0, or -∞ for none), which keeps NaN as the comparison-and-blend did.
         */

        /**
         * {@code count} outputs of stride-1 3×3 windows, the first starting at input pixel {@code in}: each the max of
         * three column maxima (three rows each); a column maximum serves three outputs, so it is kept rolling.
         */
        private static void windows3x3Stride1(MemorySegment a, long in, long rowStride, long pixelStride, long dst,
                                              long outPixel, int count, float floor) {
            FloatVector low = FloatVector.broadcast(S, floor);
            FloatVector c0 = FloatVector.fromMemorySegment(S, a, in, ORDER)
                    .max(FloatVector.fromMemorySegment(S, a, in + rowStride, ORDER))
                    .max(FloatVector.fromMemorySegment(S, a, in + 2 * rowStride, ORDER));
            long p = in + pixelStride;
            FloatVector c1 = FloatVector.fromMemorySegment(S, a, p, ORDER)
                    .max(FloatVector.fromMemorySegment(S, a, p + rowStride, ORDER))
                    .max(FloatVector.fromMemorySegment(S, a, p + 2 * rowStride, ORDER));
            p += pixelStride;
            for (int i = 0; i < count; i++, p += pixelStride, dst += outPixel) {
                FloatVector c2 = FloatVector.fromMemorySegment(S, a, p, ORDER)
                        .max(FloatVector.fromMemorySegment(S, a, p + rowStride, ORDER))
                        .max(FloatVector.fromMemorySegment(S, a, p + 2 * rowStride, ORDER));
                c0.max(c1).max(c2).max(low).intoMemorySegment(a, dst, ORDER);
                c0 = c1;
                c1 = c2;
            }
        }

        /** {@code count} outputs of 3×3 windows {@code stride} pixels apart, the first starting at input pixel {@code in}. */
        private static void windows3x3Strided(MemorySegment a, long in, long rowStride, long pixelStride, int stride,
                                              long dst, long outPixel, int count, float floor) {
            FloatVector low = FloatVector.broadcast(S, floor);
            long step = stride * pixelStride;
            for (int i = 0; i < count; i++, in += step, dst += outPixel) {
                FloatVector m = low;
                for (long r = in, rEnd = in + 3 * rowStride; r < rEnd; r += rowStride) {
                    m = m.max(FloatVector.fromMemorySegment(S, a, r, ORDER))
                            .max(FloatVector.fromMemorySegment(S, a, r + pixelStride, ORDER))
                            .max(FloatVector.fromMemorySegment(S, a, r + 2 * pixelStride, ORDER));
                }
                m.intoMemorySegment(a, dst, ORDER);
            }
        }
    }
}
