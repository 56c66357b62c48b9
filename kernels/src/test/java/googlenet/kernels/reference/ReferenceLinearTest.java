package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceLinearTest {

    // n=2, in=3: rows [1, 2, 3] and [4, 5, 6]; weight [out=2][in=3] = [[1, 0, -1], [0.5, 0.5, 0.5]].
    private static final float[] X = {1, 2, 3, 4, 5, 6};
    private static final float[] W = {1, 0, -1, 0.5f, 0.5f, 0.5f};

    @Test
    void withBias() {
        // bias [10, -1]
        // row 0: 10 + 1 - 3 = 8        -1 + 0.5*(1+2+3) = 2
        // row 1: 10 + 4 - 6 = 8        -1 + 0.5*(4+5+6) = 6.5
        float[] y = new float[4];
        ReferenceLinear.linear(X, 2, 3, W, new float[] {10, -1}, 2, y);
        assertArrayEquals(new float[] {8, 2, 8, 6.5f}, y);
    }

    @Test
    void withoutBias() {
        // row 0: 1 - 3 = -2, 0.5*6 = 3      row 1: 4 - 6 = -2, 0.5*15 = 7.5
        float[] y = new float[4];
        ReferenceLinear.linear(X, 2, 3, W, null, 2, y);
        assertArrayEquals(new float[] {-2, 3, -2, 7.5f}, y);
    }

    @Test
    void wrongLengthsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLinear.linear(new float[5], 2, 3, W, null, 2, new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLinear.linear(X, 2, 3, new float[5], null, 2, new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLinear.linear(X, 2, 3, W, new float[3], 2, new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLinear.linear(X, 2, 3, W, null, 2, new float[6]));
    }
}
