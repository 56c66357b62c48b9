package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference softmax over the last axis of a row-major [n][classes] float32 tensor:
 * <pre>
 * m = max_j x[b][j];  y[b][i] = exp(x[b][i] - m) / Σ_j exp(x[b][j] - m)
 * </pre>
 * Subtracting the row maximum keeps exp from overflowing. Computed in {@code double} (sum in increasing j) and
 * rounded to float once at the store. Non-finite inputs follow IEEE arithmetic, as in PyTorch: a row containing
 * NaN is NaN everywhere; a row containing +Infinity is NaN everywhere (∞ - ∞ is NaN, which poisons the sum); a
 * row of only -Infinity is NaN everywhere (-∞ - -∞); otherwise -Infinity entries give 0.
 */
public final class ReferenceSoftmax {

    private ReferenceSoftmax() {}

    /**
     * Computes {@code y} as described in the class documentation; {@code y} may be the same array as {@code x}.
     *
     * @throws IllegalArgumentException if a dimension is negative or an array length does not match the dimensions
     */
    public static void softmax(float[] x, int n, int classes, float[] y) {
        if (n < 0 || classes < 0) {
            throw new IllegalArgumentException("dimensions must be non-negative");
        }
        requireLength("x", x, (long) n * classes);
        requireLength("y", y, (long) n * classes);

        double[] exps = new double[classes];
        for (int b = 0; b < n; b++) {
            int row = b * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < classes; j++) {
                float v = x[row + j];
                // Once max is NaN no comparison succeeds, so NaN sticks.
                if (v > max || Float.isNaN(v)) {
                    max = v;
                }
            }
            double sum = 0.0;
            for (int j = 0; j < classes; j++) {
                exps[j] = Math.exp((double) x[row + j] - max);
                sum += exps[j];
            }
            for (int j = 0; j < classes; j++) {
                y[row + j] = (float) (exps[j] / sum);
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
