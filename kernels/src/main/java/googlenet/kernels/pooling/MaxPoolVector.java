package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.MaxPool.KEY_SHIFT;
import static googlenet.kernels.pooling.MaxPool.key;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyVectorKernel;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling on the Vector API (see {@link MaxPool}): one {@code FloatVector} is one pixel's channel block. 3×3 windows
 * (GoogLeNet's) go row by row with the window clamped to the input, the border pixels on the interior's path; other
 * windows take a general loop. Only loaded when the Vector API is present.
 */
final class MaxPoolVector extends FamilyVectorKernel<PoolShape> {
    /**
     * The same lanes as ints: the 3×3 rows compare int keys of the floats. They load and store FloatVectors and
     * reinterpret them: memory accesses of a second vector class would make the Vector API's shared memory-access
     * methods see two classes, the kind of profile pollution that leaves the conv tiles boxing (see the README's
     * open defect); with IntVector loads and stores, FashionCliTest's warm-ups stopped unsteady in conv tiles. The
     * same bits as {@link #S}, so the same lanes.
     */
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
    /** All of memory, read and written at absolute addresses (see {@code Conv2dVectorTiles.ALL}). */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** Bytes of one pixel of one channel block. */
    private static final long PIX = (long) S.length() * Float.BYTES;
    private final PoolWindow g;
    /** Whether {@link #runClamped3x3} applies. */
    private final boolean clamped;
    /** Bytes the arena must hold: the input and the output. */
    private final long arenaBytes;

    MaxPoolVector(PoolShape s, PoolWindow g) {
        super(s);
        this.g = g;
        this.clamped = clampable3x3(s, g);
        this.arenaBytes = Math.max(s.in().end(), s.out().end());
    }

    /**
     * 3×3 windows of which every one holds at least one input column (padLeft < 3, and the last window starts
     * left of the right edge): clamping a window's columns (and, per row, its rows) to the input then only
     * repeats taps that are inside the window, which a maximum ignores.
     */
    private static boolean clampable3x3(PoolShape s, PoolWindow g) {
        return g.kernelH() == 3 && g.kernelW() == 3 && g.padLeft() < 3 && g.padTop() < 3
                && (long) (s.out().width() - 1) * g.strideW() - g.padLeft() < s.in().width();
    }

    @Override
    protected void run(MemorySegment arena, PoolShape s, int n, int part, int block) {
        if (clamped) {
            runClamped3x3(arena, s, n, part, block);
        } else {
            runGeneral(arena, s, n, part, block);
        }
    }

    /**
     * 3×3 windows, all of them: every row of a window is clamped to the input (the rows of a window cut by the
     * top or bottom edge repeat an inside row, and likewise the columns), so that the border pixels take the
     * same straight-line code as the interior; per output row (per two rows at stride 1, which share two
     * input rows) one call of a loop without data-dependent branches. Through {@link #ALL} at absolute
     * addresses, checked once per task.
     */
    private void runClamped3x3(MemorySegment arena, PoolShape s, int n, int part, int block) {
        PoolWindow g = this.g;
        if (!arena.isNative() || arena.byteSize() < arenaBytes) {
            throw new IllegalArgumentException("max-pool needs native memory of at least " + arenaBytes
                    + " bytes (its input and output); got " + (arena.isNative() ? "" : "a heap segment of ")
                    + arena.byteSize() + " bytes");
        }
        long base = arena.address();
        BlockedTensor in = s.in();
        long inBase = base + in.at(n, block, 0, 0);
        BlockedTensor out = s.out();
        int h = in.height();
        int w = in.width();
        int outW = out.width();
        long rowStride = in.rowStride();
        float floor = s.relu() ? 0f : Float.NEGATIVE_INFINITY;
        int floorKey = key(floor);
        int oy0 = s.firstRow(part);
        int oy1 = s.endRow(part);
        for (int oy = oy0; oy < oy1; oy++) {
            int top = oy * g.strideH() - g.padTop();
            int hStart = Math.max(top, 0);
            int hEnd = Math.min(top + 3, h);
            long dst = out.at(n, block, oy, 0);
            if (g.strideH() == 1 && g.strideW() == 1 && oy + 1 < oy1 && hStart < hEnd && top + 1 < h) {
                // Two output rows from one pass: rows [hStart, hEnd) and [hStart1, hEnd1) share
                // [hStart1, hEnd) (not empty: top + 1 < h), the first adds at most hStart, the second hEnd1 - 1.
                int hStart1 = Math.max(top + 1, 0);
                int hEnd1 = Math.min(top + 4, h);
                rows3x3Stride1(inBase + hStart1 * rowStride, inBase + (hEnd - 1) * rowStride,
                        inBase + hStart * rowStride, inBase + (hEnd1 - 1) * rowStride, base + dst,
                        base + dst + out.rowStride(), outW, w, g.padLeft(), floorKey);
                oy++;
                continue;
            }
            if (hStart >= hEnd) { // the window lies below the input (a ceil-mode row)
                for (int ox = 0; ox < outW; ox++) {
                    PoolSupport.storeEmpty(arena, dst + ox * out.pixelStride(),
                            PoolSupport.realLanes(in.channels(), block), floor);
                }
                continue;
            }
            long r0 = inBase + hStart * rowStride;
            long r1 = inBase + Math.min(hStart + 1, hEnd - 1) * rowStride;
            long r2 = inBase + (hEnd - 1) * rowStride;
            if (g.strideW() == 1) {
                row3x3Stride1(r0, r1, r2, base + dst, outW, w, g.padLeft(), floorKey);
            } else {
                row3x3Strided(r0, r1, r2, base + dst, outW, w, g.padLeft(), g.strideW(), floorKey);
            }
        }
    }

    /*
     * The rows below compare keys, not floats: key(x) is an int whose signed order is the order of the floats
     * (-0 just below +0) with every NaN above +∞, so an int maximum (one cheap instruction) does what the
     * float maximum with NaN propagation needs (C2's FloatVector max is six, mask and blend instructions for
     * Java's -0/+0 and NaN rules; it made these loops several times slower than a copy). The output is the
     * float of the largest key: a NaN if any tap was one (ReferencePooling's rule), +0 for a ±0 tie. ReLU is a
     * max with the key of +0 (or of -∞: none), which keeps NaN. No vector-valued call, no data-dependent branch.
     */



    /*
     * Each row method has one place that loads a column (the parse of every Vector API call costs C2 nodes, and
     * past its inlining budget the calls stay calls, their vectors boxed): the loops start before the first
     * output where a window needs a column loaded earlier, writing the first output early (overwritten once its
     * window is complete), so that no column is loaded before them.
     */

    /**
     * One output row of stride-1 3×3 windows from input rows {@code r0..r2} (absolute addresses): output x takes
     * columns x - padLeft + [0, 3) clamped to the input; a column maximum serves three outputs, kept rolling.
     */
    private static void row3x3Stride1(long r0, long r1, long r2, long dst, int outW, int w, int padLeft,
                                      int floor) {
        MemorySegment a = ALL;
        IntVector low = IntVector.broadcast(I, floor);
        IntVector c0 = low;
        IntVector c1 = low;
        long last = (w - 1) * PIX;
        // The column entering the window of output ox is ox + 2 - padLeft; the loop starts at the one that enters
        // as column 0 (those before it are clamped repeats of column 0).
        int ox0 = padLeft - 2;
        long next = 0;
        for (int ox = ox0; ox < outW; ox++, next += PIX) {
            long x = Math.min(Math.max(next, 0), last);
            IntVector v0 = FloatVector.fromMemorySegment(S, a, r0 + x, ORDER).reinterpretAsInts();
            IntVector v1 = FloatVector.fromMemorySegment(S, a, r1 + x, ORDER).reinterpretAsInts();
            IntVector v2 = FloatVector.fromMemorySegment(S, a, r2 + x, ORDER).reinterpretAsInts();
            IntVector c2 = v0.lanewise(VectorOperators.XOR, v0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT)
                    .max(v1.lanewise(VectorOperators.XOR, v1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT))
                    .max(v2.lanewise(VectorOperators.XOR, v2.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT));
            IntVector k = c0.max(c1).max(c2).max(low).add(KEY_SHIFT);
            k.lanewise(VectorOperators.XOR, k.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF))
                    .reinterpretAsFloats().intoMemorySegment(a, dst + Math.max(ox, 0) * PIX, ORDER);
            c0 = c1;
            c1 = c2;
        }
    }

    /**
     * Two output rows of stride-1 3×3 windows: the first from input rows {u, v, t0}, the second from {u, v, t1}
     * (absolute addresses, repeats allowed); a column's maximum over u and v serves both.
     */
    private static void rows3x3Stride1(long u, long v, long t0, long t1, long dst0, long dst1, int outW, int w,
                                       int padLeft, int floor) {
        MemorySegment a = ALL;
        IntVector low = IntVector.broadcast(I, floor);
        IntVector a0 = low;
        IntVector a1 = low;
        IntVector b0 = low;
        IntVector b1 = low;
        long last = (w - 1) * PIX;
        // The column entering the window of output ox is ox + 2 - padLeft; the loop starts at the one that enters
        // as column 0 (those before it are clamped repeats of column 0).
        int ox0 = padLeft - 2;
        long next = 0;
        for (int ox = ox0; ox < outW; ox++, next += PIX) {
            long x = Math.min(Math.max(next, 0), last);
            IntVector vu = FloatVector.fromMemorySegment(S, a, u + x, ORDER).reinterpretAsInts();
            IntVector vv = FloatVector.fromMemorySegment(S, a, v + x, ORDER).reinterpretAsInts();
            IntVector v0 = FloatVector.fromMemorySegment(S, a, t0 + x, ORDER).reinterpretAsInts();
            IntVector v1 = FloatVector.fromMemorySegment(S, a, t1 + x, ORDER).reinterpretAsInts();
            IntVector m = vu.lanewise(VectorOperators.XOR, vu.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT)
                    .max(vv.lanewise(VectorOperators.XOR, vv.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT))
                    .max(low); // the floor, once for both rows
            IntVector a2 = m.max(v0.lanewise(VectorOperators.XOR, v0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT));
            IntVector b2 = m.max(v1.lanewise(VectorOperators.XOR, v1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT));
            long at = Math.max(ox, 0) * PIX;
            IntVector k = a0.max(a1).max(a2).add(KEY_SHIFT);
            k.lanewise(VectorOperators.XOR, k.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF))
                    .reinterpretAsFloats().intoMemorySegment(a, dst0 + at, ORDER);
            IntVector j = b0.max(b1).max(b2).add(KEY_SHIFT);
            j.lanewise(VectorOperators.XOR, j.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF))
                    .reinterpretAsFloats().intoMemorySegment(a, dst1 + at, ORDER);
            a0 = a1;
            a1 = a2;
            b0 = b1;
            b1 = b2;
        }
    }

    /**
     * As {@link #row3x3Stride1} for any stride ≥ 2: the window's last column is kept for the next window (its
     * first when the stride is 2); the inner loop loads the others.
     */
    private static void row3x3Strided(long r0, long r1, long r2, long dst, int outW, int w, int padLeft,
                                      int stride, int floor) {
        MemorySegment a = ALL;
        IntVector low = IntVector.broadcast(I, floor);
        IntVector carried = low;
        long last = (w - 1) * PIX;
        long step = stride * PIX;
        int fresh = Math.min(stride, 3); // columns of a window not in the previous one
        // Window ox's first column is ox·stride - padLeft. The loop starts one window early only to carry a real
        // first column into window 0 (with padding, that column is a clamped repeat of one window 0 loads).
        int ox0 = stride == 2 && padLeft == 0 ? -1 : 0;
        long first = (ox0 * stride - padLeft) * PIX;
        for (int ox = ox0; ox < outW; ox++, first += step) {
            IntVector m = stride == 2 ? carried : low;
            IntVector c = low;
            for (int k = 3 - fresh; k < 3; k++) {
                long x = Math.min(Math.max(first + k * PIX, 0), last);
                IntVector v0 = FloatVector.fromMemorySegment(S, a, r0 + x, ORDER).reinterpretAsInts();
                IntVector v1 = FloatVector.fromMemorySegment(S, a, r1 + x, ORDER).reinterpretAsInts();
                IntVector v2 = FloatVector.fromMemorySegment(S, a, r2 + x, ORDER).reinterpretAsInts();
                c = v0.lanewise(VectorOperators.XOR, v0.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT)
                        .max(v1.lanewise(VectorOperators.XOR, v1.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT))
                        .max(v2.lanewise(VectorOperators.XOR, v2.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF)).sub(KEY_SHIFT));
                m = m.max(c);
            }
            carried = c;
            IntVector k = m.max(low).add(KEY_SHIFT);
            k.lanewise(VectorOperators.XOR, k.lanewise(VectorOperators.ASHR, 31).lanewise(VectorOperators.AND, 0x7FFFFFFF))
                    .reinterpretAsFloats().intoMemorySegment(a, dst + Math.max(ox, 0) * PIX, ORDER);
        }
    }

    /** Any window: the general loop, with an unrolled path for 3×3 windows wholly inside the input. */
    private void runGeneral(MemorySegment arena, PoolShape s, int n, int part, int block) {
        PoolWindow g = this.g;
        PoolWindows win = s.windows();
        BlockedTensor in = s.in();
        int w = in.width();
        long rowStride = in.rowStride();
        long pixelStride = in.pixelStride();
        long inBase = in.at(n, block, 0, 0);
        BlockedTensor out = s.out();
        int outW = out.width();
        long outPixel = out.pixelStride();
        float floor = s.relu() ? 0f : Float.NEGATIVE_INFINITY;
        FloatVector low = FloatVector.broadcast(S, floor);
        int oy1 = s.endRow(part);
        for (int oy = s.firstRow(part); oy < oy1; oy++) {
            int hStart = win.firstRow[oy];
            int hEnd = win.endRow[oy];
            long dst = out.at(n, block, oy, 0);
            // 3×3 windows wholly inside the row band: an unrolled path (the general loop's short loops cost
            // more than its loads); [interiorLo, interiorHi) are the output columns whose window fits.
            int interiorLo = outW;
            int interiorHi = outW;
            if (g.kernelH() == 3 && g.kernelW() == 3 && hEnd - hStart == 3) {
                interiorLo = Math.min(outW, Math.ceilDiv(g.padLeft(), g.strideW()));
                interiorHi = Math.max(interiorLo, Math.min(outW, Math.floorDiv(w - 3 + g.padLeft(), g.strideW()) + 1));
            }
            for (int ox = 0; ox < outW; ox++, dst += outPixel) {
                if (ox == interiorLo && interiorLo < interiorHi) {
                    long first = inBase + hStart * rowStride + (ox * g.strideW() - g.padLeft()) * pixelStride;
                    int count = interiorHi - interiorLo;
                    if (g.strideW() == 1) {
                        windows3x3Stride1(arena, first, rowStride, pixelStride, dst, outPixel, count, floor);
                    } else {
                        windows3x3Strided(arena, first, rowStride, pixelStride, g.strideW(), dst, outPixel, count, floor);
                    }
                    dst += (interiorHi - interiorLo - 1) * outPixel;
                    ox = interiorHi - 1;
                    continue;
                }
                int wStart = win.firstColumn[ox];
                int wEnd = win.endColumn[ox];
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
