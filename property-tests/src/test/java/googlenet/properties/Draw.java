package googlenet.properties;

import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

import java.util.List;

/**
 * Draws from QuickTheories' randomness source inside a hand-written generator. Every value is drawn through the
 * source, so shrinking works on the drawn numbers (towards the low end of each range) and the case they build.
 */
final class Draw {
    private final RandomnessSource in;

    Draw(RandomnessSource in) {
        this.in = in;
    }

    /** An int in [lo, hi], shrinking towards lo. */
    int between(int lo, int hi) {
        return (int) in.next(Constraint.between(lo, hi));
    }

    /** True with probability about {@code 1/n}, shrinking to false. */
    boolean oneIn(int n) {
        return between(0, n - 1) == n - 1;
    }

    boolean bool() {
        return between(0, 1) == 1;
    }

    <T> T pick(List<T> options) {
        return options.get(between(0, options.size() - 1));
    }

    int pick(int... options) {
        return options[between(0, options.length - 1)];
    }

    /** A size that is usually small: [lo, smallHi] three times in four, else [lo, hi]. */
    int skewed(int lo, int smallHi, int hi) {
        return oneIn(4) ? between(lo, hi) : between(lo, smallHi);
    }

    /** A seed for the data of a case (the data itself is too large to print). */
    long dataSeed() {
        return in.next(Constraint.between(0, 1_000_000));
    }
}
