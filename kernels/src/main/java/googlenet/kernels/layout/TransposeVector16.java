package googlenet.kernels.layout;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A 16 × 16 transpose of floats from one place in memory to another, in registers: 16 vectors loaded {@code srcStride}
 * bytes apart, lane j of vector i stored as lane i of vector j, {@code dstStride} bytes apart. Four rounds, each
 * interleaving vector i with vector i + 8 (their low halves' lanes into vector 2i, their high halves' into 2i + 1): a
 * round moves a bit of the lane number into the vector number and a bit of the vector number into the lane number, so
 * four rounds transpose. Packing reads 16 channel planes (zeros past the real ones) and stores 16 pixels; unpacking does the reverse. Addresses
 * are absolute (the callers check once per task that the arena holds them); only loaded with the vector kernels, and
 * only called when the species has 16 lanes.
 */
final class TransposeVector16 {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int C = 16;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** One vector of zeros: what the loads past {@code loads} read. */
    private static final long ZEROS = java.lang.foreign.Arena.global().allocate(C * Float.BYTES, 64).address();
    /** Lanes 0..7 (LO) or 8..15 (HI) of two vectors a, b as pairs (a, b) per lane. */
    static final FloatVector PAIRS_LO = index(l -> (l & 1) == 0 ? l / 2 : C + l / 2);
    static final FloatVector PAIRS_HI = index(l -> (l & 1) == 0 ? C / 2 + l / 2 : C + C / 2 + l / 2);

    private TransposeVector16() {
    }

    static boolean supported() {
        return S.length() == C;
    }

    static FloatVector index(java.util.function.IntUnaryOperator lane) {
        if (S.length() != C) return null;
        float[] index = new float[C];
        for (int l = 0; l < C; l++) index[l] = lane.applyAsInt(l);
        return FloatVector.fromArray(S, index, 0);
    }

    /**
     * Loads the first {@code loads} (1..16) vectors and zeros for the rest (a partial block's real channel planes, its
     * padding lanes zero), and stores the first {@code stores} (1..16) of the 16 transposed vectors (a partial block's
     * real channels).
     */
    static void transpose(long src, long srcStride, int loads, long dst, long dstStride, int stores) {
        long zeros = ZEROS;
        MemorySegment a = ALL;
        FloatVector lo = PAIRS_LO;
        FloatVector hi = PAIRS_HI;
        FloatVector a0 = FloatVector.fromMemorySegment(S, a, src, ORDER);
        FloatVector a1 = FloatVector.fromMemorySegment(S, a, loads > 1 ? src + 1 * srcStride : zeros, ORDER);
        FloatVector a2 = FloatVector.fromMemorySegment(S, a, loads > 2 ? src + 2 * srcStride : zeros, ORDER);
        FloatVector a3 = FloatVector.fromMemorySegment(S, a, loads > 3 ? src + 3 * srcStride : zeros, ORDER);
        FloatVector a4 = FloatVector.fromMemorySegment(S, a, loads > 4 ? src + 4 * srcStride : zeros, ORDER);
        FloatVector a5 = FloatVector.fromMemorySegment(S, a, loads > 5 ? src + 5 * srcStride : zeros, ORDER);
        FloatVector a6 = FloatVector.fromMemorySegment(S, a, loads > 6 ? src + 6 * srcStride : zeros, ORDER);
        FloatVector a7 = FloatVector.fromMemorySegment(S, a, loads > 7 ? src + 7 * srcStride : zeros, ORDER);
        FloatVector a8 = FloatVector.fromMemorySegment(S, a, loads > 8 ? src + 8 * srcStride : zeros, ORDER);
        FloatVector a9 = FloatVector.fromMemorySegment(S, a, loads > 9 ? src + 9 * srcStride : zeros, ORDER);
        FloatVector a10 = FloatVector.fromMemorySegment(S, a, loads > 10 ? src + 10 * srcStride : zeros, ORDER);
        FloatVector a11 = FloatVector.fromMemorySegment(S, a, loads > 11 ? src + 11 * srcStride : zeros, ORDER);
        FloatVector a12 = FloatVector.fromMemorySegment(S, a, loads > 12 ? src + 12 * srcStride : zeros, ORDER);
        FloatVector a13 = FloatVector.fromMemorySegment(S, a, loads > 13 ? src + 13 * srcStride : zeros, ORDER);
        FloatVector a14 = FloatVector.fromMemorySegment(S, a, loads > 14 ? src + 14 * srcStride : zeros, ORDER);
        FloatVector a15 = FloatVector.fromMemorySegment(S, a, loads > 15 ? src + 15 * srcStride : zeros, ORDER);
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
        e0.intoMemorySegment(a, dst, ORDER);
        if (stores > 1) e1.intoMemorySegment(a, dst + 1 * dstStride, ORDER);
        if (stores > 2) e2.intoMemorySegment(a, dst + 2 * dstStride, ORDER);
        if (stores > 3) e3.intoMemorySegment(a, dst + 3 * dstStride, ORDER);
        if (stores > 4) e4.intoMemorySegment(a, dst + 4 * dstStride, ORDER);
        if (stores > 5) e5.intoMemorySegment(a, dst + 5 * dstStride, ORDER);
        if (stores > 6) e6.intoMemorySegment(a, dst + 6 * dstStride, ORDER);
        if (stores > 7) e7.intoMemorySegment(a, dst + 7 * dstStride, ORDER);
        if (stores > 8) e8.intoMemorySegment(a, dst + 8 * dstStride, ORDER);
        if (stores > 9) e9.intoMemorySegment(a, dst + 9 * dstStride, ORDER);
        if (stores > 10) e10.intoMemorySegment(a, dst + 10 * dstStride, ORDER);
        if (stores > 11) e11.intoMemorySegment(a, dst + 11 * dstStride, ORDER);
        if (stores > 12) e12.intoMemorySegment(a, dst + 12 * dstStride, ORDER);
        if (stores > 13) e13.intoMemorySegment(a, dst + 13 * dstStride, ORDER);
        if (stores > 14) e14.intoMemorySegment(a, dst + 14 * dstStride, ORDER);
        if (stores > 15) e15.intoMemorySegment(a, dst + 15 * dstStride, ORDER);
    }
}
