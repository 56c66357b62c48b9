package googlenet.kernels.conv;

import googlenet.kernels.Blocking;

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
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(arena, "arena");
        int cig = g.inChannelsPerGroup();
        int cog = g.outChannelsPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        long expected = (long) g.outChannels() * cig * kh * kw;
        if (weights.length != expected) {
            throw new IllegalArgumentException("weights: expected " + expected + " floats, got " + weights.length);
        }
        if (bias != null && bias.length != g.outChannels()) {
            throw new IllegalArgumentException("bias: expected " + g.outChannels() + " floats, got " + bias.length);
        }
        int c = Blocking.LANES;
        int ocb = Blocking.blocks(g.outChannels());
        int icb = Blocking.blocks(g.inChannels());
        int taps = kh * kw;
        long weightFloats = (long) ocb * icb * taps * c * c;
        long biasOffset = weightFloats * Float.BYTES;
        long bytes = biasOffset + (long) ocb * c * Float.BYTES;
        MemorySegment seg = arena.allocate(bytes, 64);
        // One output block's row [ICb][KH][KW][ic][oc] at a time, gathered in a small array and copied in bulk. Its
        // 16 source rows (one per output channel: input channels and taps contiguous) are read side by side, so
        // each step writes 16 adjacent floats (one cache line) and the 16 read streams stay in L1. In source order
        // every write touched another line, and packing was half of a model's load time.
        int blockFloats = taps * c * c;
        float[] row = new float[icb * blockFloats];
        int[] firstIn = new int[c];
        boolean oneGroup = g.groups() == 1;
        for (int ob = 0; ob < ocb; ob++) {
            Arrays.fill(row, 0f);
            int outs = Math.min(c, g.outChannels() - ob * c);
            for (int o = 0; o < outs; o++) {
                firstIn[o] = (ob * c + o) / cog * cig;
            }
            int src0 = ob * c * cig * taps;
            int stride = cig * taps;
            for (int i = 0; i < cig; i++) {
                for (int t = 0; t < taps; t++) {
                    int src = src0 + i * taps + t;
                    if (oneGroup) { // every output channel reads input channel i: one destination line
                        int at = i / c * blockFloats + (t * c + i % c) * c;
                        for (int o = 0; o < outs; o++) {
                            row[at + o] = weights[src + o * stride];
                        }
                    } else {
                        for (int o = 0; o < outs; o++) {
                            int ic = firstIn[o] + i;
                            row[ic / c * blockFloats + (t * c + ic % c) * c + o] = weights[src + o * stride];
                        }
                    }
                }
            }
            MemorySegment.copy(row, 0, seg, FLOAT, (long) ob * row.length * Float.BYTES, row.length);
        }
        float[] paddedBias = new float[ocb * c];
        if (bias != null) {
            System.arraycopy(bias, 0, paddedBias, 0, bias.length);
        }
        MemorySegment.copy(paddedBias, 0, seg, FLOAT, biasOffset, paddedBias.length);
        return new PackedConvWeights(g, seg, biasOffset, bias != null);
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
