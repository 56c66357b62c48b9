package googlenet.kernels.conv;

import googlenet.kernels.Blocking;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The weights of a 3×3 stride-1 convolution transformed once for Winograd F(4×4, 3×3): {@code U = G·g·Gᵀ}, a 6×6
 * matrix per (output, input) channel pair, laid out {@code [group][ξ][ic][b][oc]}: output channels in groups of up to
 * 4 blocks of c (the register tile's width), then the 36 positions ξ, then every input channel (padded to whole
 * blocks), then the group's blocks of c output channels. A tile of the batched product reads the group's consecutive
 * vectors per input channel, and a task streams its groups' weights front to back: at batch 1 they are 4× the direct
 * ones and come from memory, not cache, so each is read once per unit of tiles. Channels past the real counts are
 * zero. The bias follows, padded to whole blocks.
 *
 * <p>The output blocks are cut into {@link #parts()} near-equal parts (one per thread the plan runs on: each part is a
 * task of its own, so the threads share a small layer evenly), and each part into the fewest groups of at most 4
 * blocks, as even as possible (13 blocks: 4, 3, 3, 3, not 4, 4, 4, 1, whose last tile would load as much as it
 * multiplies). Which group an output channel is in changes the order of nothing: every one is summed over the input
 * channels in order, so the results are the same bits for any parts.
 *
 * <p>The transform runs in float on vectors of c output channels (within a few ulps of {@code G·g·Gᵀ} in exact
 * arithmetic); without the Vector API, lane by lane with the same operations, so every machine of one width packs the
 * same bits.
 */
public final class WinogradWeights {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** All of memory, addressed absolutely: the packing reads and writes segments of its own, sized here. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
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
    /** Group i holds output blocks {@code [groupFirst[i], groupFirst[i + 1])}. */
    private final int[] groupFirst;
    /** Part j holds groups {@code [partFirst[j], partFirst[j + 1])}. */
    private final int[] partFirst;
    private final long biasOffset;

    private WinogradWeights(ConvGeometry geometry, MemorySegment segment, int[] groupFirst, int[] partFirst,
                            long biasOffset) {
        this.geometry = geometry;
        this.segment = segment;
        this.groupFirst = groupFirst;
        this.partFirst = partFirst;
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
        return pack(g, weights, bias, arena, 1);
    }

    /**
     * As {@link #pack(ConvGeometry, MemorySegment, MemorySegment, Arena)}, the output blocks cut into {@code parts}
     * near-equal parts (at most one per block): the threads the plan will run on.
     */
    public static WinogradWeights pack(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena, int parts) {
        return pack(g, weights, bias, arena, parts, Blocking.VECTOR);
    }

    /**
     * The same bits as {@link #pack(ConvGeometry, MemorySegment, MemorySegment, Arena, int)} without the Vector API: the
     * twin the vector transform is tested against, and a one-shot run's packing (until C2 compiles it, the vector
     * transform runs boxed, several times slower than this).
     */
    public static WinogradWeights packScalar(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena,
                                             int parts) {
        return pack(g, weights, bias, arena, parts, false);
    }

