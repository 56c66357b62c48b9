package googlenet.kernels.conv;

import googlenet.kernels.Blocking;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
        long weightFloats = (long) ocb * icb * kh * kw * c * c;
        long biasOffset = weightFloats * Float.BYTES;
        long bytes = biasOffset + (long) ocb * c * Float.BYTES;
        MemorySegment seg = arena.allocate(bytes, 64);
        seg.fill((byte) 0);
        for (int oc = 0; oc < g.outChannels(); oc++) {
            int group = oc / cog;
            for (int i = 0; i < cig; i++) {
                int ic = group * cig + i;
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        float v = weights[((oc * cig + i) * kh + ky) * kw + kx];
                        long index = ((((long) (oc / c) * icb + ic / c) * kh + ky) * kw + kx) * c * c
                                + (long) (ic % c) * c + oc % c;
                        seg.set(FLOAT, index * Float.BYTES, v);
                    }
                }
            }
            if (bias != null) {
                seg.set(FLOAT, biasOffset + (long) oc * Float.BYTES, bias[oc]);
            }
        }
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
