package googlenet.kernels.layout;

import googlenet.kernels.Blocking;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Packs a weight matrix of rows of output channels (a convolution's OIHW weights, one group; a linear layer's
 * [out][in]) into blocked layouts with c × c transposes in vector registers. Loaded only when the incubator module is
 * present: callers check {@link googlenet.kernels.Blocking#VECTOR}, and keep a scalar twin the tests compare with.
 *
 * <p>For one output block and one input block, the c source rows (one per output channel) each hold {@code c·taps}
 * contiguous floats, position {@code p = ic·taps + tap}. Transposing that c × (c·taps) matrix gives, for every p, the
 * vector of its c output channels: exactly one packed row. So the packing reads each source row in order, c floats at
 * a time, transposes c × c tiles ({@code log2 c} rounds of two-vector permutes) and writes whole cache lines where
 * {@link Destination} puts them. It writes only rows of real input channels: the rest must already be zero (fresh
 * arena memory is).
 */
public final class WeightTranspose {
    /**
     * Byte offsets of the packed row of output block {@code ob}, input block {@code ib}, tap, input channel {@code ic}
     * (within its block): {@code (ob / outBlocksPerGroup)·groupStride + (ob % outBlocksPerGroup)·outBlockStride +
     * ib·inBlockStride + tap·tapStride + ic·inChannelStride}.
     */
    public record Destination(int outBlocksPerGroup, long groupStride, long outBlockStride, long inBlockStride,
                              long tapStride, long inChannelStride) {
        public Destination {
            if (outBlocksPerGroup < 1) throw new IllegalArgumentException("outBlocksPerGroup must be ≥ 1, got " + outBlocksPerGroup);
        }
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int C = Blocking.LANES;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /**
     * Round r (half-width h = C >> (r + 1)) swaps bit h between row and column: for the pair of rows (i, i + h),
     * LOW_r picks the new row i and HIGH_r the new row i + h from the two rows side by side (lanes C.. are row i + h).
     * Rounds past log2 C are null. Constants, so that the permutes' index vectors stay in registers.
     */
    private static final FloatVector LOW_0 = low(0), HIGH_0 = high(0), LOW_1 = low(1), HIGH_1 = high(1),
            LOW_2 = low(2), HIGH_2 = high(2), LOW_3 = low(3), HIGH_3 = high(3);
    private static final int ROUNDS = Integer.numberOfTrailingZeros(C);
    private static final FloatVector ZERO = FloatVector.zero(S);

    private static FloatVector low(int r) {
        return index(r, true);
    }

    private static FloatVector high(int r) {
        return index(r, false);
    }

    private static FloatVector index(int r, boolean low) {
        int h = C >> (r + 1);
        if (h == 0 || C > S.length()) return null;
        float[] index = new float[C];
        for (int l = 0; l < C; l++) {
            boolean set = (l & h) != 0;
            index[l] = low ? (set ? C + l - h : l) : (set ? C + l : l + h);
        }
        return FloatVector.fromArray(S, index, 0);
    }

    private WeightTranspose() {
    }

    /** True when the lane count allows the rounds below (at least 4 lanes: a first and a last round). */
    public static boolean supported() {
        return C >= 4 && C <= 16 && S.length() == C;
    }

    /**
     * Packs {@code cout} rows of {@code cin × taps} floats (native byte order) from {@code weights} into {@code seg}
     * at the places {@code to} gives.
     */
    public static void pack(MemorySegment weights, int cout, int cin, int taps, MemorySegment seg, Destination to) {
        int icb = Blocking.blocks(cin);
        long rowBytes = (long) cin * taps * Float.BYTES;
        // The tile between rounds (row i at i·C). Vectors kept in an array would each be a heap object; through L1
        // each round costs a load and a store per row, and the loops stay small.
        float[] tile = new float[C * C];
        // An output block's C source rows, copied in bulk: the vector loads then always read a float[]. Read straight
        // from the source, they would see whatever segment kinds the JVM has passed here (a model file's byte[], a
        // float[]) and, once there were two, C2 stops intrinsifying them (every vector boxed: 5 ns a float, measured).
        int rowFloats = cin * taps;
        float[] rows = new float[C * rowFloats + C]; // C floats of slack: a row's last load may run past it (unused lanes)
        for (int ob = 0; ob < Blocking.blocks(cout); ob++) {
            int outs = Math.min(C, cout - ob * C);
            for (int o = 0; o < outs; o++) {
                MemorySegment.copy(weights, FLOAT, (ob * C + o) * rowBytes, rows, o * rowFloats, rowFloats);
            }
            for (int ib = 0; ib < icb; ib++) {
                int values = Math.min(C, cin - ib * C) * taps; // source floats per row in this input block
                int src = ib * C * taps;
                long dst = (long) (ob / to.outBlocksPerGroup()) * to.groupStride()
                        + (long) (ob % to.outBlocksPerGroup()) * to.outBlockStride() + (long) ib * to.inBlockStride();
                int ic = 0; // of the tile's first position p0 = ic·taps + tap
                int tap = 0;
                for (int p0 = 0; p0 < values; p0 += C) {
                    int n = Math.min(C, values - p0);
                    int at = src + p0;
                    int h = C / 2;
                    for (int i = 0; i < h; i++) { // first round: from the source rows i and i + C/2
                        FloatVector a = i < outs ? FloatVector.fromArray(S, rows, at + i * rowFloats) : ZERO;
                        FloatVector b = i + h < outs ? FloatVector.fromArray(S, rows, at + (i + h) * rowFloats) : ZERO;
                        LOW_0.selectFrom(a, b).intoArray(tile, i * C);
                        HIGH_0.selectFrom(a, b).intoArray(tile, (i + h) * C);
                    }
                    if (ROUNDS == 4) round(tile, C >> 2, LOW_1, HIGH_1);
                    if (ROUNDS >= 3) round(tile, 2, ROUNDS == 4 ? LOW_2 : LOW_1, ROUNDS == 4 ? HIGH_2 : HIGH_1);
                    FloatVector low = ROUNDS == 4 ? LOW_3 : ROUNDS == 3 ? LOW_2 : LOW_1;
                    FloatVector high = ROUNDS == 4 ? HIGH_3 : ROUNDS == 3 ? HIGH_2 : HIGH_1;
                    for (int i = 0; i < n; i += 2) { // last round: rows i and i + 1 to their packed places
                        FloatVector a = FloatVector.fromArray(S, tile, i * C);
                        FloatVector b = FloatVector.fromArray(S, tile, (i + 1) * C);
                        low.selectFrom(a, b).intoMemorySegment(seg, dst + tap * to.tapStride() + ic * to.inChannelStride(), ORDER);
                        if (++tap == taps) {
                            tap = 0;
                            ic++;
                        }
                        if (i + 1 == n) break;
                        high.selectFrom(a, b).intoMemorySegment(seg, dst + tap * to.tapStride() + ic * to.inChannelStride(), ORDER);
                        if (++tap == taps) {
                            tap = 0;
                            ic++;
                        }
                    }
                }
            }
        }
    }

    /** A middle round of half-width h on the tile, in place. */
    private static void round(float[] tile, int h, FloatVector low, FloatVector high) {
        for (int i = 0; i < C; i++) {
            if ((i & h) != 0) continue;
            FloatVector a = FloatVector.fromArray(S, tile, i * C);
            FloatVector b = FloatVector.fromArray(S, tile, (i + h) * C);
            low.selectFrom(a, b).intoArray(tile, i * C);
            high.selectFrom(a, b).intoArray(tile, (i + h) * C);
        }
    }
}
