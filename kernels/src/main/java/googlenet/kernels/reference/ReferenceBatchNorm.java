package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference batch normalization in inference mode over NCHW float32 tensors (C-order); {@code x} and
 * {@code y} are [n][c][h][w], the per-channel statistics and affine parameters are [c]:
 * <pre>
 * y[b][ch][iy][ix] = (x[b][ch][iy][ix] - mean[ch]) / sqrt(var[ch] + eps) * gamma[ch] + beta[ch]
 * </pre>
 * Computed in {@code double} (including {@code var + eps}) and rounded to float once at the store.
 */
public final class ReferenceBatchNorm {

    private ReferenceBatchNorm() {}

    /**
     * Computes {@code y} as described in the class documentation; {@code y} may be the same array as {@code x}.
     *
     * @throws IllegalArgumentException if a dimension is negative or an array length does not match the dimensions
     */
    public static void batchNorm(float[] x, int n, int c, int h, int w,
                                 float[] gamma, float[] beta, float[] mean, float[] var, float eps, float[] y) {
        if (n < 0 || c < 0 || h < 0 || w < 0) {
            throw new IllegalArgumentException("dimensions must be non-negative");
        }
        requireLength("x", x, (long) n * c * h * w);
        requireLength("gamma", gamma, c);
        requireLength("beta", beta, c);
        requireLength("mean", mean, c);
        requireLength("var", var, c);
        requireLength("y", y, (long) n * c * h * w);

        int plane = h * w;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double std = Math.sqrt((double) var[ch] + eps);
                int base = (b * c + ch) * plane;
                for (int p = base; p < base + plane; p++) {
                    y[p] = (float) (((double) x[p] - mean[ch]) / std * gamma[ch] + beta[ch]);
                }
            }
        }
    }

    private static void requireLength(String name, float[] array, long expected) {
        Objects.requireNonNull(array, name);
        if (array.length != expected) {
            throw new IllegalArgumentException(
                    name + ": expected length " + expected + " but was " + array.length);
        }
    }
}
