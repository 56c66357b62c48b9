package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceActivationsTest {

    private static final float[] INPUT = {
        -1, 0, 2.5f, Float.NaN, -0.0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f};
    // Negatives and -0 become +0 (assertArrayEquals compares bit patterns, so +0 is checked); NaN stays NaN.
    private static final float[] EXPECTED = {
        0, 0, 2.5f, Float.NaN, 0, 0, Float.POSITIVE_INFINITY, Float.MIN_VALUE, 0};

    @Test
    void relu() {
        float[] y = new float[INPUT.length];
        ReferenceActivations.relu(INPUT, y);
        assertArrayEquals(EXPECTED, y);
    }

    @Test
    void reluInPlace() {
        float[] x = INPUT.clone();
        ReferenceActivations.relu(x, x);
        assertArrayEquals(EXPECTED, x);
    }

    @Test
    void wrongLengthThrows() {
        assertThrows(IllegalArgumentException.class, () -> ReferenceActivations.relu(new float[3], new float[2]));
    }
}
