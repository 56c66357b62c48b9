package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReferenceSoftmaxTest {

    private static final float EPS = 1e-6f;
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    // softmax([0, 1]) = [1/(1+e), e/(1+e)] with e = 2.718281828...: 1/3.718281828 = 0.2689414, rest 0.7310586.
    private static final float[] TWO_CLASS = {0.2689414f, 0.7310586f};

    private static float[] softmax(float[] x, int n, int classes) {
        float[] y = new float[x.length];
        ReferenceSoftmax.softmax(x, n, classes, y);
        return y;
    }

    @Test
    void equalLogits() {
        // [3, 3, 3, 3] -> each exp(0)/4 = 0.25
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, softmax(new float[] {3, 3, 3, 3}, 1, 4));
    }

    @Test
    void twoClasses() {
        assertArrayEquals(TWO_CLASS, softmax(new float[] {0, 1}, 1, 2), EPS);
    }

    @Test
    void threeClasses() {
        // [1, 2, 3] -> [e, e^2, e^3] / (e + e^2 + e^3) = [1, e, e^2] / (1 + e + e^2)
        // 1 + 2.7182818 + 7.3890561 = 11.1073379 -> [0.0900306, 0.2447285, 0.6652410]
        assertArrayEquals(new float[] {0.0900306f, 0.2447285f, 0.6652410f},
                softmax(new float[] {1, 2, 3}, 1, 3), EPS);
    }

    @Test
    void largeLogitsDoNotOverflow() {
        // exp(1000) overflows a double, but [1000, 1001] - 1001 = [-1, 0], which is [0, 1] shifted: same result.
        assertArrayEquals(TWO_CLASS, softmax(new float[] {1000, 1001}, 1, 2), EPS);
        // [-1001, -1000]: both exps underflow without the shift; same answer again.
        assertArrayEquals(TWO_CLASS, softmax(new float[] {-1001, -1000}, 1, 2), EPS);
    }

    @Test
    void rowsAreIndependent() {
        // Row 0 = [0, 1]; row 1 = [5, 5] -> [0.5, 0.5].
        float[] y = softmax(new float[] {0, 1, 5, 5}, 2, 2);
        assertArrayEquals(new float[] {TWO_CLASS[0], TWO_CLASS[1], 0.5f, 0.5f}, y, EPS);
    }

    @Test
    void nanPoisonsOnlyItsRow() {
        float[] y = softmax(new float[] {1, NAN, 2, 0, 1, 2}, 2, 3);
        assertArrayEquals(new float[] {NAN, NAN, NAN}, Arrays.copyOfRange(y, 0, 3));
        // [0, 1, 2] = [1, 2, 3] shifted: [0.0900306, 0.2447285, 0.6652410]
        assertArrayEquals(new float[] {0.0900306f, 0.2447285f, 0.6652410f},
                Arrays.copyOfRange(y, 3, 6), EPS);
    }

    @Test
    void nonFiniteInputsFollowIeee() {
        // +Inf: max is +Inf, Inf - Inf = NaN, so the whole row is NaN.
        assertArrayEquals(new float[] {NAN, NAN}, softmax(new float[] {1, INF}, 1, 2));
        // -Inf next to finite values: exp(-Inf) = 0.
        assertArrayEquals(new float[] {1, 0}, softmax(new float[] {0, -INF}, 1, 2));
        // All -Inf: -Inf - -Inf = NaN.
        assertArrayEquals(new float[] {NAN, NAN}, softmax(new float[] {-INF, -INF}, 1, 2));
    }

    @Test
    void inPlace() {
        float[] x = {0, 1};
        ReferenceSoftmax.softmax(x, 1, 2, x);
        assertArrayEquals(TWO_CLASS, x, EPS);
    }

    @Test
    void wrongLengthsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceSoftmax.softmax(new float[3], 2, 2, new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceSoftmax.softmax(new float[4], 2, 2, new float[3]));
    }
}
