package googlenet.cli;

/** Counts NaN and infinite values, for {@code --check-finite}. */
final class NonFinite {
    private NonFinite() {
    }

    static long count(float[] values) {
        long n = 0;
        for (float v : values) if (!Float.isFinite(v)) n++;
        return n;
    }
}
