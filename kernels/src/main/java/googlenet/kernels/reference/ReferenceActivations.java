package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference element-wise activations over float32 arrays of any shape. {@code relu(v) = v > 0 ? v : +0},
 * except that NaN stays NaN (so -0 maps to +0).
 */
public final class ReferenceActivations {

    private ReferenceActivations() {}

    /**
     * {@code y[i] = relu(x[i])}; {@code y} may be the same array as {@code x}.
     *
     * @throws IllegalArgumentException if the arrays differ in length
     */
    public static void relu(float[] x, float[] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (y.length != x.length) {
            throw new IllegalArgumentException("y: expected length " + x.length + " but was " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            float v = x[i];
            y[i] = v > 0 || Float.isNaN(v) ? v : 0f;
        }
    }
}
