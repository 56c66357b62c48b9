package googlenet.kernels.conv;

import googlenet.kernels.Blocking;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The weights of a 3×3 stride-1 convolution transformed once for Winograd F(4×4, 3×3): {@code U = G·g·Gᵀ}, a 6×6
 * matrix per (output, input) channel pair, laid out {@code [group][ξ][ic][b][oc]}: output channels in groups of 4
 * blocks of c (the register tile's width), then the 36 positions ξ, then every input channel (padded to whole blocks),
 * then the group's 4 blocks of c output channels. A tile of the batched product reads 4 consecutive vectors per input
 * channel, and a task streams its groups' weights front to back: at batch 1 they are 4× the direct ones and come
 * from memory, not cache, so each is read once per unit of tiles. The last group holds only the blocks there are
 * ({@code [ξ][ic][b < blocks(g)][oc]}); channels past the real counts are zero. The bias follows, padded to whole
 * blocks.
 *
 * <p>Each value is computed in double from the float weights and rounded once, so the vector and the scalar kernel
 * read the same bits.
 */
public final class WinogradWeights {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /**
     * Output-channel blocks of one register tile: 4 × 6 tiles = 24 accumulators with 16 lanes (AVX-512, 32 registers);
     * 2 × 6 = 12 with fewer lanes (AVX2: 16 registers), so that nothing spills.
     */
    static final int GROUP = Blocking.LANES >= 16 ? 4 : 2;
    /** Positions of the transformed 6×6 tile. */
    static final int XI = 36;
    // G of F(4×4, 3×3) (Lavin and Gray), 6 × 3: rows (1/4, 0, 0), −(1, 1, 1)/6, −(1, −1, 1)/6, (1/24, 1/12, 1/6),
    // (1/24, −1/12, 1/6), (0, 0, 1); see transform.

    private final ConvGeometry geometry;
    private final MemorySegment segment;
    private final int groups;
    private final long biasOffset;

    private WinogradWeights(ConvGeometry geometry, MemorySegment segment, int groups, long biasOffset) {
        this.geometry = geometry;
        this.segment = segment;
        this.groups = groups;
        this.biasOffset = biasOffset;
    }

    /** Whether Winograd F(4×4, 3×3) computes this convolution: 3×3, stride 1, no dilation, one group; any padding. */
    public static boolean supports(ConvGeometry g) {
        return g.kernelH() == 3 && g.kernelW() == 3 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1
                && g.dilationW() == 1 && g.groups() == 1;
    }

    /**
     * Transforms PyTorch OIHW weights ({@code outChannels × inChannels × 3 × 3}, float32 in native order in any
     * segment) and a bias ({@code outChannels} floats, or {@code null}) into a segment allocated from {@code arena}.
     */
    public static WinogradWeights pack(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(arena, "arena");
        if (!supports(g)) throw new IllegalArgumentException("Winograd F(4×4, 3×3) cannot run " + g);
        int oc = g.outChannels();
        int ic = g.inChannels();
        long expected = (long) oc * ic * 9;
        if (weights.byteSize() != expected * Float.BYTES) {
            throw new IllegalArgumentException("weights: expected " + expected + " floats (" + expected * Float.BYTES
                    + " bytes), got " + weights.byteSize() + " bytes");
        }
        if (bias != null && bias.byteSize() != (long) oc * Float.BYTES) {
            throw new IllegalArgumentException("bias: expected " + oc + " floats (" + oc * Float.BYTES
                    + " bytes), got " + bias.byteSize() + " bytes");
        }
        int c = Blocking.LANES;
        int groups = groups(oc);
        long icPadded = Blocking.padded(ic);
        int outBlocks = Blocking.blocks(oc);
        long groupFloats = XI * icPadded * GROUP * c;
        long biasOffset = (long) outBlocks * XI * icPadded * c * Float.BYTES;
        MemorySegment seg = arena.allocate(biasOffset + (long) outBlocks * c * Float.BYTES, 64);
        // One group's weights for one input block at a time, [ξ][ic][b·c + lane] in an array (147 KB at c = 16),
        // then 36 runs of c·4·c floats copied into place: written position by position the 36 outputs of a channel
        // pair each land on another page (load time 3× longer, measured).
        float[] stage = new float[XI * c * GROUP * c];
        double[] column = new double[18];
        double[] u = new double[6];
        for (int group = 0; group < groups; group++) {
            int span = Math.min(GROUP, outBlocks - group * GROUP) * c;
            long xiFloats = icPadded * span;
            for (int icb = 0; icb < icPadded / c; icb++) {
                java.util.Arrays.fill(stage, 0f);
                int first = group * GROUP * c;
                for (int o = first; o < Math.min(oc, first + span); o++) {
                    for (int i = icb * c; i < Math.min(ic, (icb + 1) * c); i++) {
                        long src = ((long) o * ic + i) * 9 * Float.BYTES;
                        for (int k = 0; k < 3; k++) { // G·g, column by column
                            transform(weights.get(FLOAT, src + k * Float.BYTES), weights.get(FLOAT, src + (3 + k) * Float.BYTES),
                                    weights.get(FLOAT, src + (6 + k) * Float.BYTES), u);
                            for (int r = 0; r < 6; r++) column[r * 3 + k] = u[r];
                        }
                        int at = (i - icb * c) * span + o - first;
                        for (int r = 0; r < 6; r++) { // (G·g)·Gᵀ, row by row
                            transform(column[r * 3], column[r * 3 + 1], column[r * 3 + 2], u);
                            for (int q = 0; q < 6; q++) stage[(r * 6 + q) * c * span + at] = (float) u[q];
                        }
                    }
                }
                for (int xi = 0; xi < XI; xi++) {
                    MemorySegment.copy(stage, xi * c * span, seg, FLOAT,
                            (group * groupFloats + xi * xiFloats + (long) icb * c * span) * Float.BYTES, c * span);
                }
            }
        }
        if (bias != null) MemorySegment.copy(bias, 0, seg, biasOffset, bias.byteSize());
        return new WinogradWeights(g, seg, groups, biasOffset);
    }

    /** {@code G·(a, b, c)}: the 6 values of one row or column of the weight transform. */
    private static void transform(double a, double b, double c, double[] u) {
        double ac = (a + c) * (-1.0 / 6);
        double b6 = b * (1.0 / 6);
        double ac24 = a * (1.0 / 24) + c * (1.0 / 6);
        double b12 = b * (1.0 / 12);
        u[0] = a * 0.25;
        u[1] = ac - b6;
        u[2] = ac + b6;
        u[3] = ac24 + b12;
        u[4] = ac24 - b12;
        u[5] = c;
    }

    /**
     * Whether Winograd pays on an output of {@code outH × outW}: at least 16 tiles of 4×4 (14×14 and up). On fewer
     * (GoogLeNet's 7×7 layers: 4 tiles), each transformed weight, 4× the direct ones in bytes, serves so few tiles
     * that streaming the weights from memory costs more than the direct convolution's multiplies.
     */
    public static boolean pays(int outH, int outW) {
        return (long) ((outH + 3) / 4) * ((outW + 3) / 4) >= MIN_TILES;
    }

    /** Tiles an output needs for Winograd; {@code -Dgooglenet.winograd.minTiles=N} sets it for experiments. */
    private static final int MIN_TILES = Integer.getInteger("googlenet.winograd.minTiles", 16);

    /** Groups of {@link #GROUP} output-channel blocks for {@code outChannels}. */
    static int groups(int outChannels) {
        return (Blocking.blocks(outChannels) + GROUP - 1) / GROUP;
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** The transformed weights, then the bias. */
    public MemorySegment segment() {
        return segment;
    }

    int groups() {
        return groups;
    }

    long biasOffset() {
        return biasOffset;
    }

    /** Output-channel blocks of group {@code group}: 4, but the last group's may be fewer. */
    int blocks(int group) {
        return Math.min(GROUP, Blocking.blocks(geometry.outChannels()) - group * GROUP);
    }

    /** Bytes of one position's weights in group {@code group}: every input channel × its blocks of c. */
    long xiStride(int group) {
        return (long) Blocking.padded(geometry.inChannels()) * blocks(group) * Blocking.LANES * Float.BYTES;
    }

    /** Byte offset of group {@code group}'s weights (every group before it is full). */
    long groupOffset(int group) {
        return (long) group * XI * Blocking.padded(geometry.inChannels()) * GROUP * Blocking.LANES * Float.BYTES;
    }

    /** Bytes of the transformed weights and bias. */
    public long bytes() {
        return segment.byteSize();
    }
}
