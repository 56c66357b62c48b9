package googlenet.kernels.norm;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PixelTiledShape;
import googlenet.kernels.PixelTiles;


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
 * <p>
 * The factory of {@link LrnScalar} and {@link LrnVector}. Tasks: images × pixel tiles × channel blocks
 * ({@link PixelTiles}).
 */
public final class Lrn {
    private static final int PIXELS_PER_TASK = 1024;

    private Lrn() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR} (and the window spans at most three blocks), else scalar. */
    public static Kernel create(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta, float k) {
        Params p = new Params(in, out, size, alpha, beta, k);
        return Blocking.VECTOR && p.before() <= Blocking.LANES && p.after() <= Blocking.LANES && rootsOnly(beta)
                ? VectorFactory.create(p) : new LrnScalar(p);
    }

    /** Whether {@code d^beta} is a product of square roots of {@code d} (see the class note). */
    static boolean rootsOnly(float beta) {
        return beta == 0.5f || beta == 0.75f || beta == 1f;
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta,
                                      float k) {
        return new LrnScalar(new Params(in, out, size, alpha, beta, k));
    }

    /** What the two kernels share: the tensors and the window, checked, and the task split. */
    record Params(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta, float k, int before,
                  int after, PixelTiles tiles) implements PixelTiledShape {
        /** {@code before}, {@code after}: the window's channels below and above the centre. */
        Params(BlockedTensor in, BlockedTensor out, int size, float alpha, float beta, float k) {
            if (in == null || out == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (!in.sameShape(out)) {
                throw new IllegalArgumentException("LRN input and output shapes differ");
            }
            if (size <= 0) {
                throw new IllegalArgumentException("size must be positive, was " + size);
            }
            if (in.overlaps(out)) {
                throw new IllegalArgumentException("LRN output must not overlap its input");
            }
            this(in, out, size, alpha, beta, k, (size - 1) / 2, size - 1 - (size - 1) / 2,
                    PixelTiles.of(in, PIXELS_PER_TASK));
        }

        @Override
        public String describe() {
            return "lrn size " + size + " alpha " + alpha + " beta " + beta + " k " + k + " " + in.dims();
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return new LrnVector(p);
        }
    }
}
