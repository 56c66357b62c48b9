package googlenet.kernels.layout;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.layout.PackInput.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Packing on the Vector API (see {@link PackInput}), only loaded when the Vector API is present. A task's pixels go
 * 16 at a time (the last group moved back to end at the last pixel: its overlap is written twice with the same values;
 * a task of fewer than 16 pixels runs the scalar loop). Channels go 4 at a time: the 4 channel vectors (zero past the real ones) become, after two rounds
 * of two-vector permutes, 4 vectors of 4 pixels × 4 channels, and one more permute per pixel moves a pixel's 4
 * values to the lanes of its store. The first group of 4 channels stores whole pixels (zeros in the other lanes,
 * so the padding lanes of a block of ≤ 4 real channels cost nothing extra); further groups store their 4 lanes
 * under a mask. A block of 16 real channels is transposed whole instead (see {@link #transposed}).
 * <p>
 * Reads and writes through one constant segment spanning all memory, at absolute addresses, as the conv tiles do
 * (see {@code Conv2dVectorTiles.ALL}): C2 then knows the segment's class exactly. {@link #run} checks once per
 * task that the arena is native memory holding the source and the destination.
 */
final class PackInputVector extends FamilyVectorKernel<Params> {
    private static final int C = 16;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final long PIXEL = (long) C * Float.BYTES;
    /** Pixels 0..7 (LO) or 8..15 (HI) of two channel vectors a, b as pairs (a, b) per pixel. */
    private static final FloatVector PAIRS_LO = index(l -> (l & 1) == 0 ? l / 2 : C + l / 2);
    private static final FloatVector PAIRS_HI = index(l -> (l & 1) == 0 ? C / 2 + l / 2 : C + C / 2 + l / 2);
    /**
     * From pair vectors p (channels 0, 1) and q (channels 2, 3) of 8 pixels, pixels 0..3 (LO) or 4..7 (HI) as
     * 4 channels each.
     */
    private static final FloatVector QUADS_LO = index(l -> (l & 3) < 2 ? 2 * (l / 4) + (l & 3) : C + 2 * (l / 4) + (l & 3) - 2);
    private static final FloatVector QUADS_HI = index(l -> (l & 3) < 2 ? C / 2 + 2 * (l / 4) + (l & 3)
            : C + C / 2 + 2 * (l / 4) + (l & 3) - 2);
    /**
     * For n real channels (1..4), 4 index vectors one after the other: vector j takes pixel j of a 4-pixel vector
     * to lanes 0..n-1 and the second vector's lane 0 (a zero) everywhere else.
     */
    private static final float[][] PIXEL_INDEX = pixelIndex();

    PackInputVector(Params p) {
        super(p);
    }

    /** Whether the block is 16 lanes, as this kernel's transposes need. */
    static boolean supported() {
        return S.length() == C && Blocking.LANES == C;
    }

    private static FloatVector index(java.util.function.IntUnaryOperator lane) {
        if (S.length() != C) return null;
        float[] index = new float[C];
        for (int l = 0; l < C; l++) index[l] = lane.applyAsInt(l);
        return FloatVector.fromArray(S, index, 0);
    }

    private static float[][] pixelIndex() {
        float[][] index = new float[5][4 * C];
        for (int n = 1; n <= 4; n++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < C; l++) index[n][j * C + l] = l < n ? 4 * j + l : C;
            }
        }
        return index;
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        if (!arena.isNative() || arena.byteSize() < p.arenaBytes) {
            throw new IllegalArgumentException("pack needs native memory of at least " + p.arenaBytes
                    + " bytes (its source and destination); got " + (arena.isNative() ? "" : "a heap segment of ")
                    + arena.byteSize() + " bytes");
        }
        int y0 = p.firstRow(part);
        long pixels = (long) (p.endRow(part) - y0) * p.dst.width();
        if (pixels < C) {
            PackInputScalar.pack(p, arena, n, part, block);
            return;
        }
        int real = p.real(block);
        long planeBytes = p.planeBytes();
        long src = arena.address() + p.source(n, block, y0);
        long out = arena.address() + p.dst.at(n, block, y0, 0);
        if (real == C) {
            transposed(src, planeBytes, out, pixels);
            return;
        }
        quads(src, planeBytes, Math.min(real, 4), out, pixels, false);
        for (int q = 4; q < real; q += 4) {
            quads(src + q * planeBytes, planeBytes, Math.min(real - q, 4), out + (long) q * Float.BYTES, pixels, true);
        }
    }

    /**
     * Channels {@code [0, channels)} ({@code channels} 1..4) of the planes at absolute address {@code in},
     * {@code plane} bytes apart, {@code pixels} ≥ 16 of them, to lanes 0..3 of the pixels at {@code out}
     * ({@code PIXEL} bytes apart): whole pixels (lanes {@code channels}.. zero), or, when {@code lanes4}, only
     * lanes 0..3 (a store under a mask; never taken for the network's 3-channel input).
     * <p>
     * No vector chosen by a branch and no mask in the whole-pixel path: the loads of channels past
     * {@code channels} repeat the last real plane, and the per-pixel permutes (their indices chosen per channel
     * count, loaded once) take zeros instead of those lanes. (A first form, with zero vectors chosen by
     * {@code channels} and a store mask, was boxed for good in an engine JVM: 8 MB per run.)
     */
    private static void quads(long in, long plane, int channels, long out, long pixels, boolean lanes4) {
        float[] index = PIXEL_INDEX[channels];
        long plane1 = Math.min(1, channels - 1) * plane;
        long plane2 = Math.min(2, channels - 1) * plane;
        long plane3 = Math.min(3, channels - 1) * plane;
        if (lanes4) {
            quadsUnderMask(in, plane1, plane2, plane3, out, pixels, index);
            return;
        }
        MemorySegment a = ALL;
        FloatVector zero = FloatVector.zero(S);
        FloatVector pixel0 = FloatVector.fromArray(S, index, 0);
        FloatVector pixel1 = FloatVector.fromArray(S, index, C);
        FloatVector pixel2 = FloatVector.fromArray(S, index, 2 * C);
        FloatVector pixel3 = FloatVector.fromArray(S, index, 3 * C);
        for (long i = 0; i < pixels; i += C) {
            long x = Math.min(i, pixels - C);
            long s = in + x * Float.BYTES;
            FloatVector v0 = FloatVector.fromMemorySegment(S, a, s, ORDER);
            FloatVector v1 = FloatVector.fromMemorySegment(S, a, s + plane1, ORDER);
            FloatVector v2 = FloatVector.fromMemorySegment(S, a, s + plane2, ORDER);
            FloatVector v3 = FloatVector.fromMemorySegment(S, a, s + plane3, ORDER);
            FloatVector p0 = PAIRS_LO.selectFrom(v0, v1);
            FloatVector p1 = PAIRS_HI.selectFrom(v0, v1);
            FloatVector q0 = PAIRS_LO.selectFrom(v2, v3);
            FloatVector q1 = PAIRS_HI.selectFrom(v2, v3);
            FloatVector w0 = QUADS_LO.selectFrom(p0, q0);
            FloatVector w1 = QUADS_HI.selectFrom(p0, q0);
            FloatVector w2 = QUADS_LO.selectFrom(p1, q1);
            FloatVector w3 = QUADS_HI.selectFrom(p1, q1);
            long o = out + x * PIXEL;
            pixel0.selectFrom(w0, zero).intoMemorySegment(a, o, ORDER);
            pixel1.selectFrom(w0, zero).intoMemorySegment(a, o + PIXEL, ORDER);
            pixel2.selectFrom(w0, zero).intoMemorySegment(a, o + 2 * PIXEL, ORDER);
            pixel3.selectFrom(w0, zero).intoMemorySegment(a, o + 3 * PIXEL, ORDER);
            pixel0.selectFrom(w1, zero).intoMemorySegment(a, o + 4 * PIXEL, ORDER);
            pixel1.selectFrom(w1, zero).intoMemorySegment(a, o + 5 * PIXEL, ORDER);
            pixel2.selectFrom(w1, zero).intoMemorySegment(a, o + 6 * PIXEL, ORDER);
            pixel3.selectFrom(w1, zero).intoMemorySegment(a, o + 7 * PIXEL, ORDER);
            pixel0.selectFrom(w2, zero).intoMemorySegment(a, o + 8 * PIXEL, ORDER);
            pixel1.selectFrom(w2, zero).intoMemorySegment(a, o + 9 * PIXEL, ORDER);
            pixel2.selectFrom(w2, zero).intoMemorySegment(a, o + 10 * PIXEL, ORDER);
            pixel3.selectFrom(w2, zero).intoMemorySegment(a, o + 11 * PIXEL, ORDER);
            pixel0.selectFrom(w3, zero).intoMemorySegment(a, o + 12 * PIXEL, ORDER);
            pixel1.selectFrom(w3, zero).intoMemorySegment(a, o + 13 * PIXEL, ORDER);
            pixel2.selectFrom(w3, zero).intoMemorySegment(a, o + 14 * PIXEL, ORDER);
            pixel3.selectFrom(w3, zero).intoMemorySegment(a, o + 15 * PIXEL, ORDER);
        }
    }

    /**
     * A block of 16 real channels, 16 pixels at a time: the 16 channels' vectors of 16 pixels become the 16 pixels'
     * vectors of 16 channels in four rounds, each interleaving vector i with vector i + 8 (the low halves' lanes into
     * vector 2i, the high halves' into 2i + 1): a round moves a bit of the lane number into the vector number and a bit
     * of the vector number into the lane number, so four rounds transpose. Whole stores, no mask.
     */
    private static void transposed(long in, long plane, long out, long pixels) {
        MemorySegment a = ALL;
        FloatVector lo = PAIRS_LO;
        FloatVector hi = PAIRS_HI;
        for (long i = 0; i < pixels; i += C) {
            long x = Math.min(i, pixels - C);
            long s = in + x * Float.BYTES;
            FloatVector a0 = FloatVector.fromMemorySegment(S, a, s, ORDER);
            FloatVector a1 = FloatVector.fromMemorySegment(S, a, s + 1 * plane, ORDER);
            FloatVector a2 = FloatVector.fromMemorySegment(S, a, s + 2 * plane, ORDER);
            FloatVector a3 = FloatVector.fromMemorySegment(S, a, s + 3 * plane, ORDER);
            FloatVector a4 = FloatVector.fromMemorySegment(S, a, s + 4 * plane, ORDER);
            FloatVector a5 = FloatVector.fromMemorySegment(S, a, s + 5 * plane, ORDER);
            FloatVector a6 = FloatVector.fromMemorySegment(S, a, s + 6 * plane, ORDER);
            FloatVector a7 = FloatVector.fromMemorySegment(S, a, s + 7 * plane, ORDER);
            FloatVector a8 = FloatVector.fromMemorySegment(S, a, s + 8 * plane, ORDER);
            FloatVector a9 = FloatVector.fromMemorySegment(S, a, s + 9 * plane, ORDER);
            FloatVector a10 = FloatVector.fromMemorySegment(S, a, s + 10 * plane, ORDER);
            FloatVector a11 = FloatVector.fromMemorySegment(S, a, s + 11 * plane, ORDER);
            FloatVector a12 = FloatVector.fromMemorySegment(S, a, s + 12 * plane, ORDER);
            FloatVector a13 = FloatVector.fromMemorySegment(S, a, s + 13 * plane, ORDER);
            FloatVector a14 = FloatVector.fromMemorySegment(S, a, s + 14 * plane, ORDER);
            FloatVector a15 = FloatVector.fromMemorySegment(S, a, s + 15 * plane, ORDER);
            FloatVector b0 = lo.selectFrom(a0, a8);
            FloatVector b1 = hi.selectFrom(a0, a8);
            FloatVector b2 = lo.selectFrom(a1, a9);
            FloatVector b3 = hi.selectFrom(a1, a9);
            FloatVector b4 = lo.selectFrom(a2, a10);
            FloatVector b5 = hi.selectFrom(a2, a10);
            FloatVector b6 = lo.selectFrom(a3, a11);
            FloatVector b7 = hi.selectFrom(a3, a11);
            FloatVector b8 = lo.selectFrom(a4, a12);
            FloatVector b9 = hi.selectFrom(a4, a12);
            FloatVector b10 = lo.selectFrom(a5, a13);
            FloatVector b11 = hi.selectFrom(a5, a13);
            FloatVector b12 = lo.selectFrom(a6, a14);
            FloatVector b13 = hi.selectFrom(a6, a14);
            FloatVector b14 = lo.selectFrom(a7, a15);
            FloatVector b15 = hi.selectFrom(a7, a15);
            FloatVector c0 = lo.selectFrom(b0, b8);
            FloatVector c1 = hi.selectFrom(b0, b8);
            FloatVector c2 = lo.selectFrom(b1, b9);
            FloatVector c3 = hi.selectFrom(b1, b9);
            FloatVector c4 = lo.selectFrom(b2, b10);
            FloatVector c5 = hi.selectFrom(b2, b10);
            FloatVector c6 = lo.selectFrom(b3, b11);
            FloatVector c7 = hi.selectFrom(b3, b11);
            FloatVector c8 = lo.selectFrom(b4, b12);
            FloatVector c9 = hi.selectFrom(b4, b12);
            FloatVector c10 = lo.selectFrom(b5, b13);
            FloatVector c11 = hi.selectFrom(b5, b13);
            FloatVector c12 = lo.selectFrom(b6, b14);
            FloatVector c13 = hi.selectFrom(b6, b14);
            FloatVector c14 = lo.selectFrom(b7, b15);
            FloatVector c15 = hi.selectFrom(b7, b15);
            FloatVector d0 = lo.selectFrom(c0, c8);
            FloatVector d1 = hi.selectFrom(c0, c8);
            FloatVector d2 = lo.selectFrom(c1, c9);
            FloatVector d3 = hi.selectFrom(c1, c9);
            FloatVector d4 = lo.selectFrom(c2, c10);
            FloatVector d5 = hi.selectFrom(c2, c10);
            FloatVector d6 = lo.selectFrom(c3, c11);
            FloatVector d7 = hi.selectFrom(c3, c11);
            FloatVector d8 = lo.selectFrom(c4, c12);
            FloatVector d9 = hi.selectFrom(c4, c12);
            FloatVector d10 = lo.selectFrom(c5, c13);
            FloatVector d11 = hi.selectFrom(c5, c13);
            FloatVector d12 = lo.selectFrom(c6, c14);
            FloatVector d13 = hi.selectFrom(c6, c14);
            FloatVector d14 = lo.selectFrom(c7, c15);
            FloatVector d15 = hi.selectFrom(c7, c15);
            FloatVector e0 = lo.selectFrom(d0, d8);
            FloatVector e1 = hi.selectFrom(d0, d8);
            FloatVector e2 = lo.selectFrom(d1, d9);
            FloatVector e3 = hi.selectFrom(d1, d9);
            FloatVector e4 = lo.selectFrom(d2, d10);
            FloatVector e5 = hi.selectFrom(d2, d10);
            FloatVector e6 = lo.selectFrom(d3, d11);
            FloatVector e7 = hi.selectFrom(d3, d11);
            FloatVector e8 = lo.selectFrom(d4, d12);
            FloatVector e9 = hi.selectFrom(d4, d12);
            FloatVector e10 = lo.selectFrom(d5, d13);
            FloatVector e11 = hi.selectFrom(d5, d13);
            FloatVector e12 = lo.selectFrom(d6, d14);
            FloatVector e13 = hi.selectFrom(d6, d14);
            FloatVector e14 = lo.selectFrom(d7, d15);
            FloatVector e15 = hi.selectFrom(d7, d15);
            long o = out + x * PIXEL;
            e0.intoMemorySegment(a, o, ORDER);
            e1.intoMemorySegment(a, o + 1 * PIXEL, ORDER);
            e2.intoMemorySegment(a, o + 2 * PIXEL, ORDER);
            e3.intoMemorySegment(a, o + 3 * PIXEL, ORDER);
            e4.intoMemorySegment(a, o + 4 * PIXEL, ORDER);
            e5.intoMemorySegment(a, o + 5 * PIXEL, ORDER);
            e6.intoMemorySegment(a, o + 6 * PIXEL, ORDER);
            e7.intoMemorySegment(a, o + 7 * PIXEL, ORDER);
            e8.intoMemorySegment(a, o + 8 * PIXEL, ORDER);
            e9.intoMemorySegment(a, o + 9 * PIXEL, ORDER);
            e10.intoMemorySegment(a, o + 10 * PIXEL, ORDER);
            e11.intoMemorySegment(a, o + 11 * PIXEL, ORDER);
            e12.intoMemorySegment(a, o + 12 * PIXEL, ORDER);
            e13.intoMemorySegment(a, o + 13 * PIXEL, ORDER);
            e14.intoMemorySegment(a, o + 14 * PIXEL, ORDER);
            e15.intoMemorySegment(a, o + 15 * PIXEL, ORDER);
        }
    }

    /** {@link #quads} storing lanes 0..3 only: channels 4.. of a block of more than 4 real channels. */
    private static void quadsUnderMask(long in, long plane1, long plane2, long plane3, long out, long pixels,
                                       float[] index) {
        MemorySegment a = ALL;
        FloatVector zero = FloatVector.zero(S);
        FloatVector pixel0 = FloatVector.fromArray(S, index, 0);
        FloatVector pixel1 = FloatVector.fromArray(S, index, C);
        FloatVector pixel2 = FloatVector.fromArray(S, index, 2 * C);
        FloatVector pixel3 = FloatVector.fromArray(S, index, 3 * C);
        VectorMask<Float> m = VectorMask.fromLong(S, 0xFL);
        for (long i = 0; i < pixels; i += C) {
            long x = Math.min(i, pixels - C);
            long s = in + x * Float.BYTES;
            FloatVector v0 = FloatVector.fromMemorySegment(S, a, s, ORDER);
            FloatVector v1 = FloatVector.fromMemorySegment(S, a, s + plane1, ORDER);
            FloatVector v2 = FloatVector.fromMemorySegment(S, a, s + plane2, ORDER);
            FloatVector v3 = FloatVector.fromMemorySegment(S, a, s + plane3, ORDER);
            FloatVector p0 = PAIRS_LO.selectFrom(v0, v1);
            FloatVector p1 = PAIRS_HI.selectFrom(v0, v1);
            FloatVector q0 = PAIRS_LO.selectFrom(v2, v3);
            FloatVector q1 = PAIRS_HI.selectFrom(v2, v3);
            FloatVector w0 = QUADS_LO.selectFrom(p0, q0);
            FloatVector w1 = QUADS_HI.selectFrom(p0, q0);
            FloatVector w2 = QUADS_LO.selectFrom(p1, q1);
            FloatVector w3 = QUADS_HI.selectFrom(p1, q1);
            long o = out + x * PIXEL;
            pixel0.selectFrom(w0, zero).intoMemorySegment(a, o, ORDER, m);
            pixel1.selectFrom(w0, zero).intoMemorySegment(a, o + PIXEL, ORDER, m);
            pixel2.selectFrom(w0, zero).intoMemorySegment(a, o + 2 * PIXEL, ORDER, m);
            pixel3.selectFrom(w0, zero).intoMemorySegment(a, o + 3 * PIXEL, ORDER, m);
            pixel0.selectFrom(w1, zero).intoMemorySegment(a, o + 4 * PIXEL, ORDER, m);
            pixel1.selectFrom(w1, zero).intoMemorySegment(a, o + 5 * PIXEL, ORDER, m);
            pixel2.selectFrom(w1, zero).intoMemorySegment(a, o + 6 * PIXEL, ORDER, m);
            pixel3.selectFrom(w1, zero).intoMemorySegment(a, o + 7 * PIXEL, ORDER, m);
            pixel0.selectFrom(w2, zero).intoMemorySegment(a, o + 8 * PIXEL, ORDER, m);
            pixel1.selectFrom(w2, zero).intoMemorySegment(a, o + 9 * PIXEL, ORDER, m);
            pixel2.selectFrom(w2, zero).intoMemorySegment(a, o + 10 * PIXEL, ORDER, m);
            pixel3.selectFrom(w2, zero).intoMemorySegment(a, o + 11 * PIXEL, ORDER, m);
            pixel0.selectFrom(w3, zero).intoMemorySegment(a, o + 12 * PIXEL, ORDER, m);
            pixel1.selectFrom(w3, zero).intoMemorySegment(a, o + 13 * PIXEL, ORDER, m);
            pixel2.selectFrom(w3, zero).intoMemorySegment(a, o + 14 * PIXEL, ORDER, m);
            pixel3.selectFrom(w3, zero).intoMemorySegment(a, o + 15 * PIXEL, ORDER, m);
        }
    }
}
