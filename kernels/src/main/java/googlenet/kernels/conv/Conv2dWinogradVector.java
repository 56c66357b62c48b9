package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link Conv2dWinograd} on the Vector API: one vector holds the c channels of a pixel; the product is a register
 * tile of 4 output blocks × 6 tiles at 16 lanes (24 accumulators, 4 weight vectors, one broadcast: 29 of AVX-512's 32
 * registers), 2 × 6 at fewer lanes (15 of AVX2's 16).
 * Every float operation is the one {@link Conv2dWinogradScalar} does per lane, in the same order.
 */
final class Conv2dWinogradVector extends Conv2dWinograd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** Whether the product runs as {@link CompactTiles#multiply}: the same bits, compiled in milliseconds, slower. */
    private final boolean compact;

    Conv2dWinogradVector(ConvGeometry g, WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out,
                         boolean compact) {
        super(g, w, relu, in, out);
        this.compact = compact;
        Blocking.requireLanes(S.length(), "vector Winograd");
    }

    @Override
    String flavour() {
        return "vector " + GROUP + "×" + P + (compact ? " compact" : "") + " tile";
    }

    @Override
    void inputColumn(long src, long ss, long dst, long ds) {
        FloatVector d0 = load(src);
        FloatVector d1 = load(src + ss);
        FloatVector d2 = load(src + 2 * ss);
        FloatVector d3 = load(src + 3 * ss);
        FloatVector d4 = load(src + 4 * ss);
        FloatVector d5 = load(src + 5 * ss);
        FloatVector four = FloatVector.broadcast(S, 4f);
        FloatVector minusFour = FloatVector.broadcast(S, -4f);
        FloatVector minusFive = FloatVector.broadcast(S, -5f);
        FloatVector a = d2.fma(minusFour, d4);
        FloatVector b = d1.fma(minusFour, d3);
        FloatVector c = d4.sub(d2);
        FloatVector e = d3.sub(d1).mul(2f);
        d0.fma(four, d2.fma(minusFive, d4)).intoMemorySegment(ALL, dst, NO);
        a.add(b).intoMemorySegment(ALL, dst + ds, NO);
        a.sub(b).intoMemorySegment(ALL, dst + 2 * ds, NO);
        c.add(e).intoMemorySegment(ALL, dst + 3 * ds, NO);
        c.sub(e).intoMemorySegment(ALL, dst + 4 * ds, NO);
        d1.fma(four, d3.fma(minusFive, d5)).intoMemorySegment(ALL, dst + 5 * ds, NO);
    }

    /** One method per block count: each keeps its accumulators in registers (4 × 6 = 24 of 32 at most). */
    @Override
    void multiply(long v, long u, long m, int icBlocks, int blocks) {
        if (compact) {
            CompactTiles.multiply(v, u, m, icBlocks, blocks);
            return;
        }
        switch (blocks) {
            case 4 -> multiply4(v, u, m, icBlocks);
            case 3 -> multiply3(v, u, m, icBlocks);
            case 2 -> multiply2(v, u, m, icBlocks);
            default -> multiply1(v, u, m, icBlocks);
        }
    }

    private static void multiply4(long v, long u, long m, int icBlocks) {
        final FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a20 = z, a21 = z, a22 = z, a23 = z, a24 = z, a25 = z, a30 = z, a31 = z, a32 = z, a33 = z, a34 = z, a35 = z;
        for (int icb = 0; icb < icBlocks; icb++, v += P * PIX) {
            for (int i = 0; i < C; i++, u += 4 * PIX) {
                final long x = v + i * Float.BYTES;
                final FloatVector w0 = FloatVector.fromMemorySegment(S, ALL, u + 0 * PIX, NO);
                final FloatVector w1 = FloatVector.fromMemorySegment(S, ALL, u + 1 * PIX, NO);
                final FloatVector w2 = FloatVector.fromMemorySegment(S, ALL, u + 2 * PIX, NO);
                final FloatVector w3 = FloatVector.fromMemorySegment(S, ALL, u + 3 * PIX, NO);
                final FloatVector x0 = FloatVector.broadcast(S, ALL.get(F, x + 0 * PIX));
                a00 = x0.fma(w0, a00); a10 = x0.fma(w1, a10); a20 = x0.fma(w2, a20); a30 = x0.fma(w3, a30);
                final FloatVector x1 = FloatVector.broadcast(S, ALL.get(F, x + 1 * PIX));
                a01 = x1.fma(w0, a01); a11 = x1.fma(w1, a11); a21 = x1.fma(w2, a21); a31 = x1.fma(w3, a31);
                final FloatVector x2 = FloatVector.broadcast(S, ALL.get(F, x + 2 * PIX));
                a02 = x2.fma(w0, a02); a12 = x2.fma(w1, a12); a22 = x2.fma(w2, a22); a32 = x2.fma(w3, a32);
                final FloatVector x3 = FloatVector.broadcast(S, ALL.get(F, x + 3 * PIX));
                a03 = x3.fma(w0, a03); a13 = x3.fma(w1, a13); a23 = x3.fma(w2, a23); a33 = x3.fma(w3, a33);
                final FloatVector x4 = FloatVector.broadcast(S, ALL.get(F, x + 4 * PIX));
                a04 = x4.fma(w0, a04); a14 = x4.fma(w1, a14); a24 = x4.fma(w2, a24); a34 = x4.fma(w3, a34);
                final FloatVector x5 = FloatVector.broadcast(S, ALL.get(F, x + 5 * PIX));
                a05 = x5.fma(w0, a05); a15 = x5.fma(w1, a15); a25 = x5.fma(w2, a25); a35 = x5.fma(w3, a35);
            }
        }
        a00.intoMemorySegment(ALL, m + 0L * XI * PIX, NO);
        a01.intoMemorySegment(ALL, m + 1L * XI * PIX, NO);
        a02.intoMemorySegment(ALL, m + 2L * XI * PIX, NO);
        a03.intoMemorySegment(ALL, m + 3L * XI * PIX, NO);
        a04.intoMemorySegment(ALL, m + 4L * XI * PIX, NO);
        a05.intoMemorySegment(ALL, m + 5L * XI * PIX, NO);
        a10.intoMemorySegment(ALL, m + 6L * XI * PIX, NO);
        a11.intoMemorySegment(ALL, m + 7L * XI * PIX, NO);
        a12.intoMemorySegment(ALL, m + 8L * XI * PIX, NO);
        a13.intoMemorySegment(ALL, m + 9L * XI * PIX, NO);
        a14.intoMemorySegment(ALL, m + 10L * XI * PIX, NO);
        a15.intoMemorySegment(ALL, m + 11L * XI * PIX, NO);
        a20.intoMemorySegment(ALL, m + 12L * XI * PIX, NO);
        a21.intoMemorySegment(ALL, m + 13L * XI * PIX, NO);
        a22.intoMemorySegment(ALL, m + 14L * XI * PIX, NO);
        a23.intoMemorySegment(ALL, m + 15L * XI * PIX, NO);
        a24.intoMemorySegment(ALL, m + 16L * XI * PIX, NO);
        a25.intoMemorySegment(ALL, m + 17L * XI * PIX, NO);
        a30.intoMemorySegment(ALL, m + 18L * XI * PIX, NO);
        a31.intoMemorySegment(ALL, m + 19L * XI * PIX, NO);
        a32.intoMemorySegment(ALL, m + 20L * XI * PIX, NO);
        a33.intoMemorySegment(ALL, m + 21L * XI * PIX, NO);
        a34.intoMemorySegment(ALL, m + 22L * XI * PIX, NO);
        a35.intoMemorySegment(ALL, m + 23L * XI * PIX, NO);
    }

    private static void multiply3(long v, long u, long m, int icBlocks) {
        final FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z, a20 = z, a21 = z, a22 = z, a23 = z, a24 = z, a25 = z;
        for (int icb = 0; icb < icBlocks; icb++, v += P * PIX) {
            for (int i = 0; i < C; i++, u += 3 * PIX) {
                final long x = v + i * Float.BYTES;
                final FloatVector w0 = FloatVector.fromMemorySegment(S, ALL, u + 0 * PIX, NO);
                final FloatVector w1 = FloatVector.fromMemorySegment(S, ALL, u + 1 * PIX, NO);
                final FloatVector w2 = FloatVector.fromMemorySegment(S, ALL, u + 2 * PIX, NO);
                final FloatVector x0 = FloatVector.broadcast(S, ALL.get(F, x + 0 * PIX));
                a00 = x0.fma(w0, a00); a10 = x0.fma(w1, a10); a20 = x0.fma(w2, a20);
                final FloatVector x1 = FloatVector.broadcast(S, ALL.get(F, x + 1 * PIX));
                a01 = x1.fma(w0, a01); a11 = x1.fma(w1, a11); a21 = x1.fma(w2, a21);
                final FloatVector x2 = FloatVector.broadcast(S, ALL.get(F, x + 2 * PIX));
                a02 = x2.fma(w0, a02); a12 = x2.fma(w1, a12); a22 = x2.fma(w2, a22);
                final FloatVector x3 = FloatVector.broadcast(S, ALL.get(F, x + 3 * PIX));
                a03 = x3.fma(w0, a03); a13 = x3.fma(w1, a13); a23 = x3.fma(w2, a23);
                final FloatVector x4 = FloatVector.broadcast(S, ALL.get(F, x + 4 * PIX));
                a04 = x4.fma(w0, a04); a14 = x4.fma(w1, a14); a24 = x4.fma(w2, a24);
                final FloatVector x5 = FloatVector.broadcast(S, ALL.get(F, x + 5 * PIX));
                a05 = x5.fma(w0, a05); a15 = x5.fma(w1, a15); a25 = x5.fma(w2, a25);
            }
        }
        a00.intoMemorySegment(ALL, m + 0L * XI * PIX, NO);
        a01.intoMemorySegment(ALL, m + 1L * XI * PIX, NO);
        a02.intoMemorySegment(ALL, m + 2L * XI * PIX, NO);
        a03.intoMemorySegment(ALL, m + 3L * XI * PIX, NO);
        a04.intoMemorySegment(ALL, m + 4L * XI * PIX, NO);
        a05.intoMemorySegment(ALL, m + 5L * XI * PIX, NO);
        a10.intoMemorySegment(ALL, m + 6L * XI * PIX, NO);
        a11.intoMemorySegment(ALL, m + 7L * XI * PIX, NO);
        a12.intoMemorySegment(ALL, m + 8L * XI * PIX, NO);
        a13.intoMemorySegment(ALL, m + 9L * XI * PIX, NO);
        a14.intoMemorySegment(ALL, m + 10L * XI * PIX, NO);
        a15.intoMemorySegment(ALL, m + 11L * XI * PIX, NO);
        a20.intoMemorySegment(ALL, m + 12L * XI * PIX, NO);
        a21.intoMemorySegment(ALL, m + 13L * XI * PIX, NO);
        a22.intoMemorySegment(ALL, m + 14L * XI * PIX, NO);
        a23.intoMemorySegment(ALL, m + 15L * XI * PIX, NO);
        a24.intoMemorySegment(ALL, m + 16L * XI * PIX, NO);
        a25.intoMemorySegment(ALL, m + 17L * XI * PIX, NO);
    }

    private static void multiply2(long v, long u, long m, int icBlocks) {
        final FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z, a10 = z, a11 = z, a12 = z, a13 = z, a14 = z, a15 = z;
        for (int icb = 0; icb < icBlocks; icb++, v += P * PIX) {
            for (int i = 0; i < C; i++, u += 2 * PIX) {
                final long x = v + i * Float.BYTES;
                final FloatVector w0 = FloatVector.fromMemorySegment(S, ALL, u + 0 * PIX, NO);
                final FloatVector w1 = FloatVector.fromMemorySegment(S, ALL, u + 1 * PIX, NO);
                final FloatVector x0 = FloatVector.broadcast(S, ALL.get(F, x + 0 * PIX));
                a00 = x0.fma(w0, a00); a10 = x0.fma(w1, a10);
                final FloatVector x1 = FloatVector.broadcast(S, ALL.get(F, x + 1 * PIX));
                a01 = x1.fma(w0, a01); a11 = x1.fma(w1, a11);
                final FloatVector x2 = FloatVector.broadcast(S, ALL.get(F, x + 2 * PIX));
                a02 = x2.fma(w0, a02); a12 = x2.fma(w1, a12);
                final FloatVector x3 = FloatVector.broadcast(S, ALL.get(F, x + 3 * PIX));
                a03 = x3.fma(w0, a03); a13 = x3.fma(w1, a13);
                final FloatVector x4 = FloatVector.broadcast(S, ALL.get(F, x + 4 * PIX));
                a04 = x4.fma(w0, a04); a14 = x4.fma(w1, a14);
                final FloatVector x5 = FloatVector.broadcast(S, ALL.get(F, x + 5 * PIX));
                a05 = x5.fma(w0, a05); a15 = x5.fma(w1, a15);
            }
        }
        a00.intoMemorySegment(ALL, m + 0L * XI * PIX, NO);
        a01.intoMemorySegment(ALL, m + 1L * XI * PIX, NO);
        a02.intoMemorySegment(ALL, m + 2L * XI * PIX, NO);
        a03.intoMemorySegment(ALL, m + 3L * XI * PIX, NO);
        a04.intoMemorySegment(ALL, m + 4L * XI * PIX, NO);
        a05.intoMemorySegment(ALL, m + 5L * XI * PIX, NO);
        a10.intoMemorySegment(ALL, m + 6L * XI * PIX, NO);
        a11.intoMemorySegment(ALL, m + 7L * XI * PIX, NO);
        a12.intoMemorySegment(ALL, m + 8L * XI * PIX, NO);
        a13.intoMemorySegment(ALL, m + 9L * XI * PIX, NO);
        a14.intoMemorySegment(ALL, m + 10L * XI * PIX, NO);
        a15.intoMemorySegment(ALL, m + 11L * XI * PIX, NO);
    }

    private static void multiply1(long v, long u, long m, int icBlocks) {
        final FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a04 = z, a05 = z;
        for (int icb = 0; icb < icBlocks; icb++, v += P * PIX) {
            for (int i = 0; i < C; i++, u += 1 * PIX) {
                final long x = v + i * Float.BYTES;
                final FloatVector w0 = FloatVector.fromMemorySegment(S, ALL, u + 0 * PIX, NO);
                final FloatVector x0 = FloatVector.broadcast(S, ALL.get(F, x + 0 * PIX));
                a00 = x0.fma(w0, a00);
                final FloatVector x1 = FloatVector.broadcast(S, ALL.get(F, x + 1 * PIX));
                a01 = x1.fma(w0, a01);
                final FloatVector x2 = FloatVector.broadcast(S, ALL.get(F, x + 2 * PIX));
                a02 = x2.fma(w0, a02);
                final FloatVector x3 = FloatVector.broadcast(S, ALL.get(F, x + 3 * PIX));
                a03 = x3.fma(w0, a03);
                final FloatVector x4 = FloatVector.broadcast(S, ALL.get(F, x + 4 * PIX));
                a04 = x4.fma(w0, a04);
                final FloatVector x5 = FloatVector.broadcast(S, ALL.get(F, x + 5 * PIX));
                a05 = x5.fma(w0, a05);
            }
        }
        a00.intoMemorySegment(ALL, m + 0L * XI * PIX, NO);
        a01.intoMemorySegment(ALL, m + 1L * XI * PIX, NO);
        a02.intoMemorySegment(ALL, m + 2L * XI * PIX, NO);
        a03.intoMemorySegment(ALL, m + 3L * XI * PIX, NO);
        a04.intoMemorySegment(ALL, m + 4L * XI * PIX, NO);
        a05.intoMemorySegment(ALL, m + 5L * XI * PIX, NO);
    }

    @Override
    void outputRow(long src, long bias, long dst, int cols) {
        FloatVector b = load(bias);
        FloatVector floor = FloatVector.broadcast(S, this.floor);
        FloatVector m0 = load(src);
        FloatVector m1 = load(src + PIX);
        FloatVector m2 = load(src + 2 * PIX);
        FloatVector m3 = load(src + 3 * PIX);
        FloatVector m4 = load(src + 4 * PIX);
        FloatVector m5 = load(src + 5 * PIX);
        FloatVector p12 = m1.add(m2);
        FloatVector d12 = m1.sub(m2);
        FloatVector p34 = m3.add(m4);
        FloatVector d34 = m3.sub(m4);
        m0.add(p12).add(p34).add(b).max(floor).intoMemorySegment(ALL, dst, NO);
        if (cols > 1) d34.fma(FloatVector.broadcast(S, 2f), d12).add(b).max(floor).intoMemorySegment(ALL, dst + PIX, NO);
        if (cols > 2) p34.fma(FloatVector.broadcast(S, 4f), p12).add(b).max(floor).intoMemorySegment(ALL, dst + 2 * PIX, NO);
        if (cols > 3) d34.fma(FloatVector.broadcast(S, 8f), d12).add(m5).add(b).max(floor).intoMemorySegment(ALL, dst + 3 * PIX, NO);
    }

    @Override
    void outputColumn(long src, long ss, long dst, long ds) {
        FloatVector m0 = load(src);
        FloatVector m1 = load(src + ss);
        FloatVector m2 = load(src + 2 * ss);
        FloatVector m3 = load(src + 3 * ss);
        FloatVector m4 = load(src + 4 * ss);
        FloatVector m5 = load(src + 5 * ss);
        FloatVector p12 = m1.add(m2);
        FloatVector d12 = m1.sub(m2);
        FloatVector p34 = m3.add(m4);
        FloatVector d34 = m3.sub(m4);
        m0.add(p12).add(p34).intoMemorySegment(ALL, dst, NO);
        d34.fma(FloatVector.broadcast(S, 2f), d12).intoMemorySegment(ALL, dst + ds, NO);
        p34.fma(FloatVector.broadcast(S, 4f), p12).intoMemorySegment(ALL, dst + 2 * ds, NO);
        d34.fma(FloatVector.broadcast(S, 8f), d12).add(m5).intoMemorySegment(ALL, dst + 3 * ds, NO);
    }

    private static FloatVector load(long address) {
        return FloatVector.fromMemorySegment(S, ALL, address, NO);
    }
}
