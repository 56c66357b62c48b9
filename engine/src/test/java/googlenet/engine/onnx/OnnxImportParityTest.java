package googlenet.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.OnnxExporter;
import googlenet.graph.onnx.OnnxImporter;
import googlenet.graph.op.BatchNorm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Imported ONNX models give what PyTorch gave and what ONNX Runtime gives on the same file, within
 * 1e-5·max|y| + 1e-6, on the reference interpreter and on the compiled engine. The fixtures (models, inputs and
 * PyTorch's outputs) are made by {@code tools/make_onnx_fixtures.py}; the higher opsets come from our own exporter.
 */
class OnnxImportParityTest {
    private static OrtEnvironment env;

    @BeforeAll
    static void environment() {
        env = OrtEnvironment.getEnvironment();
    }

    static Path fixture(String file) {
        try {
            var url = OnnxImportParityTest.class.getResource("fixtures/" + file);
            if (url == null) throw new AssertionError("missing test resource fixtures/" + file);
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    static Tensor runOrt(byte[] model, String inputName, Tensor x) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.data()),
                         Arrays.stream(x.shape().dims()).asLongStream().toArray());
                 OrtSession.Result result = session.run(Map.of(inputName, in))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                long[] shape = out.getInfo().getShape();
                FloatBuffer fb = out.getFloatBuffer();
                float[] data = new float[fb.remaining()];
                fb.get(data);
                return new Tensor(Shape.of(Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()), data);
            }
        }
    }

    static Tensor runEngine(Graph graph, Tensor x) {
        try (Model m = Model.load(graph, Options.threads(2)); Session s = m.newSession(x.shape().dim(0))) {
            String out = graph.outputs().keySet().iterator().next();
            float[] y = new float[(int) s.outputShape(out).elements()];
            s.run(x.data(), y);
            return new Tensor(s.outputShape(out), y);
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double tol = 1e-5 * expected.maxAbs() + 1e-6;
        double worst = 0;
        for (int i = 0; i < expected.data().length; i++) worst = Math.max(worst, Math.abs(expected.data()[i] - actual.data()[i]));
        assertTrue(worst <= tol, what + ": max |difference| " + worst + " > tolerance " + tol);
    }

    @ParameterizedTest
    @ValueSource(strings = {"d2l_tiny", "d2l_tiny_dyn", "tv_tiny_ti", "tv_tiny", "bvlc_tiny_ceil", "bvlc_tiny_pads"})
    void fixtureMatchesPyTorchAndOnnxRuntime(String name) throws Exception {
        Path file = fixture(name + ".onnx");
        Tensor x = Npy.read(fixture(name + ".input.npy"));
        Tensor expected = Npy.read(fixture(name + ".output.npy"));
        Graph graph = OnnxImporter.load(file);
        if (!graph.inputs().getFirst().shape().equals(x.shape())) graph = graph.withInputShape(x.shape());
        String inputName = graph.inputs().getFirst().name();

        Tensor ort = runOrt(Files.readAllBytes(file), inputName, x);
        assertClose(name + ": ONNX Runtime vs PyTorch", expected, ort);
        Tensor reference = ReferenceInterpreter.run(graph, x);
        assertClose(name + ": reference interpreter vs PyTorch", expected, reference);
        assertClose(name + ": reference interpreter vs ONNX Runtime", ort, reference);
        Tensor engine = runEngine(graph, x);
        assertClose(name + ": compiled engine vs PyTorch", expected, engine);
        assertClose(name + ": compiled engine vs ONNX Runtime", ort, engine);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tv_tiny_ti"})
    void transformInputBecomesOneChannelAffine(String name) throws Exception {
        Graph graph = OnnxImporter.load(fixture(name + ".onnx"));
        long affines = graph.nodes().stream().filter(n -> n.op() instanceof BatchNorm).count();
        assertEquals(1, affines, "torchvision's transform_input (Gather, Unsqueeze, Mul, Add ×3, Concat) is one per-channel affine");
        assertEquals(graph.inputs().getFirst().name(), graph.nodes().get(1).inputs().getFirst());
    }

    /** Our exporter's models at every opset era, re-imported: same results as the graph they came from, and as ORT. */
    @ParameterizedTest
    @CsvSource({"d2l,7", "d2l,13", "torchvision,10", "torchvision,17", "torchvision,7", "bvlc,21", "d2l,22"})
    void exporterRoundTrip(String builtin, int opset) throws Exception {
        // BVLC ends in a fixed 7×7 average pool: it needs 224×224 inputs.
        int side = builtin.equals("bvlc") ? 224 : 32;
        int batch = builtin.equals("bvlc") ? 1 : 2;
        Shape shape = Shape.of(batch, 3, side, side);
        Graph original = SeededWeights.apply(Builtins.build(builtin, Shape.of(1, 3, side, side), 10), 7);
        original = original.keepOutputs(List.of(original.outputs().keySet().iterator().next()));
        byte[] bytes = OnnxExporter.export(original, opset, true);
        Graph imported = OnnxImporter.load(bytes, builtin + "@" + opset).withInputShape(shape);
        Tensor x = random(shape, opset);
        Tensor expected = ReferenceInterpreter.run(original.withInputShape(shape), x);
        assertClose(builtin + "@" + opset + ": imported vs original", expected, ReferenceInterpreter.run(imported, x));
        assertClose(builtin + "@" + opset + ": ONNX Runtime vs original", expected, runOrt(bytes, imported.inputs().getFirst().name(), x));
        assertClose(builtin + "@" + opset + ": engine vs original", expected, runEngine(imported, x));
    }

    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[(int) shape.elements()];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextDouble(-1, 1);
        return new Tensor(shape, d);
    }
}
