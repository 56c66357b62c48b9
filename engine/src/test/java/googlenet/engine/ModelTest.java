package googlenet.engine;

import googlenet.engine.diagnostics.WarmUp;
import googlenet.engine.plan.Plan;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.Builtins;
import googlenet.kernels.Blocking;
import googlenet.kernels.conv.Conv2dKernels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The compiled engine against the reference interpreter, and the API's promises. */
class ModelTest {
    private static float[] input(Shape s, int seed) {
        float[] x = new float[(int) s.elements()];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.0137 + seed) * 1.5f;
        return x;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        float max = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        float tol = 1e-5f * max + 1e-6f;
        for (int i = 0; i < expected.length; i++) {
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + "[" + i + "]: expected " + expected[i] + ", got " + actual[i]);
        }
    }

    @ParameterizedTest(name = "{0} batch {1} threads {2}")
    @CsvSource({"d2l,1,1", "d2l,4,2", "torchvision,1,2", "torchvision,4,1", "bvlc,1,1", "bvlc,4,2"})
    void builtinsMatchTheReferenceInterpreter(String name, int batch, int threads) {
        Graph graph = SeededWeights.apply(Builtins.build(name, Shape.of(batch, 3, 224, 224), 1000), 11);
        List<String> outputs = List.copyOf(graph.outputs().keySet());
        Node in = graph.inputs().getFirst();
        float[] x = input(in.shape(), batch);
        Map<String, Tensor> expected = ReferenceInterpreter.run(graph, Map.of(in.name(), new Tensor(in.shape(), x)), (n, t) -> { });
        try (Model model = Model.load(graph, new Options(threads, outputs)); Session s = model.newSession(batch)) {
            float[][] out = new float[outputs.size()][];
            for (int i = 0; i < out.length; i++) out[i] = new float[(int) s.outputShape(outputs.get(i)).elements()];
            s.run(x, out);
            for (int i = 0; i < out.length; i++) assertClose(expected.get(outputs.get(i)).data(), out[i], name + " " + outputs.get(i));
        }
    }

    @Test
    void resultsAreBitwiseEqualForOneAndTwoThreads() {
        Graph graph = SeededWeights.apply(Builtins.build("d2l", Shape.of(2, 3, 96, 96), 10), 5);
        float[] x = input(Shape.of(2, 3, 96, 96), 1);
        float[] one = new float[20];
        float[] two = new float[20];
        try (Model m1 = Model.load(graph, Options.threads(1)); Session s1 = m1.newSession(2);
             Model m2 = Model.load(graph, Options.threads(2)); Session s2 = m2.newSession(2)) {
            s1.run(x, one);
            s2.run(x, two);
        }
        assertArrayEquals(one, two);
    }

    @Test
    void aBatchSplitAcrossTheThreadsGivesEachImageTheBitsOfItsOwnRun() {
        Graph graph = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10), 7);
        int perImage = 3 * 64 * 64;
        float[] x = input(Shape.of(4, 3, 64, 64), 2);
        try (Model model = Model.load(graph, Options.threads(2)); Session four = model.newSession(4);
             Session three = model.newSession(3); Session one = model.newSession(1);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            assertEquals(2, four.parts(), "two threads divide a batch of 4");
            assertEquals(1, three.parts(), "two threads do not divide a batch of 3");
            assertEquals(Shape.of(4, 10), four.outputShape(four.outputNames().getFirst()));
            float[] y = new float[40];
            four.run(x, y);
            float[] fromThree = new float[30];
            three.run(java.util.Arrays.copyOf(x, 3 * perImage), fromThree);
            for (int i = 0; i < 4; i++) {
                float[] alone = new float[10];
                one.run(java.util.Arrays.copyOfRange(x, i * perImage, (i + 1) * perImage), alone);
                assertArrayEquals(alone, java.util.Arrays.copyOfRange(y, i * 10, (i + 1) * 10), "image " + i + " of the split batch");
                if (i < 3) assertArrayEquals(alone, java.util.Arrays.copyOfRange(fromThree, i * 10, (i + 1) * 10), "image " + i + " of 3");
            }
            var in = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, x);
            var out = arena.allocate(40 * Float.BYTES);
            four.run(in, out);
            assertArrayEquals(y, out.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT), "segments");
            java.nio.FloatBuffer buffer = java.nio.FloatBuffer.allocate(40);
            four.run(java.nio.FloatBuffer.wrap(x), buffer);
            assertArrayEquals(y, buffer.array(), "buffers");
        }
    }

    @ParameterizedTest(name = "threads {0}")
    @CsvSource({"1", "2"})
    void winogradByDefaultExactRunsDirectAndBothMatchTheReference(int threads) {
        Graph graph = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 112, 112), 10), 3);
        Node in = graph.inputs().getFirst();
        float[] x = input(in.shape(), 7);
        float[] expected = ReferenceInterpreter.run(graph, Map.of(in.name(), new Tensor(in.shape(), x)), (n, t) -> { })
                .values().iterator().next().data();
        float[] fast = new float[10];
        float[] exact = new float[10];
        try (Model wino = Model.load(graph, Options.threads(threads)); Session s = wino.newSession(1);
             Model direct = Model.load(graph, Options.threads(threads).withExact(true)); Session d = direct.newSession(1)) {
            assertEquals("winograd", wino.convolution());
            assertEquals("direct", direct.convolution());
            // Winograd where a 3×3 stride-1 convolution's output has at least 16 tiles of 4×4 (at 112×112: 28² and 14²).
            long expectedWinograd = graph.nodes().stream().filter(n -> n.op() instanceof googlenet.graph.op.Conv2d c
                    && c.kernelH() == 3 && c.kernelW() == 3 && c.strideH() == 1 && c.strideW() == 1
                    && ((n.shape().dim(2) + 3) / 4) * ((n.shape().dim(3) + 3) / 4) >= 16).count();
            long winograd = wino.plan(1).steps().stream().filter(st -> st.kernel().contains("winograd")).count();
            assertTrue(expectedWinograd >= 3, "the test needs Winograd layers: " + expectedWinograd);
            assertEquals(expectedWinograd, winograd, () -> wino.plan(1).steps().toString());
            assertTrue(direct.plan(1).steps().stream().noneMatch(st -> st.kernel().contains("winograd")));
            assertTrue(direct.weightBytes() < wino.weightBytes(), "Winograd's weights are 36/9 of the direct ones");
            s.run(x, fast);
            d.run(x, exact);
        }
        assertClose(expected, fast, "winograd");
        assertClose(expected, exact, "exact");
        assertTrue(!Arrays.equals(fast, exact), "Winograd changes the last bits; equal outputs mean it did not run");
    }

    @Test
    void d2lPlanIsTightAndEveryConcatIsInPlace() {
        try (Model model = Model.builtin("d2l", 0, Options.threads(1))) {
            Plan plan = model.plan(1);
            assertEquals(9, plan.concats().size());
            assertEquals(9, plan.zeroCopyConcats());
            assertTrue(plan.arenaBytes() <= 1.10 * plan.lowerBoundBytes(),
                    plan.arenaBytes() + " > 1.10 × " + plan.lowerBoundBytes());
        }
    }

    @Test
    void everyBuiltinPlacesAllNineConcatsInPlace() {
        for (String name : Builtins.NAMES) {
            try (Model model = Model.builtin(name, 0, Options.threads(1))) {
                assertEquals(9, model.plan(1).zeroCopyConcats(), name);
            }
        }
    }

    @Test
    void warmUpCallsEveryConvTileThePlanUses() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        try (Model model = Model.builtin("d2l", 0, Options.threads(1)); Session s = model.newSession(1)) {
            List<String> used = Conv2dKernels.tilesUsed(model.compiledPlan(1).kernels());
            assertTrue(used.contains("tile4x5s1") && used.stream().anyMatch(t -> t.endsWith("p")), used::toString);
            List<WarmUp.TileWarmUp> tiles = WarmUp.tiles(s.loop(), bean, 20, 60_000_000_000L);
            assertEquals(used, tiles.stream().map(WarmUp.TileWarmUp::tile).toList());
            tiles.forEach(t -> assertTrue(t.calls() >= 20, t.tile() + " called " + t.calls() + " times"));
        }
    }

    @Test
    void closedSessionsAndModelsFailClearly() {
        Model model = Model.builtin("d2l", 0, Options.threads(1));
        Session s = model.newSession(1);
        float[] x = new float[3 * 224 * 224];
        float[] y = new float[1000];
        s.close();
        assertEquals("session is closed", assertThrows(IllegalStateException.class, () -> s.run(x, y)).getMessage());
        Session t = model.newSession(1);
        model.close();
        assertThrows(IllegalStateException.class, () -> t.run(x, y));
        assertThrows(IllegalStateException.class, () -> model.newSession(1));
        var wrong = assertThrows(IllegalArgumentException.class, () -> Model.builtin("d2l", 0, Options.threads(1)).newSession(1).run(new float[5], y));
        assertTrue(wrong.getMessage().contains("expected 150528"), wrong.getMessage());
    }

    @Test
    void aSessionRunByTwoThreadsAtOnceFailsFast() throws InterruptedException {
        try (Model model = Model.builtin("d2l", 0, Options.threads(1)); Session s = model.newSession(1)) {
            float[] x = input(s.inputShape(), 0);
            java.util.Queue<Throwable> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
            Runnable hammer = () -> {
                float[] y = new float[1000];
                for (int i = 0; i < 30 && errors.isEmpty(); i++) {
                    try {
                        s.run(x, y);
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                }
            };
            Thread a = new Thread(hammer);
            Thread b = new Thread(hammer);
            a.start();
            b.start();
            a.join();
            b.join();
            assertTrue(!errors.isEmpty(), "two threads ran one session 60 times without a conflict being reported");
            for (Throwable t : errors) {
                assertTrue(t instanceof IllegalStateException && t.getMessage().contains("already running on another thread"), t.toString());
            }
        }
    }

    @Test
    void floatBufferAndMemorySegmentRunsEqualTheArrayRun() {
        try (Model model = Model.load(SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10), 2), Options.threads(2));
             Session s = model.newSession(1); java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            float[] x = input(s.inputShape(), 3);
            float[] expected = new float[10];
            s.run(x, expected);
            java.nio.FloatBuffer out = java.nio.ByteBuffer.allocateDirect(40).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
            s.run(java.nio.FloatBuffer.wrap(x), out);
            float[] viaBuffer = new float[10];
            out.get(0, viaBuffer);
            assertArrayEquals(expected, viaBuffer);
            var in = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_FLOAT, x);
            var o = arena.allocate(40);
            s.run(in, o);
            assertArrayEquals(expected, o.toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT));
        }
    }

    @Test
    void loadsAnOnnxFileAStreamAndBytes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        Graph graph = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10), 4);
        java.nio.file.Path file = dir.resolve("d2l.onnx");
        googlenet.graph.onnx.OnnxExporter.write(graph, file);
        float[] x = input(Shape.of(1, 3, 64, 64), 5);
        float[] expected = ReferenceInterpreter.run(graph, new Tensor(Shape.of(1, 3, 64, 64), x)).data();
        try (Model fromFile = Model.load(file, Options.threads(1)); Session s = fromFile.newSession(1);
             var in = java.nio.file.Files.newInputStream(file);
             Model fromStream = Model.load(in, "d2l.onnx", Options.threads(1)); Session t = fromStream.newSession(1);
             Model fromBytes = Model.load(java.nio.file.Files.readAllBytes(file), "d2l.onnx", Options.threads(1));
             Session u = fromBytes.newSession(1)) {
            float[] a = new float[10];
            float[] b = new float[10];
            float[] c = new float[10];
            s.run(x, a);
            t.run(x, b);
            u.run(x, c);
            assertClose(expected, a, "from file");
            assertArrayEquals(a, b);
            assertArrayEquals(a, c);
        }
    }

    @Test
    void loadsAModelFromAClasspathResource() throws java.io.IOException {
        Tensor x;
        Tensor expected;
        try (var in = ModelTest.class.getResourceAsStream("onnx/fixtures/d2l_tiny.input.npy");
             var out = ModelTest.class.getResourceAsStream("onnx/fixtures/d2l_tiny.output.npy")) {
            x = googlenet.graph.io.Npy.read(in, "d2l_tiny.input.npy");
            expected = googlenet.graph.io.Npy.read(out, "d2l_tiny.output.npy");
        }
        try (Model m = Model.loadResource(ModelTest.class, "onnx/fixtures/d2l_tiny.onnx", Options.threads(1));
             Session s = m.newSession(1)) {
            float[] y = new float[(int) expected.shape().elements()];
            s.run(x.data(), y);
            assertClose(expected.data(), y, "d2l_tiny against PyTorch");
        }
        var missing = assertThrows(java.io.FileNotFoundException.class, () -> Model.loadResource(ModelTest.class, "nope.onnx", Options.threads(1)));
        assertTrue(missing.getMessage().contains("nope.onnx") && missing.getMessage().contains(ModelTest.class.getName()), missing.getMessage());
    }
}
