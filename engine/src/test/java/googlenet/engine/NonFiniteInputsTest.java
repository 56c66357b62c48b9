package googlenet.engine;

import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Relu;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NaN and ±Inf inputs go through the compiled engine as IEEE 754 and the reference interpreter say (and as PyTorch
 * does): NaN propagates through conv, ReLU (relu(NaN) = NaN) and max pooling (a window holding a NaN gives NaN);
 * +Inf stays +Inf through ReLU and max pooling, −Inf becomes 0 through ReLU; Inf − Inf and 0 · Inf give NaN.
 * Nothing crashes, and the next run on finite input is unaffected.
 */
class NonFiniteInputsTest {
    /** x[1,4,8,8] → 1×1 conv 4→16 (+bias) → ReLU → max pool 2/2: each output depends on few inputs, so effects stay local. */
    private static Graph local() {
        GraphBuilder b = new GraphBuilder("local");
        String x = b.input("x", Shape.of(1, 4, 8, 8));
        x = b.add("conv", Conv2d.of(4, 16, 1), x);
        x = b.add("relu", new Relu(), x);
        x = b.add("pool", MaxPool2d.of(2, 2, 0, false), x);
        return SeededWeights.apply(b.output("y", x).build(), 9);
    }

    /** 0 finite, 1 NaN, 2 +Inf, 3 −Inf. */
    private static int kind(float v) {
        return Float.isNaN(v) ? 1 : v == Float.POSITIVE_INFINITY ? 2 : v == Float.NEGATIVE_INFINITY ? 3 : 0;
    }

    @Test
    void nanAndInfinitiesPropagateAsTheReferenceInterpreterSays() {
        Graph g = local();
        float[] x = new float[4 * 8 * 8];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i) * 0.5f;
        x[0] = Float.NaN;                         // channel 0, pixel (0,0): pool window (0,0) becomes NaN
        x[64 + 3 * 8 + 3] = Float.POSITIVE_INFINITY; // channel 1, pixel (3,3): ±Inf by each filter's weight sign
        x[2 * 64 + 5 * 8 + 5] = Float.NEGATIVE_INFINITY;
        x[3 * 64 + 5 * 8 + 5] = Float.POSITIVE_INFINITY; // same pixel: some filters get Inf − Inf = NaN
        float[] expected = ReferenceInterpreter.run(g, new Tensor(Shape.of(1, 4, 8, 8), x)).data();
        float[] actual = new float[16 * 4 * 4];
        try (Model m = Model.load(g, Options.threads(2)); Session s = m.newSession(1)) {
            s.run(x, actual);
        }
        int[] kinds = new int[4];
        for (int i = 0; i < expected.length; i++) {
            assertEquals(kind(expected[i]), kind(actual[i]), "output " + i + ": expected " + expected[i] + ", got " + actual[i]);
            if (kind(expected[i]) == 0) assertEquals(expected[i], actual[i], 1e-5f, "output " + i);
            kinds[kind(expected[i])]++;
        }
        assertTrue(kinds[1] >= 16, "every filter's window (0,0) is NaN, and more: " + kinds[1]);
        assertTrue(kinds[2] > 0, "some +Inf survive ReLU and the pool");
        assertTrue(kinds[0] > 0);
    }

    @Test
    void aNanInputPoisonsOnlyItsOwnRun() {
        try (Model m = Model.load(TinyD2l.graph(6), Options.threads(2)); Session s = m.newSession(1)) {
            float[] finite = TinyD2l.input(1);
            float[] before = new float[TinyD2l.CLASSES];
            s.run(finite, before);
            float[] nan = finite.clone();
            nan[100] = Float.NaN;
            float[] poisoned = new float[TinyD2l.CLASSES];
            s.run(nan, poisoned);
            for (float v : poisoned) assertTrue(Float.isNaN(v), "a NaN pixel reaches every logit through the global pool");
            float[] inf = finite.clone();
            java.util.Arrays.fill(inf, Float.POSITIVE_INFINITY);
            s.run(inf, poisoned);
            float[] after = new float[TinyD2l.CLASSES];
            s.run(finite, after);
            assertArrayEquals(before, after, "the arena holds nothing over from the non-finite runs");
        }
    }
}
