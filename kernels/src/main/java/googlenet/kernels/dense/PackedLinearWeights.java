package googlenet.kernels.dense;

import googlenet.kernels.Blocking;
import googlenet.kernels.layout.WeightTranspose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A fully connected layer's weights packed once, for an input of {@code channels × height × width} (blocked, any
 * batch), into a segment of the caller's arena as {@code [group][k][GROUP·c]} (see {@link Linear}): groups of
 * {@value Linear#GROUP} output-channel blocks, {@code k} running over the input's blocked order (channel block, y, x,
 * lane); rows of padding input lanes and columns of padding outputs are zero. The bias is kept padded to
 * {@code groups·GROUP·c}. Every plan of a model (one per batch size) shares one packing.
 */
public final class PackedLinearWeights {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private final int channels;
    private final int height;
    private final int width;
    private final int outFeatures;
    /** Packed input length: blocks·H·W·c. */
    final int k;
    final int groups;
    final MemorySegment segment;
    /** Bias padded to groups·GROUP·c (zeros past outFeatures). */
    final float[] bias;

    private PackedLinearWeights(int channels, int height, int width, int outFeatures, int k, int groups,
                                MemorySegment segment, float[] bias) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.outFeatures = outFeatures;
        this.k = k;
        this.groups = groups;
        this.segment = segment;
        this.bias = bias;
    }

    /**
     * Packs PyTorch's [out][in features] {@code weight} (features in NCHW flatten order {@code ch·H·W + y·W + x}) and
     * {@code bias} ({@code outFeatures}, or null) for an input of {@code channels × height × width}.
     */
    public static PackedLinearWeights pack(int channels, int height, int width, int outFeatures, float[] weight,
                                           float[] bias, Arena arena) {
        if (weight == null) throw new IllegalArgumentException("weight and arena must not be null");
        return pack(channels, height, width, outFeatures, MemorySegment.ofArray(weight),
                bias == null ? null : MemorySegment.ofArray(bias), arena);
    }

    /** As {@link #pack(int, int, int, int, float[], float[], Arena)}, from float32 in native byte order in any segment. */
    public static PackedLinearWeights pack(int channels, int height, int width, int outFeatures, MemorySegment weight,
                                           MemorySegment bias, Arena arena) {
        return pack(channels, height, width, outFeatures, weight, bias, arena, Blocking.VECTOR);
    }

    /** Packs without the Vector API: the twin the vector packing is tested against. */
    public static PackedLinearWeights packScalar(int channels, int height, int width, int outFeatures,
                                                 MemorySegment weight, MemorySegment bias, Arena arena) {
        return pack(channels, height, width, outFeatures, weight, bias, arena, false);
    }

    /**
     * Weights {@link #pack} made earlier for the same shape, as {@link #segment()} and {@link #paddedBias()} hold them
     * (e.g. mapped from a cache file): checks the sizes, copies nothing.
     */
    public static PackedLinearWeights ofPacked(int channels, int height, int width, int outFeatures,
                                               MemorySegment segment, float[] paddedBias) {
        if (channels <= 0 || height <= 0 || width <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("linear shape must be positive: " + channels + "×" + height + "×"
                    + width + " → " + outFeatures);
        }
        int c = Blocking.LANES;
        int groups = Math.ceilDiv(Blocking.blocks(outFeatures), Linear.GROUP);
        int k = Math.toIntExact((long) Blocking.blocks(channels) * height * width * c);
        long bytes = (long) groups * k * Linear.GROUP * c * Float.BYTES;
        if (segment.byteSize() != bytes || paddedBias.length != groups * Linear.GROUP * c) {
            throw new IllegalArgumentException("packed linear weights " + channels + "×" + height + "×" + width + " → "
                    + outFeatures + ": expected " + bytes + " bytes and " + groups * Linear.GROUP * c + " bias floats, got "
                    + segment.byteSize() + " and " + paddedBias.length);
        }
        return new PackedLinearWeights(channels, height, width, outFeatures, k, groups, segment, paddedBias.clone());
    }

    /** The packed weights. */
    public MemorySegment segment() {
        return segment;
    }

    /** The bias padded to the packed outputs (zeros past {@code outFeatures}): a copy. */
    public float[] paddedBias() {
        return bias.clone();
    }

    private static PackedLinearWeights pack(int channels, int height, int width, int outFeatures, MemorySegment weight,
                                            MemorySegment bias, Arena arena, boolean vector) {
        if (weight == null || arena == null) {
            throw new IllegalArgumentException("weight and arena must not be null");
        }
        if (channels <= 0 || height <= 0 || width <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("linear shape must be positive: " + channels + "×" + height + "×"
                    + width + " → " + outFeatures);
        }
        int c = Blocking.LANES;
        int hw = height * width;
        long inFeatures = (long) channels * hw;
        if (weight.byteSize() != inFeatures * outFeatures * Float.BYTES) {
            throw new IllegalArgumentException("weight has " + weight.byteSize() + " bytes, needs " + outFeatures + "×"
                    + inFeatures + " floats (" + inFeatures * outFeatures * Float.BYTES + " bytes)");
        }
        if (bias != null && bias.byteSize() != (long) outFeatures * Float.BYTES) {
            throw new IllegalArgumentException("bias has " + bias.byteSize() + " bytes, needs " + outFeatures + " floats ("
                    + (long) outFeatures * Float.BYTES + " bytes)");
        }
        int groups = Math.ceilDiv(Blocking.blocks(outFeatures), Linear.GROUP);
        int k = Math.toIntExact((long) Blocking.blocks(channels) * hw * c);
        int rowWidth = Linear.GROUP * c;
        float[] paddedBias = new float[groups * rowWidth];
        if (bias != null) {
            MemorySegment.copy(bias, FLOAT, 0, paddedBias, 0, outFeatures);
        }
        MemorySegment segment = arena.allocate((long) groups * k * rowWidth * Float.BYTES, 64);
        if (hw == 1 && vector && WeightTranspose.supported()) { // after global pooling: a matrix, packed row k = input k
            long rowBytes = (long) rowWidth * Float.BYTES;
            WeightTranspose.pack(weight, outFeatures, channels, 1, segment, new WeightTranspose.Destination(
                    Linear.GROUP, k * rowBytes, (long) c * Float.BYTES, c * rowBytes, 0, rowBytes));
            return new PackedLinearWeights(channels, height, width, outFeatures, k, groups, segment, paddedBias);
        }
        // One group [k][GROUP·c] at a time, staged in an array and copied in bulk; within it tiles of c outputs × one
        // channel block: the c weight rows are read side by side (c streams that stay in L1), and each step writes c
        // adjacent floats of one packed row. Output by output, every write touched another cache line.
        float[] stage = new float[Math.toIntExact((long) k * rowWidth)];
        int blocks = Blocking.blocks(channels);
        long rowBytes = inFeatures * Float.BYTES;
        for (int group = 0; group < groups; group++) {
            int first = group * rowWidth;
            if (first + rowWidth > outFeatures || channels % c != 0) Arrays.fill(stage, 0f);
            for (int o0 = first; o0 < Math.min(outFeatures, first + rowWidth); o0 += c) {
                int outs = Math.min(c, outFeatures - o0);
                int base = o0 - first;
                for (int cb = 0; cb < blocks; cb++) {
                    int lanes = Math.min(c, channels - cb * c);
                    for (int pixel = 0; pixel < hw; pixel++) {
                        for (int lane = 0; lane < lanes; lane++) {
                            int at = base + ((cb * hw + pixel) * c + lane) * rowWidth;
                            long src = o0 * rowBytes + ((long) (cb * c + lane) * hw + pixel) * Float.BYTES;
                            for (int o = 0; o < outs; o++) {
                                stage[at + o] = weight.get(FLOAT, src + o * rowBytes);
                            }
                        }
                    }
                }
            }
            MemorySegment.copy(stage, 0, segment, FLOAT, (long) group * stage.length * Float.BYTES, stage.length);
        }
        return new PackedLinearWeights(channels, height, width, outFeatures, k, groups, segment, paddedBias);
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int outFeatures() {
        return outFeatures;
    }

    /** Bytes of native memory the packed weights take. */
    public long bytes() {
        return segment.byteSize();
    }
}
