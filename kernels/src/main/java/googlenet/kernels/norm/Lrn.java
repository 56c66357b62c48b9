package googlenet.kernels.norm;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Local response normalization across channels (ONNX LRN) over NCHWc tensors, as {@code ReferenceLrn}:
 * <pre>
 * y[ch] = x[ch] / (k + alpha/size · Σ_{j = ch-floor((size-1)/2) .. ch+ceil((size-1)/2)} x[j]²)^beta
 * </pre>
 * channels outside [0, C) counting as 0. The window crosses channel-block boundaries. The output must not
 * overlap the input (a task reads its neighbours' blocks).
 * <p>
 * Precision: the scalar variant computes in double exactly as the reference and equals it bit for bit. The vector
 * variant sums the squares in float (increasing j, neighbour lanes fetched with {@code slice} across the previous /
 * next block), forms {@code d = k + (alpha/size)·Σ} with one float FMA, raises it to β with square roots and a
 * product only ({@code β = 0.75}, GoogLeNet's and AlexNet's: {@code √d·√√d}; {@code 0.5}: {@code √d}; {@code 1}:
 * {@code d}) and divides. Only correctly rounded operations, so the result is the same whether the JIT has compiled
 * the kernel or not: {@code VectorOperators.POW} is not, its compiled form (SVML) and its Java fallback
 * ({@code Math.pow}) differ in the last bit for about 0.6 % of inputs, which made an image's output depend on when
 * it ran. With small-integer inputs (exact squares) the vector kernel stays within 4 ulp of the reference (3.2 by the
 * rounding steps). Other
 * β, and windows wider than two blocks beyond the centre ({@code size > 2·LANES + 1}), run on the scalar kernel.
 * Tasks: images × pixel tiles × channel blocks.
 */
public final class Lrn {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int PIXELS_PER_TASK = 1024;

    private Lrn() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR} (and the window spans at most three blocks), else scalar. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta, float k) {
        Params p = new Params(in, out, size, alpha, beta, k);
        return Blocking.VECTOR && p.before <= Blocking.LANES && p.after <= Blocking.LANES && rootsOnly(beta)
                ? new VectorLrn(p) : new ScalarLrn(p);
    }

    /** Whether {@code d^beta} is a product of square roots of {@code d} (see the class note). */
    static boolean rootsOnly(float beta) {
        return beta == 0.5f || beta == 0.75f || beta == 1f;
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta,
                                      float k) {
        return new ScalarLrn(new Params(in, out, size, alpha, beta, k));
    }

    private static final class Params {
        final BlockedTensor in;
        final BlockedTensor out;
        final int size;
        final float alpha;
        final float beta;
        final float k;
        final int before;
        final int after;
        final int blocks;
        final int plane;
        final int pixelsPerTile;
        final int tiles;

        Params(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta, float k) {
            if (in == null || out == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (in.batch() != out.batch() || in.channels() != out.channels() || in.height() != out.height()
                    || in.width() != out.width()) {
                throw new IllegalArgumentException("LRN input and output shapes differ");
            }
            if (size <= 0) {
                throw new IllegalArgumentException("size must be positive, was " + size);
            }
            if (in.offset() < out.end() && out.offset() < in.end()) {
                throw new IllegalArgumentException("LRN output must not overlap its input");
            }
            this.in = in;
            this.out = out;
            this.size = size;
            this.alpha = alpha;
            this.beta = beta;
            this.k = k;
            this.before = (size - 1) / 2;
            this.after = size - 1 - before;
            this.blocks = in.blocks();
            this.plane = in.height() * in.width();
            this.pixelsPerTile = Math.min(plane, PIXELS_PER_TASK);
            this.tiles = Math.ceilDiv(plane, pixelsPerTile);
        }

        int tasks() {
            return in.batch() * blocks * tiles;
        }

        String describe(String variant) {
            return "lrn size " + size + " alpha " + alpha + " beta " + beta + " k " + k + " " + in.channels() + "×"
                    + in.height() + "×" + in.width() + " " + variant;
        }
    }

    private static final class ScalarLrn implements Kernel {
        private final Params p;

        ScalarLrn(Params p) {
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
            int block = task % p.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / p.blocks;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            int c = Blocking.LANES;
            int channels = p.in.channels();
            long blockStride = p.in.blockStride();
            long pixelStride = p.in.pixelStride();
            long inImage = p.in.at(n, 0, 0, 0);
            long outBase = p.out.at(n, block, 0, 0);
            double scale = (double) p.alpha / p.size;
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            for (int lane = 0; lane < c; lane++) {
                int ch = block * c + lane;
                if (ch >= channels) {
                    for (int q = p0; q < p1; q++) {
                        arena.set(FLOAT, outBase + q * pixelStride + (long) lane * Float.BYTES, 0f);
                    }
                    continue;
                }
                int lo = Math.max(0, ch - p.before);
                int hi = Math.min(channels - 1, ch + p.after);
                for (int q = p0; q < p1; q++) {
                    long pixel = inImage + q * pixelStride;
                    double sumSquares = 0.0;
                    for (int j = lo; j <= hi; j++) {
                        double v = arena.get(FLOAT, pixel + (j / c) * blockStride + (long) (j % c) * Float.BYTES);
                        sumSquares += v * v;
                    }
                    float x = arena.get(FLOAT, pixel + block * blockStride + (long) lane * Float.BYTES);
                    float y = (float) (x / Math.pow(p.k + scale * sumSquares, p.beta));
                    arena.set(FLOAT, outBase + q * pixelStride + (long) lane * Float.BYTES, y);
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorLrn implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Params p;

        VectorLrn(Params p) {
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
            int block = task % p.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / p.blocks;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            long blockStride = p.in.blockStride();
            long pixelStride = p.in.pixelStride();
            long cur = p.in.at(n, block, 0, 0);
            long dst = p.out.at(n, block, 0, 0);
            boolean hasPrev = block > 0;
            boolean hasNext = block + 1 < p.blocks;
            int before = p.before;
            int after = p.after;
            float scale = (float) ((double) p.alpha / p.size);
            float k = p.k;
            float beta = p.beta;
            FloatVector zero = FloatVector.zero(S);
            int real = Math.min(c, p.in.channels() - block * c);
            VectorMask<Float> realLanes = S.indexInRange(0, real);
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            for (int q = p0; q < p1; q++) {
                long at = cur + q * pixelStride;
                FloatVector x = FloatVector.fromMemorySegment(S, arena, at, ORDER);
                FloatVector sqCur = x.mul(x);
                FloatVector sqPrev = zero;
                FloatVector sqNext = zero;
                if (hasPrev && before > 0) {
                    FloatVector v = FloatVector.fromMemorySegment(S, arena, at - blockStride, ORDER);
                    sqPrev = v.mul(v);
                }
                if (hasNext && after > 0) {
                    FloatVector v = FloatVector.fromMemorySegment(S, arena, at + blockStride, ORDER);
                    sqNext = v.mul(v);
                }
                FloatVector sum = zero;
                for (int d = -before; d < 0; d++) {
                    sum = sum.add(d == -c ? sqPrev : sqPrev.slice(c + d, sqCur));
                }
                sum = sum.add(sqCur);
                for (int d = 1; d <= after; d++) {
                    sum = sum.add(d == c ? sqNext : sqCur.slice(d, sqNext));
                }
                FloatVector denominator = sum.fma(scale, k); // d, β = 1
                if (beta != 1f) {
                    denominator = denominator.sqrt(); // √d, β = 0.5
                    if (beta == 0.75f) denominator = denominator.mul(denominator.sqrt()); // √d·√√d
                }
                FloatVector y = x.div(denominator);
                if (real < c) {
                    y = zero.blend(y, realLanes); // padding lanes stay 0 even if k = 0 makes 0/0
                }
                y.intoMemorySegment(arena, dst + q * pixelStride, ORDER);
            }
        }
    }
}
