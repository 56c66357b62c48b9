package googlenet.engine.compile.passes;

import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Dropout;
import googlenet.graph.op.Fused;
import googlenet.graph.op.Relu;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each pass changes the graph's structure as it says and leaves what it computes unchanged (reference interpreter). */
class PassesTest {
    private static final Shape SMALL = Shape.of(2, 3, 64, 64);

    /** bvlc's 7×7 average pool needs the full 224×224 input; the others run at 64×64. */
    private static Graph seeded(String name) {
        Shape shape = name.equals("bvlc") ? Shape.of(1, 3, 224, 224) : SMALL;
        return SeededWeights.apply(Builtins.build(name, shape, 10), 7);
    }

    private static Map<String, Tensor> input(Graph g) {
        Node in = g.inputs().getFirst();
        float[] x = new float[(int) in.shape().elements()];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i * 0.013) * 2;
        return Map.of(in.name(), new Tensor(in.shape(), x));
    }

    private static void assertSameOutputs(Graph before, Graph after) {
        Map<String, Tensor> a = ReferenceInterpreter.run(before, input(before), (n, t) -> { });
        Map<String, Tensor> b = ReferenceInterpreter.run(after, input(after), (n, t) -> { });
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            float[] x = a.get(k).data();
            float[] y = b.get(k).data();
            float tol = 1e-5f * a.get(k).maxAbs() + 1e-6f;
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(x[i] - y[i]) <= tol, k + "[" + i + "]: " + x[i] + " vs " + y[i]);
            }
        }
    }

    private static long count(Graph g, Class<?> op) {
        return g.nodes().stream().filter(n -> op.isInstance(n.op())).count();
    }

    @Test
    void foldBatchNormRemovesEveryBatchNormOfTorchvision() {
        Graph g = seeded("torchvision");
        assertEquals(57 + 2, count(g, BatchNorm.class)); // 3 stem convs + 9 blocks × 6 + 2 aux convs
        Graph folded = new FoldBatchNorm().apply(g);
        assertEquals(0, count(folded, BatchNorm.class));
        assertTrue(folded.nodes().stream().filter(n -> n.op() instanceof Conv2d).allMatch(n -> ((Conv2d) n.op()).bias()));
        assertSameOutputs(g, folded);
    }

    @Test
    void dropIdentitiesRemovesDropout() {
        Graph g = seeded("torchvision");
        Graph dropped = new DropIdentities().apply(g);
        assertEquals(3, count(g, Dropout.class));
        assertEquals(0, count(dropped, Dropout.class));
        assertSameOutputs(g, dropped);
    }

    @Test
    void fuseActivationsLeavesNoStandaloneReluInD2l() {
        Graph g = seeded("d2l");
        Graph fused = new FuseActivations().apply(g);
        assertEquals(0, count(fused, Relu.class));
        assertEquals(count(g, Conv2d.class), count(fused, Fused.class));
        assertSameOutputs(g, fused);
    }

    @Test
    void pruneDropsTheAuxiliaryHeadsUnlessAsked() {
        Graph g = seeded("torchvision");
        Graph logits = new PruneToOutputs(List.of("logits")).apply(g);
        assertFalse(logits.nodes().stream().map(Node::name).anyMatch(n -> n.startsWith("aux")));
        Graph all = new PruneToOutputs(List.of("logits", "aux1", "aux2")).apply(g);
        assertEquals(g.nodes().size(), all.nodes().size());
    }

    @Test
    void wholePipelineOnEveryBuiltinKeepsTheOutputs() {
        for (String name : Builtins.NAMES) {
            Graph g = seeded(name);
            List<String> outputs = List.copyOf(g.outputs().keySet());
            Graph compiled = Passes.run(g, Passes.inference(outputs));
            assertEquals(0, count(compiled, BatchNorm.class), name);
            assertEquals(0, count(compiled, Dropout.class), name);
            assertSameOutputs(g, compiled);
        }
    }

    @Test
    void aConvThatIsAnOutputKeepsItsRelu() {
        var b = new googlenet.graph.GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 2, 4, 4));
        String conv = b.add("conv", Conv2d.of(2, 2, 1), x);
        b.output("features", conv).output("activated", b.add("relu", new Relu(), conv));
        Graph g = b.build();
        assertEquals(g.nodes().size(), new FuseActivations().apply(g).nodes().size());
    }
}
