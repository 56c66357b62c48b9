package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceBatchNormTest {

    // c=2, eps=1:
    // ch0: gamma 3, beta 1,   mean 1,  var 3 -> sqrt(3+1) = 2,  y = (x - 1)/2*3 + 1
    // ch1: gamma 1, beta 0.5, mean -2, var 0 -> sqrt(0+1) = 1,  y = (x + 2) + 0.5
    private static final float[] GAMMA = {3, 1};
    private static final float[] BETA = {1, 0.5f};
    private static final float[] MEAN = {1, -2};
    private static final float[] VAR = {3, 0};

    @Test
    void batchNorm() {
        // n=2, 1x2 planes.
        // image 0: ch0 [5, -1] -> [4/2*3+1, -2/2*3+1] = [7, -2];   ch1 [0, 1]   -> [2.5, 3.5]
        // image 1: ch0 [1, 3]  -> [0*3+1, 2/2*3+1]    = [1, 4];    ch1 [-2, -4] -> [0.5, -1.5]
        float[] x = {5, -1, 0, 1, 1, 3, -2, -4};
        float[] y = new float[8];
        ReferenceBatchNorm.batchNorm(x, 2, 2, 1, 2, GAMMA, BETA, MEAN, VAR, 1f, y);
        assertArrayEquals(new float[] {7, -2, 2.5f, 3.5f, 1, 4, 0.5f, -1.5f}, y);
    }

    @Test
    void epsilonIsAddedToVariance() {
        // var 0.75, eps 0.25 -> sqrt(1) = 1; gamma 2, beta 0, mean 0: y = 2x. x = [1.5] -> 3.
        float[] y = new float[1];
        ReferenceBatchNorm.batchNorm(new float[] {1.5f}, 1, 1, 1, 1, new float[] {2}, new float[] {0},
                new float[] {0}, new float[] {0.75f}, 0.25f, y);
        assertArrayEquals(new float[] {3}, y);
    }

    @Test
    void wrongLengthsThrow() {
        float[] x = new float[4];
        float[] y = new float[4];
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(new float[3], 1, 2, 1, 2, GAMMA, BETA, MEAN, VAR, 1f, y));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(x, 1, 2, 1, 2, new float[1], BETA, MEAN, VAR, 1f, y));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(x, 1, 2, 1, 2, GAMMA, new float[3], MEAN, VAR, 1f, y));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(x, 1, 2, 1, 2, GAMMA, BETA, new float[1], VAR, 1f, y));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(x, 1, 2, 1, 2, GAMMA, BETA, MEAN, new float[1], 1f, y));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceBatchNorm.batchNorm(x, 1, 2, 1, 2, GAMMA, BETA, MEAN, VAR, 1f, new float[5]));
    }
}
