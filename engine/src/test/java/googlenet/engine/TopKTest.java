package googlenet.engine;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TopKTest {
    @Test
    void ordersByScoreWithTiesToTheLowerIndex() {
        assertArrayEquals(new int[]{3, 1, 0}, TopK.indices(new float[]{0.1f, 0.5f, -1f, 0.9f}, 3));
        assertArrayEquals(new int[]{0, 1}, TopK.indices(new float[]{2f, 2f}, 2));
        assertArrayEquals(new int[]{2}, TopK.indices(new float[]{1f, 2f, 3f}, 1));
        assertArrayEquals(new int[]{1, 0}, TopK.indices(new float[]{1f, 2f}, 5), "k above the length: all, sorted");
        assertArrayEquals(new int[0], TopK.indices(new float[]{1f}, 0));
    }

    @Test
    void scoresOneImageOfABatch() {
        float[] batch = {9f, 9f, 9f, 0.3f, -2f, 0.7f, 0.1f, 9f};
        assertEquals(List.of(new ScoredClass(2, 0.7f), new ScoredClass(0, 0.3f)), TopK.of(batch, 3, 4, 2));
    }

    @Test
    void softmaxByHand() {
        // e^0 : e^ln2 : e^ln(1/2) = 1 : 2 : 0.5 → 2/7, 4/7, 1/7
        float[] p = Probabilities.softmax(new float[]{5f, 0f, (float) Math.log(2), (float) Math.log(0.5), 5f}, 1, 3);
        assertArrayEquals(new float[]{2f / 7, 4f / 7, 1f / 7}, p, 1e-7f);
        float[] big = Probabilities.softmax(new float[]{1000f, 1000f});
        assertArrayEquals(new float[]{0.5f, 0.5f}, big, "no overflow");
    }
}
