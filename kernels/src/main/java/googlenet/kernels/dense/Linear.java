package googlenet.kernels.dense;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.Kernel;
import googlenet.kernels.SpatialTasks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Fully connected layer {@code y[n][o] = bias[o] + Σ_i x[n][i]·W[o][i]} reading an NCHWc input of any H×W, whose
 * features are numbered in PyTorch's NCHW flatten order {@code i = ch·H·W + y·W + x}, and writing an NCHWc output
 * with channels = out features and H = W = 1 (features as [N][F padded]). Optional fused ReLU.
 * <p>
 * The PyTorch [out][in] weight is packed once per model ({@link PackedLinearWeights}) as
 * {@code [group][k][GROUP·c]}: groups of {@value #GROUP} output-channel blocks, {@code k} running over the
 * input's blocked order (channel block, y, x, lane) so that Flatten costs nothing and each image's input is read
 * contiguously; rows of padding input lanes and columns of padding outputs are zero. The vector kernel keeps
 * {@value #GROUP} output blocks (× 4 images when the batch allows) in registers and streams the group's weights once,
 * broadcasting one input value per k: a GEMV at batch 1, a 4-image GEMM tile at larger batches. Both variants
 * accumulate with one FMA per term, starting from the bias, in increasing k — the same operations, so they agree bit
 * for bit; against the double reference the difference is the float rounding of a K-term sum.
 * <p>
 * The factory of {@link LinearScalar} and {@link LinearVector}. Tasks: output groups × image chunks of 4.
 */
public final class Linear {
    /** Output-channel blocks per packed group (and per register tile). */
    public static final int GROUP = 4;
    /** Images per task (and per register tile of the vector kernel). */
    static final int IMAGES = 4;

    private Linear() {
    }

    /**
     * Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel.
     *
     * @param in  input, of the shape {@code w} was packed for, any batch
     * @param out output, channels = out features, H = W = 1, same batch
     * @param w   the packed weights (in an arena that outlives the kernel)
     */
    public static Kernel create(BlockedTensor in, BlockedTensor out, PackedLinearWeights w, boolean relu) {
        Params p = new Params(in, out, w, relu);
        return Blocking.VECTOR ? VectorFactory.create(p) : new LinearScalar(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, PackedLinearWeights w, boolean relu) {
        return new LinearScalar(new Params(in, out, w, relu));
    }

    /** Packs PyTorch's [out][in features] {@code weight} and {@code bias} (or null) into {@code arena}, then {@link #create}. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, float[] weight, float[] bias, boolean relu,
                                Arena arena) {
        return create(in, out, pack(in, out, weight, bias, arena), relu);
    }

    /** Packs as {@link #create(BlockedTensor, BlockedTensor, float[], float[], boolean, Arena)} does, then {@link #createScalar}. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, float[] weight, float[] bias,
                                      boolean relu, Arena arena) {
        return createScalar(in, out, pack(in, out, weight, bias, arena), relu);
    }

    private static PackedLinearWeights pack(BlockedTensor in, BlockedTensor out, float[] weight, float[] bias,
                                            Arena arena) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("arguments must not be null");
        }
        return PackedLinearWeights.pack(in.channels(), in.height(), in.width(), out.channels(), weight, bias, arena);
    }

    /** What the two kernels share: the tensors and the packed weights, checked, and the task split. */
    static final class Params implements FamilyKernel.Shape {
        final BlockedTensor in;
        final BlockedTensor out;
        final boolean relu;
        final int outFeatures;
        final int outBlocks;
        final int groups;
        final int chunks;
        /** Packed input length: blocks·H·W·c. */
        final int k;
        final MemorySegment weights;
        /** Bias padded to groups·GROUP·c (zeros past outFeatures). */
        final float[] bias;

        Params(BlockedTensor in, BlockedTensor out, PackedLinearWeights w, boolean relu) {
            if (in == null || out == null || w == null) {
                throw new IllegalArgumentException("arguments must not be null");
            }
            if (in.batch() != out.batch()) {
                throw new IllegalArgumentException("batch differs: " + in.batch() + " vs " + out.batch());
            }
            if (out.height() != 1 || out.width() != 1) {
                throw new IllegalArgumentException("linear output must be 1×1, was " + out.height() + "×" + out.width());
            }
            if (in.channels() != w.channels() || in.height() != w.height() || in.width() != w.width()
                    || out.channels() != w.outFeatures()) {
                throw new IllegalArgumentException("weights packed for " + w.channels() + "×" + w.height() + "×"
                        + w.width() + " → " + w.outFeatures() + ", tensors are " + in.channels() + "×" + in.height()
                        + "×" + in.width() + " → " + out.channels());
            }
            this.in = in;
            this.out = out;
            this.relu = relu;
            this.outFeatures = w.outFeatures();
            this.outBlocks = out.blocks();
            this.groups = w.groups;
            this.chunks = Math.ceilDiv(in.batch(), IMAGES);
            this.k = w.k;
            this.bias = w.bias;
            this.weights = w.segment;
        }

        /** Image chunks of {@link #IMAGES} × output groups, the group the fastest. */
        @Override
        public SpatialTasks tasks() {
            return new SpatialTasks(chunks, 1, groups);
        }

        @Override
        public String describe() {
            return "linear " + in.dims() + " → " + outFeatures + (relu ? " +relu" : "");
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return new LinearVector(p);
        }
    }
}
