package googlenet.properties;

import org.quicktheories.QuickTheory;

/**
 * How every property runs: a fixed default seed and {@value #DEFAULT_TRIES} cases, both overridable from the
 * command line ({@code -Dproperty.seed=S}, {@code -Dproperty.tries=N}; Surefire passes Maven's {@code -D} user
 * properties on to the test JVM), and {@code -Dproperty.shrinks=K} shrink cycles. On failure QuickTheories'
 * reporter throws an {@link AssertionError} that names the smallest falsifying case it shrank to, other falsifying
 * cases it met, and the seed: replay with {@code -Dproperty.seed=<that seed>}.
 */
public final class Properties {
    /** Cases per property when {@code -Dproperty.tries} is not given. */
    public static final int DEFAULT_TRIES = 200;
    /** The seed every property starts from when {@code -Dproperty.seed} is not given. */
    public static final long DEFAULT_SEED = 0x600913L;
    private static final int DEFAULT_SHRINKS = 200;

    private Properties() {
    }

    /** Cases per property: {@code -Dproperty.tries}, else {@value #DEFAULT_TRIES}. */
    public static int tries() {
        return Integer.getInteger("property.tries", DEFAULT_TRIES);
    }

    /** The seed: {@code -Dproperty.seed} (decimal, or hex with 0x), else {@link #DEFAULT_SEED}. */
    public static long seed() {
        String s = System.getProperty("property.seed");
        return s == null || s.isBlank() ? DEFAULT_SEED : Long.decode(s.trim());
    }

    /** A theory runner with the seed, the tries and the shrink budget of this run. */
    public static QuickTheory qt() {
        return QuickTheory.qt()
                .withFixedSeed(seed())
                .withExamples(tries())
                .withShrinkCycles(Integer.getInteger("property.shrinks", DEFAULT_SHRINKS))
                .withGenerateAttempts(10_000)
                .withUnlimitedTestingTime();
    }
}
