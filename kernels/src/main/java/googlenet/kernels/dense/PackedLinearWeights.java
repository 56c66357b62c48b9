package googlenet.kernels.dense;

import googlenet.kernels.Blocking;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A fully connected layer's weights packed once, for an input of {@code channels × height × width} (blocked, any
 * batch), into a segment of the caller's arena as {@code [group][k][GROUP·c]} (see {@link Linear}): groups of
 * {@value Linear#GROUP} output-channel blocks, {@code k} running over the input's blocked order (channel block, y, x,
 * lane); rows of padding input lanes and columns of padding outputs are zero. The bias is kept padded to
 * {@code groups·GROUP·c}. Every plan of a model (one per batch size) shares one packing.
 */
public final class PackedLinearWeights {
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
        if (weight.length != inFeatures * outFeatures) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, needs " + outFeatures
                    + "×" + inFeatures);
        }
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("bias has " + bias.length + " values, needs " + outFeatures);
        }
        int groups = Math.ceilDiv(Blocking.blocks(outFeatures), Linear.GROUP);
        int k = Math.toIntExact((long) Blocking.blocks(channels) * hw * c);
        int rowWidth = Linear.GROUP * c;
        float[] paddedBias = new float[groups * rowWidth];
        if (bias != null) {
            System.arraycopy(bias, 0, paddedBias, 0, outFeatures);
        }
        float[] packed = new float[Math.toIntExact((long) groups * k * rowWidth)];
        // Tiles of c outputs × one channel block: the c weight rows are read side by side (c streams that stay in
        // L1), and each step writes c adjacent floats of one packed row. Output by output, every write touched
        // another cache line.
        int blocks = Blocking.blocks(channels);
        for (int o0 = 0; o0 < outFeatures; o0 += c) {
            int outs = Math.min(c, outFeatures - o0);
            int base = o0 / rowWidth * k * rowWidth + o0 % rowWidth;
            for (int cb = 0; cb < blocks; cb++) {
                int lanes = Math.min(c, channels - cb * c);
                for (int pixel = 0; pixel < hw; pixel++) {
                    for (int lane = 0; lane < lanes; lane++) {
                        int at = base + ((cb * hw + pixel) * c + lane) * rowWidth;
                        int src = o0 * (int) inFeatures + (cb * c + lane) * hw + pixel;
                        for (int o = 0; o < outs; o++, src += (int) inFeatures) {
                            packed[at + o] = weight[src];
                        }
                    }
                }
            }
        }
        MemorySegment segment = arena.allocate((long) packed.length * Float.BYTES, 64);
        MemorySegment.copy(packed, 0, segment, ValueLayout.JAVA_FLOAT, 0, packed.length);
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
