package googlenet.kernels.layout;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.layout.PackInput.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;

/**
 * Packing on the Vector API (see {@link PackInput}), only loaded when the Vector API is present. A task's pixels go
 * 16 at a time (the last group moved back to end at the last pixel: its overlap is written twice with the same values;
 * a task of fewer than 16 pixels runs the scalar loop). A block of up to 4 real channels (an RGB image): the 4 channel
 * vectors become, after two rounds of two-vector permutes, 4 vectors of 4 pixels × 4 channels, and one more permute
 * per pixel moves a pixel's 4 values to the lanes of its store, zeros in the others ({@link #quads}). A block of 5 to
 * 16 real channels: 16 pixels × 16 channels transposed in registers, zeros loaded for the channels past the real ones
 * ({@link #transposed}). Whole stores only, no mask.
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
    private static final FloatVector PAIRS_LO = TransposeVector16.PAIRS_LO;
    private static final FloatVector PAIRS_HI = TransposeVector16.PAIRS_HI;
    /**
     * From pair vectors p (channels 0, 1) and q (channels 2, 3) of 8 pixels, pixels 0..3 (LO) or 4..7 (HI) as
     * 4 channels each.
     */
    private static final FloatVector QUADS_LO = TransposeVector16.index(l -> (l & 3) < 2 ? 2 * (l / 4) + (l & 3) : C + 2 * (l / 4) + (l & 3) - 2);
    private static final FloatVector QUADS_HI = TransposeVector16.index(l -> (l & 3) < 2 ? C / 2 + 2 * (l / 4) + (l & 3)
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
        if (real > 4) {
            transposed(src, planeBytes, real, out, pixels);
        } else {
            quads(src, planeBytes, real, out, pixels);
        }
    }

    /**
     * Channels {@code [0, channels)} ({@code channels} 1..4) of the planes at absolute address {@code in},
     * {@code plane} bytes apart, {@code pixels} ≥ 16 of them, to lanes 0..3 of the pixels at {@code out}
     * ({@code PIXEL} bytes apart): whole pixels, lanes {@code channels}.. zero.
     * <p>
     * No vector chosen by a branch and no mask in the whole-pixel path: the loads of channels past
     * {@code channels} repeat the last real plane, and the per-pixel permutes (their indices chosen per channel
     * count, loaded once) take zeros instead of those lanes. (A first form, with zero vectors chosen by
     * {@code channels} and a store mask, was boxed for good in an engine JVM: 8 MB per run.)
     */
    private static void quads(long in, long plane, int channels, long out, long pixels) {
        float[] index = PIXEL_INDEX[channels];
        long plane1 = Math.min(1, channels - 1) * plane;
        long plane2 = Math.min(2, channels - 1) * plane;
        long plane3 = Math.min(3, channels - 1) * plane;
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

    /** A block of 5 to 16 real channels, 16 pixels at a time, transposed whole (see {@link TransposeVector16}). */
    private static void transposed(long in, long plane, int channels, long out, long pixels) {
        for (long i = 0; i < pixels; i += C) {
            long x = Math.min(i, pixels - C);
            TransposeVector16.transpose(in + x * Float.BYTES, plane, channels, out + x * PIXEL, PIXEL, C);
        }
    }
}
