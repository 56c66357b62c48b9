package googlenet.engine;

import java.util.ArrayList;
import java.util.List;

/** The k highest scores of an output, highest first; ties go to the lower index. NaN ranks above every number. */
public final class TopK {
    private TopK() {
    }

    /** The top {@code k} of {@code scores}. */
    public static List<ScoredClass> of(float[] scores, int k) {
        return of(scores, 0, scores.length, k);
    }

    /** The top {@code k} of {@code scores[from .. from + length)}, indices counted from {@code from}: one image of a batch. */
    public static List<ScoredClass> of(float[] scores, int from, int length, int k) {
        int[] top = indices(scores, from, length, k);
        List<ScoredClass> result = new ArrayList<>(top.length);
        for (int i : top) result.add(new ScoredClass(i, scores[from + i]));
        return List.copyOf(result);
    }

    public static int[] indices(float[] scores, int k) {
        return indices(scores, 0, scores.length, k);
    }

    /** Insertion into a sorted list of at most k indices: O(n·k), allocation of the k-array only. */
    public static int[] indices(float[] scores, int from, int length, int k) {
        if (k < 0) throw new IllegalArgumentException("k must be ≥ 0, got " + k);
        if (from < 0 || length < 0 || from + length > scores.length) {
            throw new IndexOutOfBoundsException("scores[" + from + " .. " + (from + length) + ") of " + scores.length);
        }
        int n = Math.min(k, length);
        int[] top = new int[n];
        int filled = 0;
        for (int i = 0; i < length; i++) {
            float s = scores[from + i];
            int pos = filled;
            while (pos > 0 && Float.compare(s, scores[from + top[pos - 1]]) > 0) pos--;
            if (pos >= n) continue;
            System.arraycopy(top, pos, top, pos + 1, Math.min(filled, n - 1) - pos);
            top[pos] = i;
            if (filled < n) filled++;
        }
        return top;
    }
}
