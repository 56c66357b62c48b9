package googlenet.engine.reference;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.GraphException;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReferenceInterpreterTest {
    private static Tensor t(Shape s, float... v) {
        return new Tensor(s, v);
    }

    /** A two-branch block worked out by hand: 1×1 conv → ReLU beside a 2×2 max pool, concatenated, pooled, classified. */
    @Test
    void smallInceptionStyleGraphByHand() {
        GraphBuilder b = new GraphBuilder("hand");
        String x = b.input("x", Shape.of(1, 1, 2, 2));
        String relu = b.add("relu", new Relu(), b.add("conv", Conv2d.of(1, 1, 1), x));
        String pool = b.add("pool", new MaxPool2d(2, 2, 1, 1, new Padding(0, 0, 1, 1), false), x);
        String cat = b.add("cat", new Concat(1), relu, pool);
        String fc = b.add("fc", Linear.of(2, 2), b.add("flat", new Flatten(), b.add("gap", new GlobalAvgPool(), cat)));
        b.output("scores", fc).output("prob", b.add("softmax", new Softmax(), fc));
        Graph g = b.build(Weights.of(Map.of(
                "conv.weight", t(Shape.of(1, 1, 1, 1), -2f), "conv.bias", t(Shape.of(1), 1f),
                "fc.weight", t(Shape.of(2, 2), 1f, 0f, 1f, -1f), "fc.bias", t(Shape.of(2), 0f, 0.5f))));
        Map<String, Tensor> outs = ReferenceInterpreter.run(g, Map.of("x", t(Shape.of(1, 1, 2, 2), 1, 2, -3, 0)), (n, v) -> { });
        // x = [[1, 2], [-3, 0]]; conv: 1 - 2x = [[-1, -3], [7, 1]] → relu [[0, 0], [7, 1]]
        // pool 2×2/1 padded bottom and right: [[max(1,2,-3,0), max(2,0)], [max(-3,0), 0]] = [[2, 2], [0, 0]]
        // gap: relu mean (0+0+7+1)/4 = 2, pool mean (2+2+0+0)/4 = 1
        // fc: [2·1 + 1·0 + 0, 2·1 + 1·(-1) + 0.5] = [2, 1.5]
        assertArrayEquals(new float[]{2f, 1.5f}, outs.get("scores").data());
        double e = Math.exp(0.5);
        assertArrayEquals(new float[]{(float) (e / (e + 1)), (float) (1 / (e + 1))}, outs.get("prob").data(), 1e-7f);
    }

    @Test
    void eachImageOfABatchEqualsThatImageAlone() {
        Graph one = SeededWeights.apply(Builtins.build("torchvision", Shape.of(1, 3, 64, 64), 10).keepOutputs(
                java.util.List.of("logits")), 3);
        Graph three = one.withInputShape(Shape.of(3, 3, 64, 64));
        float[] batch = new float[3 * 3 * 64 * 64];
        for (int i = 0; i < batch.length; i++) batch[i] = (float) Math.sin(i * 0.37);
        Tensor all = ReferenceInterpreter.run(three, t(Shape.of(3, 3, 64, 64), batch));
        for (int img = 0; img < 3; img++) {
            float[] x = Arrays.copyOfRange(batch, img * 3 * 64 * 64, (img + 1) * 3 * 64 * 64);
            Tensor alone = ReferenceInterpreter.run(one, t(Shape.of(1, 3, 64, 64), x));
            assertArrayEquals(alone.data(), Arrays.copyOfRange(all.data(), img * 10, img * 10 + 10));
        }
    }

    @Test
    void wrongInputShapeAndMissingWeightsAreNamed() {
        Graph g = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 32, 32), 10), 0);
        var shape = assertThrows(GraphException.class, () -> ReferenceInterpreter.run(g, Tensor.zeros(Shape.of(1, 3, 16, 16))));
        assertEquals("input 'x': expected shape (1, 3, 32, 32), got (1, 3, 16, 16)", shape.getMessage());
        var weights = assertThrows(GraphException.class, () -> ReferenceInterpreter.run(g.withWeights(Weights.NONE),
                Tensor.zeros(Shape.of(1, 3, 32, 32))));
        assertEquals("graph 'd2l' has no weights: give weights or seed them", weights.getMessage());
    }
}
