package googlenet.kernels.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReferenceLrnTest {

    private static final float EPS = 1e-6f;

    private static float[] lrn(float[] x, int n, int c, int h, int w, int size, float alpha, float beta, float k) {
        float[] y = new float[x.length];
        ReferenceLrn.lrn(x, n, c, h, w, size, alpha, beta, k, y);
        return y;
    }

    @Test
    void size5OnThreeChannelsSeesAllChannels() {
        // size 5: window ch-2..ch+2, clipped to 0..2, so every channel sums all squares 1+4+9 = 14.
        // alpha 5 (alpha/size = 1), beta 1, k 1: denominator 1 + 14 = 15.
        float[] y = lrn(new float[] {1, 2, 3}, 1, 3, 1, 1, 5, 5f, 1f, 1f);
        assertArrayEquals(new float[] {1f / 15, 2f / 15, 3f / 15}, y, EPS);
    }

    @Test
    void size5OnFourChannelsClipsAtBothEdges() {
        // x = [1, 2, 3, 4], squares [1, 4, 9, 16]; size 5: window ch-2..ch+2 clipped to 0..3.
        // ch0: j 0..2 -> 1+4+9 = 14     -> 1/(1+14) = 1/15
        // ch1: j 0..3 -> 30             -> 2/31
        // ch2: j 0..3 -> 30             -> 3/31
        // ch3: j 1..3 -> 4+9+16 = 29    -> 4/30
        float[] y = lrn(new float[] {1, 2, 3, 4}, 1, 4, 1, 1, 5, 5f, 1f, 1f);
        assertArrayEquals(new float[] {1f / 15, 2f / 31, 3f / 31, 4f / 30}, y, EPS);
    }

    @Test
    void evenSizeLooksFurtherAhead() {
        // size 4: window ch - floor(3/2) .. ch + ceil(3/2) = ch-1 .. ch+2. alpha 4 (alpha/size = 1), beta 1, k 1.
        // ch0: j 0..2 -> 14 -> 1/15     ch1: j 0..3 -> 30 -> 2/31
        // ch2: j 1..3 -> 29 -> 3/30     ch3: j 2..3 -> 9+16 = 25 -> 4/26
        float[] y = lrn(new float[] {1, 2, 3, 4}, 1, 4, 1, 1, 4, 4f, 1f, 1f);
        assertArrayEquals(new float[] {1f / 15, 2f / 31, 3f / 30, 4f / 26}, y, EPS);
    }

    @Test
    void spatialPositionsAreIndependent() {
        // n=2, c=2, 1x2 planes, size 3 (window ch-1..ch+1), alpha 3 (alpha/size = 1), beta 1, k 1.
        // image 0: ch0 = [1, 2], ch1 = [3, 4]
        //   position 0: 1+9 = 10 -> 1/11, 3/11      position 1: 4+16 = 20 -> 2/21, 4/21
        // image 1: ch0 = [0, 1], ch1 = [2, 0]
        //   position 0: 0+4 = 4 -> 0/5, 2/5         position 1: 1+0 = 1 -> 1/2, 0/2
        float[] x = {1, 2, 3, 4, 0, 1, 2, 0};
        float[] y = lrn(x, 2, 2, 1, 2, 3, 3f, 1f, 1f);
        assertArrayEquals(new float[] {1f / 11, 2f / 21, 3f / 11, 4f / 21, 0, 0.5f, 0.4f, 0}, y, EPS);
    }

    @Test
    void fractionalBeta() {
        // size 1, alpha 1, beta 0.5, k 5, x = 2: 2 / (5 + 1*4)^0.5 = 2/3
        float[] y = lrn(new float[] {2}, 1, 1, 1, 1, 1, 1f, 0.5f, 5f);
        assertArrayEquals(new float[] {2f / 3}, y, EPS);
    }

    @Test
    void googlenetParameters() {
        // size 5, alpha 1e-4, beta 0.75, k 1 on a single channel x = 10:
        // 10 / (1 + 1e-4/5 * 100)^0.75 = 10 / 1.002^0.75
        // 1.002^0.75 = 1 + 0.75*0.002 - (0.75*0.25/2)*0.002^2 + ... = 1.0014996..., 10 / 1.0014996 = 9.985026...
        float[] y = lrn(new float[] {10}, 1, 1, 1, 1, 5, 1e-4f, 0.75f, 1f);
        assertArrayEquals(new float[] {9.985026f}, y, 1e-5f);
    }

    @Test
    void wrongLengthsThrow() {
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLrn.lrn(new float[3], 1, 4, 1, 1, 5, 1f, 1f, 1f, new float[4]));
        assertThrows(IllegalArgumentException.class,
                () -> ReferenceLrn.lrn(new float[4], 1, 4, 1, 1, 5, 1f, 1f, 1f, new float[3]));
    }
}
