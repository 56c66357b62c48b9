package googlenet.engine.image;

/**
 * The bilinear (triangle) filter taps of one axis, computed as Pillow's {@code precompute_coeffs} and
 * {@code normalize_coeffs_8bpc} compute them: when shrinking, the support widens by the scale factor (antialiasing);
 * weights are normalized to sum 1, then turned into fixed point with {@link #PRECISION_BITS} fraction bits.
 *
 * @param taps   the row length of {@code weights}: the most taps any output sample uses
 * @param first  per output sample, the first input sample it reads
 * @param count  per output sample, how many input samples it reads
 * @param weights per output sample, {@code taps} fixed-point weights (unused ones 0)
 */
record ResampleWeights(int taps, int[] first, int[] count, int[] weights) {
    static final int PRECISION_BITS = 32 - 8 - 2;

    static ResampleWeights bilinear(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * taps];
        double[] k = new double[taps];
        double inverseScale = 1.0 / filterScale;
        for (int out = 0; out < outSize; out++) {
            double center = (out + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int n = Math.min((int) (center + support + 0.5), inSize) - min;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                k[i] = triangle((i + min - center + 0.5) * inverseScale);
                sum += k[i];
            }
            for (int i = 0; i < n; i++) {
                double w = sum != 0 ? k[i] / sum : k[i];
                weights[out * taps + i] = (int) (w < 0 ? -0.5 + w * (1 << PRECISION_BITS) : 0.5 + w * (1 << PRECISION_BITS));
            }
            first[out] = min;
            count[out] = n;
        }
        return new ResampleWeights(taps, first, count, weights);
    }

    private static double triangle(double x) {
        double a = Math.abs(x);
        return a < 1 ? 1 - a : 0;
    }

    /** The fixed-point sum of one output sample (with Pillow's rounding offset) as an 8-bit value, clamped. */
    static byte clip8(int sum) {
        return (byte) Math.clamp(sum >> PRECISION_BITS, 0, 255);
    }
}
