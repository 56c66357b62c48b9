package googlenet.kernels.conv;

import googlenet.kernels.Blocking;
import googlenet.kernels.layout.WeightTranspose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * Convolution weights packed once at model build into the blocked layout {@code [OCb][ICb][KH][KW][ic][oc]}
 * ({@code c = Blocking.LANES} channels per block), followed by the bias padded to {@code OCb·c}. Channels past
 * the real counts are zero, so padding lanes of the output come out as zero. With {@code groups > 1} every input
 * block is present and the weights linking an output channel to an input channel of another group are zero.
 * The segment belongs to the caller's arena, which must be readable by every thread that runs the kernels.
 */
public final class PackedConvWeights {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final ConvGeometry geometry;
    private final MemorySegment segment;
    private final long biasOffset;
    private final boolean hasBias;

    private PackedConvWeights(ConvGeometry geometry, MemorySegment segment, long biasOffset, boolean hasBias) {
        this.geometry = geometry;
        this.segment = segment;
        this.biasOffset = biasOffset;
        this.hasBias = hasBias;
    }

    /**
     * Packs PyTorch OIHW {@code weights} ({@code outChannels × inChannels/groups × kernelH × kernelW}) and
     * {@code bias} ({@code outChannels}, or {@code null} for none) into a segment allocated from {@code arena}.
     */
    public static PackedConvWeights pack(ConvGeometry g, float[] weights, float[] bias, Arena arena) {
        Objects.requireNonNull(weights, "weights");
        return pack(g, MemorySegment.ofArray(weights), bias == null ? null : MemorySegment.ofArray(bias), arena);
    }

    /**
     * Packs OIHW weights and a bias (or {@code null}) held as float32 in native byte order in any segment (the bytes
     * of a model file, an array), reading each value once.
     */
    public static PackedConvWeights pack(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena) {
        return pack(g, weights, bias, arena, Blocking.VECTOR);
    }

    /** Packs without the Vector API: the twin the vector packing is tested against. */
    public static PackedConvWeights packScalar(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena) {
        return pack(g, weights, bias, arena, false);
    }

    /**
     * Weights {@link #pack} made earlier, as its {@link #segment} holds them (e.g. mapped from a cache file): checks the
     * size the geometry needs, copies nothing.
     */
    public static PackedConvWeights ofPacked(ConvGeometry g, boolean hasBias, MemorySegment segment) {
        Objects.requireNonNull(g, "geometry");
        long biasOffset = (long) Blocking.blocks(g.outChannels()) * Blocking.blocks(g.inChannels()) * g.kernelH()
                * g.kernelW() * Blocking.LANES * Blocking.LANES * Float.BYTES;
        long bytes = biasOffset + (long) Blocking.blocks(g.outChannels()) * Blocking.LANES * Float.BYTES;
        if (segment.byteSize() != bytes) {
            throw new IllegalArgumentException("packed weights of " + g + ": expected " + bytes + " bytes, got " + segment.byteSize());
        }
        return new PackedConvWeights(g, segment, biasOffset, hasBias);
    }

