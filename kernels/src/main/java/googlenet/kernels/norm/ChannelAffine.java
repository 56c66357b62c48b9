package googlenet.kernels.norm;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Per-channel affine map over NCHWc tensors, {@code y = fma(x, scale[ch], shift[ch])} with optional fused ReLU:
 * a BatchNorm that could not be folded into a convolution. Both variants use one fused multiply-add per element,
 * so they agree bit for bit. May run in place ({@code in} and {@code out} the same view). Tasks: images × channel
 * blocks × pixel tiles.
 */
public final class ChannelAffine {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int PIXELS_PER_TASK = 2048;

    private ChannelAffine() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. {@code scale}, {@code shift}: [C]. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift, boolean relu) {
        Params p = new Params(in, out, scale, shift, relu);
        return Blocking.VECTOR ? new VectorAffine(p) : new ScalarAffine(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift,
                                      boolean relu) {
        return new ScalarAffine(new Params(in, out, scale, shift, relu));
    }

    /**
     * Inference BatchNorm as an affine map: {@code scale = gamma / sqrt(var + eps)}, {@code shift = beta - mean·scale}
     * (computed in double, rounded once each), then {@link #create}.
     */
    public static Kernel createBatchNorm(BlockedTensor in, BlockedTensor out, float[] gamma, float[] beta,
                                         float[] mean, float[] var, float eps, boolean relu) {
        float[][] affine = batchNormAffine(gamma, beta, mean, var, eps);
        return create(in, out, affine[0], affine[1], relu);
    }

    /** {@link #createBatchNorm} with the scalar kernel. */
    public static Kernel createBatchNormScalar(BlockedTensor in, BlockedTensor out, float[] gamma, float[] beta,
                                               float[] mean, float[] var, float eps, boolean relu) {
        float[][] affine = batchNormAffine(gamma, beta, mean, var, eps);
        return createScalar(in, out, affine[0], affine[1], relu);
    }

    /** {@code {scale, shift}} of an inference BatchNorm. */
    public static float[][] batchNormAffine(float[] gamma, float[] beta, float[] mean, float[] var, float eps) {
        int c = gamma.length;
        if (beta.length != c || mean.length != c || var.length != c) {
            throw new IllegalArgumentException("BatchNorm parameter lengths differ");
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double s = gamma[ch] / Math.sqrt((double) var[ch] + eps);
            scale[ch] = (float) s;
            shift[ch] = (float) (beta[ch] - mean[ch] * s);
        }
        return new float[][] {scale, shift};
    }

    private static final class Params {
        final BlockedTensor in;
        final BlockedTensor out;
        final float[] scale;
        final float[] shift;
        final boolean relu;
        final int blocks;
        final int plane;
        final int pixelsPerTile;
        final int tiles;

        Params(BlockedTensor in, BlockedTensor out, float[] scale, float[] shift, boolean relu) {
            if (in == null || out == null || scale == null || shift == null) {
                throw new IllegalArgumentException("arguments must not be null");
            }
            if (in.batch() != out.batch() || in.channels() != out.channels() || in.height() != out.height()
                    || in.width() != out.width()) {
                throw new IllegalArgumentException("affine input and output shapes differ");
            }
            if (scale.length != in.channels() || shift.length != in.channels()) {
                throw new IllegalArgumentException("scale/shift need " + in.channels() + " values, have "
                        + scale.length + "/" + shift.length);
            }
            if (!in.equals(out) && in.offset() < out.end() && out.offset() < in.end()) {
                throw new IllegalArgumentException("affine output overlaps its input without being the same view");
            }
            this.in = in;
            this.out = out;
            // Padded with zeros: padding lanes map 0 to fma(0, 0, 0) = 0.
            this.scale = java.util.Arrays.copyOf(scale, Blocking.padded(in.channels()));
            this.shift = java.util.Arrays.copyOf(shift, Blocking.padded(in.channels()));
            this.relu = relu;
            this.blocks = in.blocks();
            this.plane = in.height() * in.width();
            this.pixelsPerTile = Math.min(plane, PIXELS_PER_TASK);
            this.tiles = Math.ceilDiv(plane, pixelsPerTile);
        }

        int tasks() {
            return in.batch() * blocks * tiles;
        }

        String describe(String variant) {
            return "channel affine " + in.channels() + "×" + in.height() + "×" + in.width() + (relu ? " +relu" : "")
                    + " " + variant;
        }
    }

    private static final class ScalarAffine implements Kernel {
        private final Params p;

        ScalarAffine(Params p) {
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
            int tile = task % p.tiles;
            int rest = task / p.tiles;
            int block = rest % p.blocks;
            int n = rest / p.blocks;
            long src = p.in.at(n, block, 0, 0);
            long dst = p.out.at(n, block, 0, 0);
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            for (int q = p0; q < p1; q++) {
                long off = (long) q * c * Float.BYTES;
                for (int lane = 0; lane < c; lane++) {
                    long l = off + (long) lane * Float.BYTES;
                    float y = Math.fma(arena.get(FLOAT, src + l), p.scale[block * c + lane], p.shift[block * c + lane]);
                    if (p.relu && !(y > 0 || y != y)) {
                        y = 0f;
                    }
                    arena.set(FLOAT, dst + l, y);
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorAffine implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Params p;

        VectorAffine(Params p) {
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
            return p.describe("vector");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int c = Blocking.LANES;
            int tile = task % p.tiles;
            int rest = task / p.tiles;
            int block = rest % p.blocks;
            int n = rest / p.blocks;
            long pixelStride = p.in.pixelStride();
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            long src = p.in.at(n, block, 0, 0) + p0 * pixelStride;
            long dst = p.out.at(n, block, 0, 0) + p0 * pixelStride;
            FloatVector scale = FloatVector.fromArray(S, p.scale, block * c);
            FloatVector shift = FloatVector.fromArray(S, p.shift, block * c);
            boolean relu = p.relu;
            for (int q = p0; q < p1; q++, src += pixelStride, dst += pixelStride) {
                FloatVector y = FloatVector.fromMemorySegment(S, arena, src, ORDER).fma(scale, shift);
                if (relu) {
                    y = y.blend(0f, y.compare(VectorOperators.LE, 0f));
                }
                y.intoMemorySegment(arena, dst, ORDER);
            }
        }
    }
}
