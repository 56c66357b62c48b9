package googlenet.cli;

/** Indices of the k largest scores, largest first (ties: lower index first). */
final class TopK {
    private TopK() {
    }

    static int[] indices(float[] scores, int k) {
        int n = Math.min(k, scores.length);
        int[] top = new int[n];
        int filled = 0;
        for (int i = 0; i < scores.length; i++) {
            int pos = filled;
            while (pos > 0 && Float.compare(scores[i], scores[top[pos - 1]]) > 0) pos--;
            if (pos >= n) continue;
            System.arraycopy(top, pos, top, pos + 1, Math.min(filled, n - 1) - pos);
            top[pos] = i;
            if (filled < n) filled++;
        }
        return top;
    }
}
