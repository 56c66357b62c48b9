package googlenet.engine;

/** Logits to probabilities. */
public final class Probabilities {
    private Probabilities() {
    }

    public static float[] softmax(float[] logits) {
        return softmax(logits, 0, logits.length);
    }

    /** The softmax of {@code logits[from .. from + length)} (one image of a batch), computed in double after subtracting the maximum. */
    public static float[] softmax(float[] logits, int from, int length) {
        if (from < 0 || length < 1 || from + length > logits.length) {
            throw new IndexOutOfBoundsException("logits[" + from + " .. " + (from + length) + ") of " + logits.length);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) max = Math.max(max, logits[from + i]);
        double[] e = new double[length];
        double sum = 0;
        for (int i = 0; i < length; i++) {
            e[i] = Math.exp(logits[from + i] - max);
            sum += e[i];
        }
        float[] p = new float[length];
        for (int i = 0; i < length; i++) p[i] = (float) (e[i] / sum);
        return p;
    }
}
