package googlenet.cli;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions against true labels, accumulated image by image: the confusion matrix (rows = true class), accuracies,
 * and the SHA-256 of the predicted class indices as one byte each, in order — the digest {@code tools/train_fashion.py}
 * records for PyTorch's predictions.
 */
final class Evaluation {
    private final List<String> classes;
    private final long[][] confusion;
    private final MessageDigest digest;
    private int total;
    private int correct;

    Evaluation(List<String> classes) {
        this.classes = List.copyOf(classes);
        this.confusion = new long[classes.size()][classes.size()];
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(int truth, int predicted) {
        confusion[truth][predicted]++;
        digest.update((byte) predicted);
        total++;
        if (truth == predicted) correct++;
    }

    /** The index of the largest score in {@code scores[from, from + n)}, relative to {@code from}; ties go to the lower index. */
    static int argmax(float[] scores, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) if (scores[from + i] > scores[from + best]) best = i;
        return best;
    }

    int total() {
        return total;
    }

    int correct() {
        return correct;
    }

    double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    long[][] confusion() {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < copy.length; i++) copy[i] = confusion[i].clone();
        return copy;
    }

    /** Per true class: correct ÷ images of that class (NaN for a class with no images). */
    double[] perClassAccuracy() {
        double[] a = new double[classes.size()];
        for (int c = 0; c < a.length; c++) {
            long n = 0;
            for (long v : confusion[c]) n += v;
            a[c] = n == 0 ? Double.NaN : (double) confusion[c][c] / n;
        }
        return a;
    }

    /** SHA-256 (hex) of the predictions so far; does not end the accumulation. */
    String predictionsSha256() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    List<String> classes() {
        return classes;
    }

    Map<String, Object> toJson() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("accuracy", accuracy());
        r.put("correct", correct);
        r.put("total", total);
        Map<String, Object> perClass = new LinkedHashMap<>();
        double[] a = perClassAccuracy();
        for (int c = 0; c < a.length; c++) perClass.put(classes.get(c), Double.isNaN(a[c]) ? null : a[c]);
        r.put("perClassAccuracy", perClass);
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : confusion) rows.add(java.util.Arrays.stream(row).boxed().toList());
        r.put("confusionMatrix", rows);
        r.put("predictionsSha256", predictionsSha256());
        return r;
    }
}
