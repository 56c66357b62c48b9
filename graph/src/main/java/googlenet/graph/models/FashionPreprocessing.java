package googlenet.graph.models;

/**
 * How {@code d2l-fashion} turns a 28×28 grayscale image into its input, exactly as {@code tools/train_fashion.py} did for
 * training and for PyTorch's test predictions: every byte {@code k} becomes {@code float(((k / 255) - mean) / std)},
 * computed in double (IEEE arithmetic in both languages, so the 256 values are the same bits), and every pixel is
 * repeated {@code factor × factor} times (nearest neighbour at an integer factor: no interpolation, nothing to round).
 */
public record FashionPreprocessing(double mean, double std, int factor) {
    public FashionPreprocessing {
        if (!(std > 0)) throw new IllegalArgumentException("std must be > 0, got " + std);
        if (factor < 1) throw new IllegalArgumentException("factor must be ≥ 1, got " + factor);
    }

    public int outputSide() {
        return FashionMnist.SIDE * factor;
    }

    public int outputFloats() {
        return outputSide() * outputSide();
    }

    /** The value of each byte 0–255. */
    public float[] table() {
        float[] t = new float[256];
        for (int k = 0; k < 256; k++) t[k] = (float) (((k / 255.0) - mean) / std);
        return t;
    }

    /**
     * Writes image {@code image} of {@code pixels} (28×28 bytes each, row-major) as one 1×S×S plane (S = 28 × factor)
     * into {@code dst} at {@code dstOffset}.
     */
    public void apply(float[] table, byte[] pixels, int image, float[] dst, int dstOffset) {
        int side = FashionMnist.SIDE;
        int out = outputSide();
        int src = image * side * side;
        for (int y = 0; y < out; y++) {
            int row = src + (y / factor) * side;
            int d = dstOffset + y * out;
            for (int x = 0; x < out; x++) dst[d + x] = table[pixels[row + x / factor] & 0xff];
        }
    }
}
