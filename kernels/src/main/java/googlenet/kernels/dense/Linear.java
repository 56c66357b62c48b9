package googlenet.kernels.dense;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

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
 * for bit; against the double reference the difference is the float rounding of a K-term sum. Tasks: output groups ×
 * image chunks of 4.
 */
public final class Linear {
    /** Output-channel blocks per packed group (and per register tile). */
    public static final int GROUP = 4;
    private static final int IMAGES = 4;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

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
        return Blocking.VECTOR ? new VectorLinear(p) : new ScalarLinear(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, PackedLinearWeights w, boolean relu) {
        return new ScalarLinear(new Params(in, out, w, relu));
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

    private static final class Params {
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

        int tasks() {
            return groups * chunks;
        }

        String describe(String variant) {
            return "linear " + in.channels() + "×" + in.height() + "×" + in.width() + " → " + outFeatures
                    + (relu ? " +relu" : "") + " " + variant;
        }
    }

    private static final class ScalarLinear implements Kernel {
        private final Params p;

        ScalarLinear(Params p) {
            this.p = p;
        }

        @Override
        public int tasks() {
            return p.tasks();
        }

        @Override
        public String describe() {
            return p.describe("scalar");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int c = Blocking.LANES;
            int width = GROUP * c;
            int g = task % p.groups;
            int n0 = task / p.groups * IMAGES;
            int n1 = Math.min(p.in.batch(), n0 + IMAGES);
            long wGroup = (long) g * p.k * width * Float.BYTES;
            for (int n = n0; n < n1; n++) {
                long x = p.in.at(n, 0, 0, 0);
                for (int j = 0; j < width; j++) {
                    int block = g * GROUP + j / c;
                    if (block >= p.outBlocks) {
                        break;
                    }
                    int o = g * width + j;
                    float acc = p.bias[o];
                    long w = wGroup + (long) j * Float.BYTES;
                    for (int kk = 0; kk < p.k; kk++) {
                        acc = Math.fma(p.weights.get(FLOAT, w + (long) kk * width * Float.BYTES),
                                arena.get(FLOAT, x + (long) kk * Float.BYTES), acc);
                    }
                    if (o >= p.outFeatures || (p.relu && !(acc > 0 || acc != acc))) {
                        acc = 0f;
                    }
                    arena.set(FLOAT, p.out.at(n, block, 0, 0) + (long) (j % c) * Float.BYTES, acc);
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorLinear implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Params p;

        VectorLinear(Params p) {
            if (S.length() != Blocking.LANES) {
                throw new IllegalStateException("vector species " + S + " does not match block " + Blocking.LANES);
            }
            this.p = p;
        }

        @Override
        public int tasks() {
            return p.tasks();
        }

        @Override
        public String describe() {
            return p.describe("vector " + GROUP + " blocks × " + IMAGES + " images");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            int g = task % p.groups;
            int n0 = task / p.groups * IMAGES;
            int n1 = Math.min(p.in.batch(), n0 + IMAGES);
            if (n1 - n0 == IMAGES) {
                tile4(arena, g, n0);
            } else {
                for (int n = n0; n < n1; n++) {
                    tile1(arena, g, n);
                }
            }
        }

        private void tile1(MemorySegment arena, int g, int n) {
            Params p = this.p;
            MemorySegment weights = p.weights;
            int c = Blocking.LANES;
            long vec = (long) c * Float.BYTES;
            long row = GROUP * vec;
            int b0 = g * GROUP * c;
            FloatVector a0 = FloatVector.fromArray(S, p.bias, b0);
            FloatVector a1 = FloatVector.fromArray(S, p.bias, b0 + c);
            FloatVector a2 = FloatVector.fromArray(S, p.bias, b0 + 2 * c);
            FloatVector a3 = FloatVector.fromArray(S, p.bias, b0 + 3 * c);
            long x = p.in.at(n, 0, 0, 0);
            long xEnd = x + (long) p.k * Float.BYTES;
            long w = (long) g * p.k * row;
            for (; x < xEnd; x += Float.BYTES, w += row) {
                FloatVector xv = FloatVector.broadcast(S, arena.get(FLOAT, x));
                a0 = FloatVector.fromMemorySegment(S, weights, w, ORDER).fma(xv, a0);
                a1 = FloatVector.fromMemorySegment(S, weights, w + vec, ORDER).fma(xv, a1);
                a2 = FloatVector.fromMemorySegment(S, weights, w + 2 * vec, ORDER).fma(xv, a2);
                a3 = FloatVector.fromMemorySegment(S, weights, w + 3 * vec, ORDER).fma(xv, a3);
            }
            int block = g * GROUP;
            int live = Math.min(GROUP, p.outBlocks - block);
            a0.intoMemorySegment(arena, p.out.at(n, block, 0, 0), ORDER);
            if (live > 1) a1.intoMemorySegment(arena, p.out.at(n, block + 1, 0, 0), ORDER);
            if (live > 2) a2.intoMemorySegment(arena, p.out.at(n, block + 2, 0, 0), ORDER);
            if (live > 3) a3.intoMemorySegment(arena, p.out.at(n, block + 3, 0, 0), ORDER);
            finish(arena, n, n + 1, block, live);
        }

        private void tile4(MemorySegment arena, int g, int n0) {
            Params p = this.p;
            MemorySegment weights = p.weights;
            int c = Blocking.LANES;
            long vec = (long) c * Float.BYTES;
            long row = GROUP * vec;
            int b0 = g * GROUP * c;
            FloatVector a00 = FloatVector.fromArray(S, p.bias, b0);
            FloatVector a01 = FloatVector.fromArray(S, p.bias, b0 + c);
            FloatVector a02 = FloatVector.fromArray(S, p.bias, b0 + 2 * c);
            FloatVector a03 = FloatVector.fromArray(S, p.bias, b0 + 3 * c);
            FloatVector a10 = a00, a11 = a01, a12 = a02, a13 = a03;
            FloatVector a20 = a00, a21 = a01, a22 = a02, a23 = a03;
            FloatVector a30 = a00, a31 = a01, a32 = a02, a33 = a03;
            long x0 = p.in.at(n0, 0, 0, 0);
            long x1 = p.in.at(n0 + 1, 0, 0, 0);
            long x2 = p.in.at(n0 + 2, 0, 0, 0);
            long x3 = p.in.at(n0 + 3, 0, 0, 0);
            long w = (long) g * p.k * row;
            for (long off = 0, end = (long) p.k * Float.BYTES; off < end; off += Float.BYTES, w += row) {
                FloatVector w0 = FloatVector.fromMemorySegment(S, weights, w, ORDER);
                FloatVector w1 = FloatVector.fromMemorySegment(S, weights, w + vec, ORDER);
                FloatVector w2 = FloatVector.fromMemorySegment(S, weights, w + 2 * vec, ORDER);
                FloatVector w3 = FloatVector.fromMemorySegment(S, weights, w + 3 * vec, ORDER);
                FloatVector xv = FloatVector.broadcast(S, arena.get(FLOAT, x0 + off));
                a00 = w0.fma(xv, a00);
                a01 = w1.fma(xv, a01);
                a02 = w2.fma(xv, a02);
                a03 = w3.fma(xv, a03);
                xv = FloatVector.broadcast(S, arena.get(FLOAT, x1 + off));
                a10 = w0.fma(xv, a10);
                a11 = w1.fma(xv, a11);
                a12 = w2.fma(xv, a12);
                a13 = w3.fma(xv, a13);
                xv = FloatVector.broadcast(S, arena.get(FLOAT, x2 + off));
                a20 = w0.fma(xv, a20);
                a21 = w1.fma(xv, a21);
                a22 = w2.fma(xv, a22);
                a23 = w3.fma(xv, a23);
                xv = FloatVector.broadcast(S, arena.get(FLOAT, x3 + off));
                a30 = w0.fma(xv, a30);
                a31 = w1.fma(xv, a31);
                a32 = w2.fma(xv, a32);
                a33 = w3.fma(xv, a33);
            }
            int block = g * GROUP;
            int live = Math.min(GROUP, p.outBlocks - block);
            a00.intoMemorySegment(arena, p.out.at(n0, block, 0, 0), ORDER);
            a10.intoMemorySegment(arena, p.out.at(n0 + 1, block, 0, 0), ORDER);
            a20.intoMemorySegment(arena, p.out.at(n0 + 2, block, 0, 0), ORDER);
            a30.intoMemorySegment(arena, p.out.at(n0 + 3, block, 0, 0), ORDER);
            if (live > 1) {
                a01.intoMemorySegment(arena, p.out.at(n0, block + 1, 0, 0), ORDER);
                a11.intoMemorySegment(arena, p.out.at(n0 + 1, block + 1, 0, 0), ORDER);
                a21.intoMemorySegment(arena, p.out.at(n0 + 2, block + 1, 0, 0), ORDER);
                a31.intoMemorySegment(arena, p.out.at(n0 + 3, block + 1, 0, 0), ORDER);
            }
            if (live > 2) {
                a02.intoMemorySegment(arena, p.out.at(n0, block + 2, 0, 0), ORDER);
                a12.intoMemorySegment(arena, p.out.at(n0 + 1, block + 2, 0, 0), ORDER);
                a22.intoMemorySegment(arena, p.out.at(n0 + 2, block + 2, 0, 0), ORDER);
                a32.intoMemorySegment(arena, p.out.at(n0 + 3, block + 2, 0, 0), ORDER);
            }
            if (live > 3) {
                a03.intoMemorySegment(arena, p.out.at(n0, block + 3, 0, 0), ORDER);
                a13.intoMemorySegment(arena, p.out.at(n0 + 1, block + 3, 0, 0), ORDER);
                a23.intoMemorySegment(arena, p.out.at(n0 + 2, block + 3, 0, 0), ORDER);
                a33.intoMemorySegment(arena, p.out.at(n0 + 3, block + 3, 0, 0), ORDER);
            }
            finish(arena, n0, n0 + IMAGES, block, live);
        }

        /**
         * The epilogue, in place on the stored sums of images [n0, n1) × output blocks [block, block + live): ReLU, and
         * zeros in the padding lanes of the last block (even if the input held Inf/NaN). It takes no vector: a vector
         * passed to a call the JIT did not inline is boxed on the heap (C2 stops inlining in a method as large as
         * tile4 once its node budget runs out), so the tiles store their sums and this reloads them.
         */
        private void finish(MemorySegment arena, int n0, int n1, int block, int live) {
            Params p = this.p;
            for (int n = n0; n < n1; n++) {
                for (int b = block; b < block + live; b++) {
                    long at = p.out.at(n, b, 0, 0);
                    FloatVector v = FloatVector.fromMemorySegment(S, arena, at, ORDER);
                    if (p.relu) {
                        v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                    }
                    int real = p.outFeatures - b * Blocking.LANES;
                    if (real < Blocking.LANES) {
                        v = FloatVector.zero(S).blend(v, S.indexInRange(0, real));
                    }
                    v.intoMemorySegment(arena, at, ORDER);
                }
            }
        }
    }
}