    private static PackedConvWeights pack(ConvGeometry g, MemorySegment weights, MemorySegment bias, Arena arena,
                                          boolean vector) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(arena, "arena");
        int cig = g.inChannelsPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        long expected = (long) g.outChannels() * cig * kh * kw;
        if (weights.byteSize() != expected * Float.BYTES) {
            throw new IllegalArgumentException("weights: expected " + expected + " floats (" + expected * Float.BYTES
                    + " bytes), got " + weights.byteSize() + " bytes");
        }
        if (bias != null && bias.byteSize() != (long) g.outChannels() * Float.BYTES) {
            throw new IllegalArgumentException("bias: expected " + g.outChannels() + " floats (" + g.outChannels() * Float.BYTES
                    + " bytes), got " + bias.byteSize() + " bytes");
        }
        int c = Blocking.LANES;
        int ocb = Blocking.blocks(g.outChannels());
        int icb = Blocking.blocks(g.inChannels());
        int taps = kh * kw;
        long weightFloats = (long) ocb * icb * taps * c * c;
        long biasOffset = weightFloats * Float.BYTES;
        long bytes = biasOffset + (long) ocb * c * Float.BYTES;
        MemorySegment seg = arena.allocate(bytes, 64);
        if (g.groups() == 1 && vector && WeightTranspose.supported()) {
            long blockBytes = (long) taps * c * c * Float.BYTES;
            WeightTranspose.pack(weights, g.outChannels(), g.inChannels(), taps, seg, new WeightTranspose.Destination(
                    1, icb * blockBytes, 0, blockBytes, (long) c * c * Float.BYTES, (long) c * Float.BYTES));
        } else if (g.groups() == 1) {
            packOneGroup(g, weights, seg);
        } else {
            packGrouped(g, weights, seg);
        }
        if (bias != null) {
            MemorySegment.copy(bias, 0, seg, biasOffset, bias.byteSize());
        }
        return new PackedConvWeights(g, seg, biasOffset, bias != null);
    }

    /**
     * One output block's row {@code [ICb][KH][KW][ic][oc]} at a time, gathered in an array and copied in bulk. Its c
     * source rows (one per output channel: input channels and taps contiguous) are read side by side, so each step
     * writes c adjacent floats (one cache line) and the c read streams stay in L1. In source order every write touched
     * another line (twice as slow, measured; so was staging a few blocks at a time).
     */
    private static void packOneGroup(ConvGeometry g, MemorySegment weights, MemorySegment seg) {
        int c = Blocking.LANES;
        int taps = g.kernelH() * g.kernelW();
        int cin = g.inChannels();
        int blockFloats = taps * c * c;
        float[] row = new float[Blocking.blocks(cin) * blockFloats];
        long stride = (long) cin * taps * Float.BYTES;
        for (int ob = 0; ob < Blocking.blocks(g.outChannels()); ob++) {
            int outs = Math.min(c, g.outChannels() - ob * c);
            if (outs < c || cin % c != 0) Arrays.fill(row, 0f);
            long src0 = ob * c * stride;
            for (int i = 0; i < cin; i++) {
                for (int t = 0; t < taps; t++) {
                    long src = src0 + (long) (i * taps + t) * Float.BYTES;
                    int at = i / c * blockFloats + (t * c + i % c) * c;
                    for (int o = 0; o < outs; o++) {
                        row[at + o] = weights.get(FLOAT, src + o * stride);
                    }
                }
            }
            MemorySegment.copy(row, 0, seg, FLOAT, (long) ob * row.length * Float.BYTES, row.length);
        }
    }

    /** Groups > 1 (no GoogLeNet conv): value by value; every input block is present, zero across groups. */
    private static void packGrouped(ConvGeometry g, MemorySegment weights, MemorySegment seg) {
        int c = Blocking.LANES;
        int cig = g.inChannelsPerGroup();
        int cog = g.outChannelsPerGroup();
        int taps = g.kernelH() * g.kernelW();
        int icb = Blocking.blocks(g.inChannels());
        int blockFloats = taps * c * c;
        for (int oc = 0; oc < g.outChannels(); oc++) {
            int firstIn = oc / cog * cig;
            for (int i = 0; i < cig; i++) {
                int ic = firstIn + i;
                for (int t = 0; t < taps; t++) {
                    long dst = ((long) (oc / c) * icb + ic / c) * blockFloats + (t * c + ic % c) * c + oc % c;
                    long src = ((long) oc * cig + i) * taps + t;
                    seg.setAtIndex(FLOAT, dst, weights.getAtIndex(FLOAT, src));
                }
            }
        }
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    /** The packed weights, then the padded bias (zeros when there is none). */
    public MemorySegment segment() {
        return segment;
    }

    /** Byte offset of the bias ({@code OCb·c} floats) in {@link #segment()}. */
    public long biasOffset() {
        return biasOffset;
    }

    public boolean hasBias() {
        return hasBias;
    }

    /** Bytes of the packed weights and bias. */
    public long bytes() {
        return segment.byteSize();
    }

    /** Byte offset of the {@code c × c} weight block {@code [ocBlock][icBlock][ky][kx]}. */
    public long blockOffset(int ocBlock, int icBlock, int ky, int kx) {
        int c = Blocking.LANES;
        int icb = Blocking.blocks(geometry.inChannels());
        return ((((long) ocBlock * icb + icBlock) * geometry.kernelH() + ky) * geometry.kernelW() + kx) * c * c * Float.BYTES;
    }
}
