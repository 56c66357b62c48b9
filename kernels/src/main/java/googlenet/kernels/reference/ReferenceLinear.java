package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference fully connected layer: {@code y[b][o] = bias[o] + Σ_i x[b][i] * weight[o][i]}. Layouts (C-order):
 * {@code x} is [n][in], {@code weight} is [out][in] (PyTorch), {@code bias} is [out] or {@code null} (no bias),
 * {@code y} is [n][out]. The sum is accumulated in {@code double}, starting from the bias and adding terms in
 * increasing i, and rounded to float once at the store.
 */
public final class ReferenceLinear {

    private ReferenceLinear() {}

    /**
     * Computes {@code y} as described in the class documentation.
     *
     * @throws IllegalArgumentException if a dimension is negative or an array length does not match the dimensions
     */
    public static void linear(float[] x, int n, int in, float[] weight, float[] bias, int out, float[] y) {
        check(n >= 0 && in >= 0 && out >= 0, "dimensions must be non-negative");
        requireLength("x", x, (long) n * in);
        requireLength("weight", weight, (long) out * in);
        if (bias != null) {
            requireLength("bias", bias, out);
        }
        requireLength("y", y, (long) n * out);

        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0.0 : bias[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[b * in + i] * weight[o * in + i];
                }
                y[b * out + o] = (float) acc;
            }
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
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