    /**
     * Weights {@link #pack} made earlier for the same geometry and {@code parts}, as its {@link #segment} holds them
     * (e.g. mapped from a cache file): checks the size, copies nothing.
     */
    public static WinogradWeights ofPacked(ConvGeometry g, int parts, MemorySegment segment) {
        Objects.requireNonNull(g, "geometry");
        if (!supports(g)) throw new IllegalArgumentException("Winograd F(4×4, 3×3) cannot run " + g);
        if (parts < 1) throw new IllegalArgumentException("parts must be ≥ 1, got " + parts);
        int outBlocks = Blocking.blocks(g.outChannels());
        int[] partFirst = new int[Math.min(parts, outBlocks) + 1];
        int[] groupFirst = groupsOf(outBlocks, partFirst);
        long biasOffset = (long) outBlocks * XI * Blocking.padded(g.inChannels()) * Blocking.LANES * Float.BYTES;
        long bytes = biasOffset + (long) outBlocks * Blocking.LANES * Float.BYTES;
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException("Winograd weights of " + g + ": expected " + bytes + " bytes, got " + segment.byteSize());
        }
        return new WinogradWeights(g, segment, groupFirst, partFirst, biasOffset);
    }

    /** With {@code vector} false, the transform runs lane by lane: the twin the vector transform is tested against. */
    static WinogradWeights pack(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena, int parts,
                                boolean vector) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(arena, "arena");
        if (!supports(g)) throw new IllegalArgumentException("Winograd F(4×4, 3×3) cannot run " + g);
        if (parts < 1) throw new IllegalArgumentException("parts must be ≥ 1, got " + parts);
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
        long icPadded = Blocking.padded(ic);
        int outBlocks = Blocking.blocks(oc);
        int[] partFirst = new int[Math.min(parts, outBlocks) + 1];
        int[] groupFirst = groupsOf(outBlocks, partFirst);
        long biasOffset = (long) outBlocks * XI * icPadded * c * Float.BYTES;
        MemorySegment seg = arena.allocate(biasOffset + (long) outBlocks * c * Float.BYTES, 64);
        // The direct packing first ([ocb][icb][ky][kx][ic][oc]: a tap's c output channels are one vector), then G·g·Gᵀ on
        // vectors of c output channels, written in order. Value by value in double it took 10× as long as the direct
        // packing (scattered reads and writes, 36 per channel pair).
        long tap = (long) c * c * Float.BYTES;
        long pix = (long) c * Float.BYTES;
        try (Arena temp = Arena.ofConfined()) {
            PackedConvWeights direct = vector ? PackedConvWeights.pack(g, weights, null, temp)
                    : PackedConvWeights.packScalar(g, weights, null, temp);
            long stage = temp.allocate(18 * pix, 64).address();
            long base = direct.segment().address();
            long out = seg.address();
            for (int ocb = 0, group = 0; ocb < outBlocks; ocb++) {
                if (ocb == groupFirst[group + 1]) group++;
                int first = groupFirst[group];
                int blocks = groupFirst[group + 1] - first;
                long xiStride = icPadded * blocks * pix;
                for (int icb = 0; icb < icPadded / c; icb++) {
                    long block = base + direct.blockOffset(ocb, icb, 0, 0);
                    for (int i = 0; i < c; i++) {
                        long src = block + i * pix;
                        long dst = out + first * XI * icPadded * pix + (((long) icb * c + i) * blocks + ocb - first) * pix;
                        for (int k = 0; k < 3; k++) { // G·g, column by column: 6 rows × 3 columns
                            transform(vector, src + k * tap, src + (3 + k) * tap, src + (6 + k) * tap, stage + k * pix, 3 * pix);
                        }
                        for (int r = 0; r < 6; r++) { // (G·g)·Gᵀ, row by row
                            long row = stage + r * 3 * pix;
                            transform(vector, row, row + pix, row + 2 * pix, dst + r * 6 * xiStride, xiStride);
                        }
                    }
                }
            }
        }
        if (bias != null) MemorySegment.copy(bias, 0, seg, biasOffset, bias.byteSize());
        return new WinogradWeights(g, seg, groupFirst, partFirst, biasOffset);
    }

    /**
     * The first block of every group (and {@code outBlocks} last): {@code outBlocks} cut into {@code partFirst.length −
     * 1} near-equal parts, the larger first, each into the fewest groups of at most {@link #GROUP}, as even as possible;
     * fills {@code partFirst} with each part's first group (and the group count last).
     */
    private static int[] groupsOf(int outBlocks, int[] partFirst) {
        int parts = partFirst.length - 1;
        int[] first = new int[outBlocks + 1];
        int groups = 0;
        for (int part = 0, block = 0; part < parts; part++) {
            partFirst[part] = groups;
            int size = outBlocks / parts + (part < outBlocks % parts ? 1 : 0);
            int count = Math.ceilDiv(size, GROUP);
            for (int i = 0; i < count; i++) {
                first[groups++] = block;
                block += size / count + (i < size % count ? 1 : 0);
            }
        }
        partFirst[parts] = groups;
        first[groups] = outBlocks;
        return java.util.Arrays.copyOf(first, groups + 1);
    }

    /**
     * {@code G·(a, b, c)} for the c lanes at the three addresses, into 6 × c lanes {@code ds} bytes apart: on the Vector
     * API, or lane by lane with the same float operations (the same bits either way).
     */
    private static void transform(boolean vector, long a, long b, long c, long dst, long ds) {
        if (vector) {
            VectorTransform.transform(a, b, c, dst, ds);
            return;
        }
        for (long l = 0; l < (long) Blocking.LANES * Float.BYTES; l += Float.BYTES) {
            float x = ALL.get(FLOAT, a + l);
            float y = ALL.get(FLOAT, b + l);
            float z = ALL.get(FLOAT, c + l);
            float xz = (x + z) * (-1f / 6);
            float y6 = y * (1f / 6);
            float xz24 = x * (1f / 24) + z * (1f / 6);
            float y12 = y * (1f / 12);
            ALL.set(FLOAT, dst + l, x * 0.25f);
            ALL.set(FLOAT, dst + ds + l, xz - y6);
            ALL.set(FLOAT, dst + 2 * ds + l, xz + y6);
            ALL.set(FLOAT, dst + 3 * ds + l, xz24 + y12);
            ALL.set(FLOAT, dst + 4 * ds + l, xz24 - y12);
            ALL.set(FLOAT, dst + 5 * ds + l, z);
        }
    }

    /** Keeps the Vector API out of this class's linkage (see Conv2dKernels.VectorFactory). */
    private static final class VectorTransform {
        private static final jdk.incubator.vector.VectorSpecies<Float> S = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        private static final java.nio.ByteOrder NO = java.nio.ByteOrder.nativeOrder();

        static void transform(long a, long b, long c, long dst, long ds) {
            var x = jdk.incubator.vector.FloatVector.fromMemorySegment(S, ALL, a, NO);
            var y = jdk.incubator.vector.FloatVector.fromMemorySegment(S, ALL, b, NO);
            var z = jdk.incubator.vector.FloatVector.fromMemorySegment(S, ALL, c, NO);
            var xz = x.add(z).mul(-1f / 6);
            var y6 = y.mul(1f / 6);
            var xz24 = x.mul(1f / 24).add(z.mul(1f / 6));
            var y12 = y.mul(1f / 12);
            x.mul(0.25f).intoMemorySegment(ALL, dst, NO);
            xz.sub(y6).intoMemorySegment(ALL, dst + ds, NO);
            xz.add(y6).intoMemorySegment(ALL, dst + 2 * ds, NO);
            xz24.add(y12).intoMemorySegment(ALL, dst + 3 * ds, NO);
            xz24.sub(y12).intoMemorySegment(ALL, dst + 4 * ds, NO);
            z.intoMemorySegment(ALL, dst + 5 * ds, NO);
        }
    }

    /**
     * Whether Winograd pays for {@code inChannels} on an output of {@code outH × outW}: at least 16 tiles of 4×4 (14×14
     * and up), and beyond 16 tiles or 32 input channels. On fewer tiles (GoogLeNet's 7×7 layers: 4), each transformed
     * weight, 4× the direct ones in bytes, serves so few tiles that streaming the weights from memory costs more than
     * the direct convolution's multiplies; on 16 tiles with 1 or 2 input blocks the transforms cost more than the
     * product saves (torchvision's 16→48 … 32→128 at 14×14: each 4–10 µs faster direct on one thread, 5–12 µs on two).
     */
    public static boolean pays(int inChannels, int outH, int outW) {
        long tiles = (long) ((outH + 3) / 4) * ((outW + 3) / 4);
        return tiles >= MIN_TILES && (tiles > MIN_TILES || inChannels > 32);
    }

    /** Tiles an output needs for Winograd; {@code -Dgooglenet.winograd.minTiles=N} sets it for experiments. */
    private static final int MIN_TILES = Integer.getInteger("googlenet.winograd.minTiles", 16);

    public ConvGeometry geometry() {
        return geometry;
    }

    /** The transformed weights, then the bias. */
    public MemorySegment segment() {
        return segment;
    }

    int groups() {
        return groupFirst.length - 1;
    }

    /** Parts of the output blocks: one task each per unit of tiles (see the class comment). */
    int parts() {
        return partFirst.length - 1;
    }

    /** The first group of part {@code part}; {@code parts()} gives the group count. */
    int partFirst(int part) {
        return partFirst[part];
    }

    /** The first output block of group {@code group}. */
    int firstBlock(int group) {
        return groupFirst[group];
    }

    long biasOffset() {
        return biasOffset;
    }

    /** Output-channel blocks of group {@code group}: 1 to {@link #GROUP}. */
    int blocks(int group) {
        return groupFirst[group + 1] - groupFirst[group];
    }

    /** Bytes of one position's weights in group {@code group}: every input channel × its blocks of c. */
    long xiStride(int group) {
        return (long) Blocking.padded(geometry.inChannels()) * blocks(group) * Blocking.LANES * Float.BYTES;
    }

    /** Byte offset of group {@code group}'s weights: its first block's, the groups being dense. */
    long groupOffset(int group) {
        return (long) groupFirst[group] * XI * Blocking.padded(geometry.inChannels()) * Blocking.LANES * Float.BYTES;
    }

    /** Bytes of the transformed weights and bias. */
    public long bytes() {
        return segment.byteSize();
    }
}
