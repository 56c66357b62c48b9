package googlenet.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import googlenet.engine.compile.passes.Passes;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.OnnxExporter;
import googlenet.graph.op.AdaptiveAvgPool2d;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Fused;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exported models run on ONNX Runtime give what the reference interpreter gives, within
 * 1e-5·max|y| + 1e-6: the exporter's attributes (pads order, ceil mode, count_include_pad, LRN, Gemm, BatchNorm)
 * mean in ONNX what they mean in our IR.
 */
class OnnxRuntimeParityTest {
    private static OrtEnvironment env;

    /** A process-wide singleton that ONNX Runtime closes at exit. */
    @BeforeAll
    static void environment() {
        env = OrtEnvironment.getEnvironment();
    }

    private static Tensor randomInput(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[(int) shape.elements()];
        for (int i = 0; i < data.length; i++) data[i] = (float) random.nextDouble(-1, 1);
        return new Tensor(shape, data);
    }

    /** Runs the model on ONNX Runtime (one thread) and returns every output by name. */
    private static Map<String, Tensor> runOrt(byte[] model, Map<String, Tensor> inputs) throws OrtException {
        return runOrt(model, inputs, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    private static Map<String, Tensor> runOrt(byte[] model, Map<String, Tensor> inputs, OrtSession.SessionOptions.OptLevel level)
            throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(level);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options)) {
                Map<String, OnnxTensor> feeds = new HashMap<>();
                try {
                    for (var e : inputs.entrySet()) {
                        long[] shape = java.util.Arrays.stream(e.getValue().shape().dims()).asLongStream().toArray();
                        feeds.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().data()), shape));
                    }
                    try (OrtSession.Result result = session.run(feeds)) {
                        Map<String, Tensor> outputs = new LinkedHashMap<>();
                        for (var e : result) {
                            OnnxTensor t = (OnnxTensor) e.getValue();
                            long[] dims = t.getInfo().getShape();
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] data = new float[fb.remaining()];
                            fb.get(data);
                            outputs.put(e.getKey(), new Tensor(Shape.of(java.util.Arrays.stream(dims).mapToInt(Math::toIntExact).toArray()), data));
                        }
                        return outputs;
                    }
                } finally {
                    for (OnnxTensor t : feeds.values()) t.close();
                }
            }
        }
    }

    /** Max |ort − ref| / (1e-5·max|ref| + 1e-6): at most 1 passes. */
    private static double assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double scale = expected.maxAbs();
        double tolerance = 1e-5 * scale + 1e-6;
        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < expected.data().length; i++) {
            double err = Math.abs((double) expected.data()[i] - actual.data()[i]);
            if (err > worst) {
                worst = err;
                worstAt = i;
            }
        }
        final double w = worst;
        final int at = worstAt;
        assertTrue(worst <= tolerance, () -> what + ": max error " + w + " at " + at + " (expected " + expected.data()[at]
                + ", ONNX Runtime " + actual.data()[at] + ") exceeds " + tolerance + " (max|y| " + scale + ")");
        return worst / tolerance;
    }

    private static void assertParity(String what, Graph graph, int opset, long seed) throws OrtException {
        assertParity(what, graph, opset, seed, OrtSession.SessionOptions.OptLevel.ALL_OPT);
    }

    private static void assertParity(String what, Graph graph, int opset, long seed, OrtSession.SessionOptions.OptLevel level)
            throws OrtException {
        Node input = graph.inputs().getFirst();
        Tensor x = randomInput(input.shape(), seed);
        Map<String, Tensor> expected = ReferenceInterpreter.run(graph, Map.of(input.name(), x), (n, t) -> { });
        Map<String, Tensor> actual = runOrt(OnnxExporter.export(graph, opset), Map.of(input.name(), x), level);
        assertEquals(expected.keySet(), actual.keySet(), what + ": outputs");
        for (String name : expected.keySet()) assertClose(what + " output " + name, expected.get(name), actual.get(name));
    }

    private static Graph seeded(String name, Shape input, int classes, long seed) {
        return SeededWeights.apply(Builtins.build(name, input, classes), seed);
    }

    @Test
    void d2l() throws OrtException {
        assertParity("d2l 96×96", seeded("d2l", Shape.of(1, 3, 96, 96), 100, 11), 13, 1);
    }

    @Test
    void d2lBatchOfTwoAtOpset9() throws OrtException {
        assertParity("d2l 2×64×64 opset 9", seeded("d2l", Shape.of(2, 3, 64, 64), 10, 12), 9, 2);
    }

    @Test
    void torchvisionLogits() throws OrtException {
        Graph g = seeded("torchvision", Shape.of(1, 3, 96, 96), 100, 13).keepOutputs(List.of("logits"));
        assertParity("torchvision 96×96", g, 13, 3);
    }

    /** Before opset 10 the ceil-mode max pools become floor mode with padding at the end. */
    @Test
    void torchvisionLogitsAtOpset9() throws OrtException {
        Graph g = seeded("torchvision", Shape.of(1, 3, 64, 64), 10, 14).keepOutputs(List.of("logits"));
        assertParity("torchvision 64×64 opset 9", g, 9, 4);
    }

    /** After the engine's passes: BatchNorm folded, conv+ReLU fused; the export splits them again. */
    @Test
    void torchvisionAfterInferencePasses() throws OrtException {
        Graph g = seeded("torchvision", Shape.of(1, 3, 64, 64), 10, 15);
        Graph optimized = Passes.run(g, Passes.inference(List.of("logits")));
        assertTrue(optimized.nodes().stream().anyMatch(n -> n.op() instanceof Fused), "the passes fused something");
        assertParity("torchvision 64×64 fused", optimized, 13, 5);
    }

    @Test
    void bvlc() throws OrtException {
        assertParity("bvlc 224×224", seeded("bvlc", Shape.of(1, 3, 224, 224), 1000, 16), 13, 6);
    }

    @Test
    void symbolicBatchRunsAnyBatch() throws OrtException {
        Graph one = seeded("d2l", Shape.of(1, 3, 64, 64), 10, 17);
        Graph three = one.withInputShape(Shape.of(3, 3, 64, 64));
        Tensor x = randomInput(Shape.of(3, 3, 64, 64), 7);
        Tensor expected = ReferenceInterpreter.run(three, x);
        Tensor actual = runOrt(OnnxExporter.export(one, 13, true), Map.of("x", x)).get("logits");
        assertClose("d2l symbolic batch", expected, actual);
    }

    /**
     * The corners: asymmetric conv pads with dilation and groups, ceil-mode average pools whose last window runs
     * past the padded input (counting pads and not), asymmetric max-pool pads in ceil mode, LRN, adaptive pooling
     * that is a plain average pool, a bias-free linear layer, softmax; several outputs.
     * <p>
     * The average pool that counts padding and whose last window runs past the padded input is exported as a zero
     * Pad and a pool that does not count padding, exact by the ONNX spec. ONNX Runtime 1.23 gets it wrong before
     * opset 19 with graph optimizations on: its Pad fusion folds the Pad back into the pool as counted padding, and its
     * opset 7–18 kernel then divides the overhanging window by the full kernel size. So opsets 10 and 13 run without
     * optimizations here; opset 19 runs with all of them.
     */
    @Test
    void cornersOfTheOps() throws OrtException {
        for (int opset : new int[] {10, 13, 19}) {
            GraphBuilder b = new GraphBuilder("corners");
            String x = b.input("x", Shape.of(2, 4, 8, 8));
            String c = b.add("conv", new Conv2d(4, 6, 3, 3, 1, 2, new Padding(1, 2, 0, 3), 2, 1, 2, true), x);
            String r = b.add("relu", new Relu(), c);
            String a1 = b.add("avg_incl", new AvgPool2d(3, 3, 2, 2, Padding.of(1), true, true), r);
            String a2 = b.add("avg_excl", new AvgPool2d(3, 3, 2, 2, Padding.of(1), true, false), r);
            String m = b.add("max", new MaxPool2d(3, 2, 2, 2, new Padding(0, 1, 1, 0), true), r);
            String l = b.add("lrn", new Lrn(3, 2e-2, 0.75, 2.0), b.add("cat", new Concat(1), a1, a2));
            String ad = b.add("adaptive", new AdaptiveAvgPool2d(3, 2), l);
            String f = b.add("flat", new Flatten(), ad);
            String fc = b.add("fc", new Linear(72, 5, false), f);
            String s = b.add("softmax", new Softmax(), fc);
            // Ours drops a last window that would start in the end padding (rows): 3 rows where plain ceil gives 4.
            String m2 = b.add("max_drop", new MaxPool2d(2, 2, 2, 2, Padding.of(1), true), r);
            b.output("avg_incl", a1).output("avg_excl", a2).output("probs", s).output("pooled", m).output("fc", fc).output("pooled2", m2);
            Graph g = SeededWeights.apply(b.build(), 21);
            assertParity("corners opset " + opset, g, opset, 8,
                    opset < 19 ? OrtSession.SessionOptions.OptLevel.NO_OPT : OrtSession.SessionOptions.OptLevel.ALL_OPT);
        }
    }

    @Test
    void exportedWeightsAreThoseOfTheGraph() throws OrtException {
        // A 1×1 conv of a one-hot input reads back one weight column: the initializer bytes are the weights.
        GraphBuilder b = new GraphBuilder("probe");
        String x = b.input("x", Shape.of(1, 3, 1, 1));
        b.output("y", b.add("c", new Conv2d(3, 2, 1, 1, 1, 1, Padding.NONE, 1, 1, 1, false), x));
        Graph g = SeededWeights.apply(b.build(), 5);
        float[] w = g.weights().get("c.weight").data();
        Tensor oneHot = new Tensor(Shape.of(1, 3, 1, 1), new float[] {0, 1, 0});
        Tensor y = runOrt(OnnxExporter.export(g, 13), Map.of("x", oneHot)).get("y");
        assertArrayEquals(new float[] {w[1], w[4]}, y.data());
    }
}
