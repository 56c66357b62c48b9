package googlenet.kernels.reference;

import java.util.Objects;

/**
 * Scalar reference local response normalization across channels (ONNX LRN, Caffe ACROSS_CHANNELS, PyTorch
 * LocalResponseNorm) over NCHW float32 tensors (C-order); {@code x} and {@code y} are [n][c][h][w]:
 * <pre>
 * y[b][ch][iy][ix] = x[b][ch][iy][ix] / (k + alpha/size * Σ_{j = lo..hi} x[b][j][iy][ix]²)^beta
 * lo = max(0, ch - floor((size-1)/2)),  hi = min(c-1, ch + ceil((size-1)/2))
 * </pre>
 * Channels beyond the edges count as 0. Computed in {@code double} (squares summed in increasing j, then
 * {@link Math#pow}) and rounded to float once at the store.
 */
public final class ReferenceLrn {

    private ReferenceLrn() {}

    /**
     * Computes {@code y} as described in the class documentation.
     *
     * @throws IllegalArgumentException if a dimension is negative, {@code size} is not positive, or an array length
     *     does not match the dimensions
     */
    public static void lrn(float[] x, int n, int c, int h, int w,
                           int size, float alpha, float beta, float k, float[] y) {
        check(n >= 0 && c >= 0 && h >= 0 && w >= 0, "dimensions must be non-negative");
        check(size > 0, "size must be positive, was " + size);
        requireLength("x", x, (long) n * c * h * w);
        requireLength("y", y, (long) n * c * h * w);

        int before = (size - 1) / 2;
        int after = size - 1 - before; // ceil((size-1)/2)
        double scale = (double) alpha / size;
        int plane = h * w;
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                int lo = Math.max(0, ch - before);
                int hi = Math.min(c - 1, ch + after);
                for (int p = 0; p < plane; p++) {
                    double sumSquares = 0.0;
                    for (int j = lo; j <= hi; j++) {
                        double v = x[(b * c + j) * plane + p];
                        sumSquares += v * v;
                    }
                    int i = (b * c + ch) * plane + p;
                    y[i] = (float) (x[i] / Math.pow(k + scale * sumSquares, beta));
                }
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
