package googlenet.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EvaluationTest {
    @Test
    void countsAccuraciesAndConfusionByHand() {
        Evaluation e = new Evaluation(List.of("a", "b", "c"));
        e.add(0, 0);
        e.add(0, 1);
        e.add(1, 1);
        e.add(2, 1);
        assertEquals(4, e.total());
        assertEquals(2, e.correct());
        assertEquals(0.5, e.accuracy());
        assertArrayEquals(new long[]{1, 1, 0}, e.confusion()[0]);
        assertArrayEquals(new long[]{0, 1, 0}, e.confusion()[2 - 1]);
        assertArrayEquals(new long[]{0, 1, 0}, e.confusion()[2]);
        double[] perClass = e.perClassAccuracy();
        assertEquals(0.5, perClass[0]);
        assertEquals(1.0, perClass[1]);
        assertEquals(0.0, perClass[2]);
    }

    @Test
    void digestIsSha256OfOneBytePerPrediction() {
        Evaluation e = new Evaluation(List.of("a", "b"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", e.predictionsSha256()); // SHA-256 of nothing
        e.add(1, 0);
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", e.predictionsSha256()); // of the byte 0x00
        assertEquals("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", e.predictionsSha256()); // reading does not end it
    }

    @Test
    void argmaxTakesTheFirstOfEqualScores() {
        float[] y = {9, 1, 3, 3, 2};
        assertEquals(1, Evaluation.argmax(y, 1, 4));
        assertEquals(0, Evaluation.argmax(y, 0, 5));
    }
}
