package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.FormatException;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.onnx.proto.OnnxProto.ModelProto;
import googlenet.graph.onnx.proto.OnnxProto.NodeProto;
import googlenet.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import googlenet.graph.onnx.proto.OnnxProto.StringStringEntryProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorShapeProto;
import googlenet.graph.onnx.proto.OnnxProto.TypeProto;
import googlenet.graph.onnx.proto.OnnxProto.ValueInfoProto;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Linear;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Hand-built ONNX models: what the importer accepts, how it maps it, and how it refuses what it cannot run. */
class OnnxImporterTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- building models

    static ValueInfoProto value(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            else s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue((Integer) d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    static TensorProto floats(String name, float[] data, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) t.addDims(d);
        return t.build();
    }

    static TensorProto longs(String name, long... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) t.addInt64Data(v);
        return t.build();
    }

    static float[] ramp(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) r.nextDouble(-1, 1);
        return f;
    }

    static NodeProto node(String op, String name, List<String> in, List<String> out, AttributeProto... attrs) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addAllOutput(out).addAllAttribute(List.of(attrs)).build();
    }

    static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    static ModelProto model(int opset, GraphProto.Builder g) {
        return ModelProto.newBuilder().setIrVersion(7).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset))
                .setGraph(g.setName("test")).build();
    }

    /** x[N,3,8,8] → Conv 3→4 3×3 pad 1 → Relu → MaxPool 2/2 → GlobalAveragePool → Flatten → Gemm 4→5. */
    static GraphProto.Builder small() {
        return GraphProto.newBuilder()
                .addInput(value("x", "N", 3, 8, 8))
                .addInitializer(floats("w", ramp(4 * 3 * 9, 1), 4, 3, 3, 3))
                .addInitializer(floats("b", ramp(4, 2), 4))
                .addInitializer(floats("fc_w", ramp(20, 3), 5, 4))
                .addInitializer(floats("fc_b", ramp(5, 4), 5))
                .addNode(node("Conv", "/features/conv/Conv", List.of("x", "w", "b"), List.of("c"), ints("kernel_shape", 3, 3),
                        ints("pads", 1, 1, 1, 1), ints("strides", 1, 1)))
                .addNode(node("Relu", "", List.of("c"), List.of("r")))
                .addNode(node("MaxPool", "pool", List.of("r"), List.of("p"), ints("kernel_shape", 2, 2), ints("strides", 2, 2)))
                .addNode(node("GlobalAveragePool", "gap", List.of("p"), List.of("g")))
                .addNode(node("Flatten", "flat", List.of("g"), List.of("f"), integer("axis", 1)))
                .addNode(node("Gemm", "fc", List.of("f", "fc_w", "fc_b"), List.of("y"), integer("transB", 1)))
                .addOutput(value("y", "N", 5));
    }

    static Graph load(ModelProto m) throws IOException {
        return OnnxImporter.load(m.toByteArray(), "test.onnx");
    }

    static GraphException graphError(ModelProto m, String... expected) {
        GraphException e = assertThrows(GraphException.class, () -> load(m));
        for (String s : expected) assertTrue(e.getMessage().contains(s), "'" + e.getMessage() + "' should contain '" + s + "'");
        assertTrue(e.getMessage().startsWith("test.onnx: "), e.getMessage());
        return e;
    }

    // ---------------------------------------------------------------- accepted

    @Test
    void importsStructureNamesAndWeights() throws Exception {
        Graph g = load(model(13, small()));
        assertEquals(Shape.of(1, 3, 8, 8), g.inputs().getFirst().shape(), "a symbolic batch becomes 1");
        assertEquals(List.of("x", "features.conv.Conv", "r", "pool", "gap", "flat", "fc"), g.nodes().stream().map(Node::name).toList());
        assertEquals("fc", g.outputs().get("y"));
        Conv2d c = (Conv2d) g.node("features.conv.Conv").op();
        assertEquals(Padding.of(1), c.padding());
        assertArrayEquals(ramp(108, 1), g.weights().get("features.conv.Conv.weight").data());
        assertArrayEquals(ramp(20, 3), g.weights().get("fc.weight").data());
        assertEquals(Shape.of(4, 5), g.withInputShape(Shape.of(4, 3, 8, 8)).output("y").shape());
    }

    @Test
    void loadsFromStreamsAndFiles() throws Exception {
        byte[] bytes = model(13, small()).toByteArray();
        Path f = dir.resolve("m.onnx");
        Files.write(f, bytes);
        assertEquals(7, OnnxImporter.load(f).nodes().size());
        assertEquals(7, OnnxImporter.load(new ByteArrayInputStream(bytes), "s").nodes().size());
    }

    @Test
    void weightsPassedOnUnchangedStayViewsOfTheModelBytes() throws Exception {
        byte[] bytes = model(13, small()).toByteArray();
        Graph g = OnnxImporter.load(bytes, "m.onnx");
        // Change the conv weight's first value and the linear weight's last one in the model's bytes after the import:
        // views read the bytes when first asked, so they see the change; a copy would not.
        int conv = indexOf(bytes, littleEndian(ramp(108, 1)));
        int fc = indexOf(bytes, littleEndian(ramp(20, 3)));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(conv, -7f).putFloat(fc + 19 * 4, -8f);
        float[] expectedConv = ramp(108, 1);
        expectedConv[0] = -7f;
        float[] expectedFc = ramp(20, 3);
        expectedFc[19] = -8f;
        assertArrayEquals(expectedConv, g.weights().get("features.conv.Conv.weight").data());
        assertEquals(-7f, g.weights().get("features.conv.Conv.weight").values().getAtIndex(Tensor.VALUE, 0));
        assertArrayEquals(expectedFc, g.weights().get("fc.weight").data());
    }

    private static byte[] littleEndian(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void gemmFoldsAlphaBetaAndTranspose() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(5, node("Gemm", "fc", List.of("f", "fc_wt", "fc_b"), List.of("y"), real("alpha", 2f), real("beta", 0.5f)));
        float[] w = ramp(20, 3);
        float[] wt = new float[20];
        for (int o = 0; o < 5; o++) for (int i = 0; i < 4; i++) wt[i * 5 + o] = w[o * 4 + i];
        g.addInitializer(floats("fc_wt", wt, 4, 5));
        Graph graph = load(model(13, g));
        float[] got = graph.weights().get("fc.weight").data();
        for (int k = 0; k < 20; k++) assertEquals(2 * w[k], got[k], 0f);
        float[] b = ramp(5, 4);
        for (int k = 0; k < 5; k++) assertEquals(0.5f * b[k], graph.weights().get("fc.bias").data()[k], 0f);
    }

    @Test
    void matMulPlusAddIsOneLinear() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(5, node("MatMul", "mm", List.of("f", "fc_wt"), List.of("m")));
        g.addNode(node("Add", "add", List.of("m", "fc_b"), List.of("y")));
        g.addInitializer(floats("fc_wt", ramp(20, 5), 4, 5));
        Graph graph = load(model(13, g));
        Node fc = graph.node(graph.outputs().get("y"));
        assertEquals(new Linear(4, 5, true), fc.op());
        assertArrayEquals(ramp(5, 4), graph.weights().get(fc.name() + ".bias").data());
    }

    @Test
    void initializersThroughIdentityChainsFloat16AndTypedData() throws Exception {
        GraphProto.Builder g = small();
        g.setInitializer(0, TensorProto.newBuilder().setName("w_half").setDataType(TensorProto.DataType.FLOAT16_VALUE)
                .addAllDims(List.of(4L, 3L, 3L, 3L)).addAllInt32Data(halfBits(ramp(108, 1))).build());
        g.setInitializer(1, TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.FLOAT_VALUE).addDims(4)
                .addAllFloatData(List.of(1f, 2f, 3f, 4f)).build());
        g.addNode(0, node("Identity", "id1", List.of("w_half"), List.of("w1")));
        g.addNode(1, node("Identity", "id2", List.of("w1"), List.of("w")));
        Graph graph = load(model(13, g));
        float[] got = graph.weights().get("features.conv.Conv.weight").data();
        float[] want = ramp(108, 1);
        for (int k = 0; k < got.length; k++) assertEquals(want[k], got[k], 1e-3f);
        assertArrayEquals(new float[] {1, 2, 3, 4}, graph.weights().get("features.conv.Conv.bias").data());
    }

    private static List<Integer> halfBits(float[] f) {
        Integer[] out = new Integer[f.length];
        for (int i = 0; i < f.length; i++) out[i] = Float.floatToFloat16(f[i]) & 0xFFFF;
        return Arrays.asList(out);
    }

    @Test
    void zeroPadFoldsIntoConvAndAfterReluIntoMaxPool() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(0, node("Conv", "conv", List.of("xp", "w", "b"), List.of("c"), ints("kernel_shape", 3, 3)));
        g.addNode(0, node("Pad", "pad", List.of("x", "pads"), List.of("xp"), string("mode", "constant")));
        g.addInitializer(longs("pads", 0, 0, 1, 1, 0, 0, 1, 1));
        g.setNode(3, node("MaxPool", "pool", List.of("rp"), List.of("p"), ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
        g.addNode(3, node("Pad", "pad2", List.of("r", "pads2"), List.of("rp")));
        g.addInitializer(longs("pads2", 0, 0, 0, 0, 0, 0, 1, 1));
        Graph graph = load(model(13, g));
        assertEquals(Padding.of(1), ((Conv2d) graph.node("conv").op()).padding());
        assertEquals(new Padding(0, 0, 1, 1), ((MaxPool2d) graph.node("pool").op()).padding());
    }

    @Test
    void perChannelConstantsBecomeOneAffine() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(0, g.getNode(0).toBuilder().setInput(0, "xs").build());
        g.addNode(0, node("Sub", "sub", List.of("x", "mean"), List.of("xm")));
        g.addNode(1, node("Div", "div", List.of("xm", "std"), List.of("xs")));
        g.addInitializer(floats("mean", new float[] {0.5f, 0.25f, 0f}, 3, 1, 1));
        g.addInitializer(floats("std", new float[] {2f}, 1));
        Graph graph = load(model(13, g));
        Node affine = graph.node("div");
        assertEquals(new BatchNorm(3, 0.0), affine.op());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, graph.weights().get("div.weight").data());
        assertArrayEquals(new float[] {-0.25f, -0.125f, 0f}, graph.weights().get("div.bias").data());
    }

    @Test
    void reshapeToBatchByMinusOneIsFlatten() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(4, node("Reshape", "reshape", List.of("g", "shape"), List.of("f")));
        g.addInitializer(longs("shape", 0, -1));
        assertEquals(new Flatten(), load(model(13, g)).node("reshape").op());
        g.setInitializer(g.getInitializerCount() - 1, longs("shape", 2, -1));
        graphError(model(13, g), "reshape", "Reshape", "only flattening");
    }

    /** ONNX's Flatten at every axis of a 2×3×4×5 input: rows = product of the dimensions before it, columns the rest. */
    @Test
    void flattenAtEveryAxis() throws Exception {
        int[][] expected = {{1, 120}, {2, 60}, {6, 20}, {24, 5}, {120, 1}};
        for (int axis = -4; axis <= 4; axis++) {
            GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x", 2, 3, 4, 5))
                    .addNode(node("Flatten", "flat", List.of("x"), List.of("y"), integer("axis", axis)))
                    .addOutput(value("y", 1, 1));
            Graph graph = load(model(13, g));
            int a = axis < 0 ? axis + 4 : axis;
            assertEquals(new Flatten(a), graph.node("flat").op(), "axis " + axis);
            assertEquals(Shape.of(expected[a]), graph.output("y").shape(), "axis " + axis);
        }
        GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x", 2, 3, 4, 5))
                .addNode(node("Flatten", "flat", List.of("x"), List.of("y"), integer("axis", 5)))
                .addOutput(value("y", 1, 1));
        graphError(model(13, g), "node 'flat' (Flatten)", "axis 5 is out of range for rank 4");
    }

    /**
     * auto_pad SAME_UPPER / SAME_LOWER as ONNX defines them: output ceil(input / stride), the total padding
     * (out − 1)·stride + (k − 1)·dilation + 1 − input split evenly, the odd pixel at the end (UPPER) or start (LOWER);
     * worked by hand for the small net's 8×8 input.
     */
    @Test
    void autoPadSameIsTheSpecsPadding() throws Exception {
        // MaxPool 3×3 stride 2 on 8×8: out 4, total (4−1)·2 + 3 − 8 = 1.
        for (String[] c : new String[][] {{"SAME_UPPER", "0", "1"}, {"SAME_LOWER", "1", "0"}}) {
            GraphProto.Builder g = small();
            g.setNode(2, node("MaxPool", "pool", List.of("r"), List.of("p"), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                    string("auto_pad", c[0])));
            Graph graph = load(model(13, g));
            int b = Integer.parseInt(c[1]), e = Integer.parseInt(c[2]);
            assertEquals(new Padding(b, b, e, e), ((MaxPool2d) graph.node("pool").op()).padding(), c[0]);
            assertEquals(Shape.of(1, 4, 4, 4), graph.node("pool").shape(), c[0]);
        }
        // Conv 2×2 stride 1 on 8×8: out 8, total 7 + 2 − 8 = 1; 3×3 dilation 2 stride 1: total 7 + 4 + 1 − 8 = 4.
        for (String[] c : new String[][] {{"SAME_UPPER", "2", "1", "0", "1"}, {"SAME_LOWER", "2", "1", "1", "0"},
                {"SAME_UPPER", "3", "2", "2", "2"}}) {
            GraphProto.Builder g = small();
            int k = Integer.parseInt(c[1]), d = Integer.parseInt(c[2]);
            g.setInitializer(0, floats("w", ramp(4 * 3 * k * k, 1), 4, 3, k, k));
            g.setNode(0, node("Conv", "conv", List.of("x", "w", "b"), List.of("c"), ints("kernel_shape", k, k),
                    ints("dilations", d, d), string("auto_pad", c[0])));
            Graph graph = load(model(13, g));
            int b = Integer.parseInt(c[3]), e = Integer.parseInt(c[4]);
            assertEquals(new Padding(b, b, e, e), ((Conv2d) graph.node("conv").op()).padding(), String.join(" ", c));
            assertEquals(Shape.of(1, 4, 8, 8), graph.node("conv").shape(), String.join(" ", c));
        }
    }

    // ---------------------------------------------------------------- refused

    @Test
    void unsupportedOpsAndAttributesNameNodeAndOp() {
        GraphProto.Builder g = small();
        g.setNode(1, node("LeakyRelu", "lrelu", List.of("c"), List.of("r")));
        graphError(model(13, g), "node 'lrelu' (LeakyRelu)", "not supported");

        g = small();
        g.setNode(1, node("Relu", "relu", List.of("c"), List.of("r"), integer("frobnicate", 1)));
        graphError(model(13, g), "node 'relu' (Relu)", "attribute 'frobnicate'");

        g = small();
        g.setNode(2, g.getNode(2).toBuilder().addAttribute(string("auto_pad", "SAME_UPPER")).addAttribute(ints("pads", 0, 0, 1, 1)).build());
        graphError(model(13, g), "node 'pool' (MaxPool)", "auto_pad SAME_UPPER together with 'pads'");

        g = small();
        g.setNode(2, g.getNode(2).toBuilder().addAttribute(string("auto_pad", "SAME_MIDDLE")).build());
        graphError(model(13, g), "node 'pool' (MaxPool)", "auto_pad SAME_MIDDLE is not one of");

        g = small();
        g.setNode(5, g.getNode(5).toBuilder().addAttribute(integer("transA", 1)).build());
        graphError(model(13, g), "node 'fc' (Gemm)", "transA=1");

        g = small();
        g.setNode(2, g.getNode(2).toBuilder().addAttribute(ints("dilations", 2, 2)).build());
        graphError(model(13, g), "node 'pool' (MaxPool)", "dilations");

        g = small();
        g.setNode(0, g.getNode(0).toBuilder().setDomain("com.microsoft").build());
        graphError(model(13, g), "com.microsoft");

        g = small();
        g.addNode(node("Add", "residual", List.of("c", "c"), List.of("z")));
        g.addOutput(value("z", 1, 4, 8, 8));
        graphError(model(13, g), "node 'residual' (Add)", "both operands");
    }

    @Test
    void missingInitializerCycleAndBadInputs() {
        GraphProto.Builder g = small();
        g.removeInitializer(0);
        graphError(model(13, g), "'/features/conv/Conv' (Conv)", "value 'w'", "missing initializer");

        g = small();
        g.setNode(0, g.getNode(0).toBuilder().setInput(0, "f2").build());
        g.addNode(node("Identity", "loop", List.of("f"), List.of("f2")));
        graphError(model(13, g), "cycle", "'loop' (Identity)", "'/features/conv/Conv' (Conv)");

        g = small();
        g.setInput(0, value("x", 1, 3, "H", 8));
        graphError(model(13, g), "graph input 'x'", "symbolic ('H')");

        graphError(model(0, small()), "opset 0");
        graphError(model(23, small()), "opset 23");

        g = small();
        g.setInitializer(1, TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.DOUBLE_VALUE).addDims(4)
                .addAllDoubleData(List.of(1.0, 2.0, 3.0, 4.0)).build());
        graphError(model(13, g), "initializer 'b'", "DOUBLE");

        g = small();
        g.setInitializer(1, floats("b", new float[3], 4));
        graphError(model(13, g), "initializer 'b'", "12 bytes");

        g = small();
        g.setNode(2, node("MaxPool", "pool", List.of("r"), List.of("p", "idx"), ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
        g.addOutput(value("idx", 1, 4, 4, 4));
        graphError(model(13, g), "output 1 of node 'pool' (MaxPool)");
    }

    @Test
    void truncatedAndGarbledFilesFailCleanly() throws Exception {
        byte[] good = OnnxExporter.export(SeededWeights.apply(Builtins.build("bvlc", Shape.of(1, 3, 224, 224), 10), 1), 12);
        load(ModelProto.parseFrom(good));
        SplittableRandom r = new SplittableRandom(42);
        int[] cuts = {0, 1, 2, 7, 100, good.length / 3, good.length / 2, good.length - 1000, good.length - 1};
        for (int cut : cuts) expectCleanFailure(Arrays.copyOf(good, cut), "truncated at " + cut);
        for (int i = 0; i < 40; i++) {
            byte[] bad = good.clone();
            int flips = 1 + r.nextInt(8);
            for (int k = 0; k < flips; k++) bad[r.nextInt(Math.min(bad.length, 4000))] = (byte) r.nextInt(256);
            expectCleanFailureOrSuccess(bad, "garbled " + i);
        }
        byte[] noise = new byte[5000];
        for (int i = 0; i < noise.length; i++) noise[i] = (byte) r.nextInt(256);
        expectCleanFailure(noise, "noise");
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.load("hello, world".getBytes(), "hello.onnx"));
        assertTrue(e.getMessage().startsWith("hello.onnx: "), e.getMessage());
    }

    private static void expectCleanFailure(byte[] bytes, String what) {
        try {
            OnnxImporter.load(bytes, "x.onnx");
            fail(what + ": loaded");
        } catch (FormatException | GraphException e) {
            assertTrue(e.getMessage().startsWith("x.onnx: "), what + ": " + e.getMessage());
        } catch (Exception e) {
            fail(what + ": " + e, e);
        }
    }

    private static void expectCleanFailureOrSuccess(byte[] bytes, String what) {
        try {
            OnnxImporter.load(bytes, "x.onnx");
        } catch (FormatException | GraphException e) {
            assertTrue(e.getMessage().startsWith("x.onnx: "), what + ": " + e.getMessage());
        } catch (Exception e) {
            fail(what + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------- external data

    private static ModelProto external(String location, long offset) {
        GraphProto.Builder g = small();
        g.setInitializer(0, TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(List.of(4L, 3L, 3L, 3L)).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue("432")).build());
        return model(13, g);
    }

    private static byte[] weightBytes(int pad) {
        ByteBuffer b = ByteBuffer.allocate(pad + 432).order(ByteOrder.LITTLE_ENDIAN);
        b.position(pad);
        for (float f : ramp(108, 1)) b.putFloat(f);
        return b.array();
    }

    private FormatException externalError(Path modelDir, ModelProto m, String expected) throws IOException {
        Path f = modelDir.resolve("m.onnx");
        Files.write(f, m.toByteArray());
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.load(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void externalDataOnlyInsideTheModelsFolder() throws Exception {
        Path modelDir = Files.createDirectories(dir.resolve("model"));
        Files.createDirectories(modelDir.resolve("data"));
        Files.write(modelDir.resolve("data/w.bin"), weightBytes(16));
        Path f = modelDir.resolve("m.onnx");
        Files.write(f, external("data/w.bin", 16).toByteArray());
        assertArrayEquals(ramp(108, 1), OnnxImporter.load(f).weights().get("features.conv.Conv.weight").data());

        Files.write(dir.resolve("outside.bin"), weightBytes(0));
        externalError(modelDir, external("../outside.bin", 0), "'..' is not allowed");
        externalError(modelDir, external("data/../../outside.bin", 0), "'..' is not allowed");
        externalError(modelDir, external(dir.resolve("outside.bin").toString(), 0), "absolute");
        Files.createSymbolicLink(modelDir.resolve("link.bin"), dir.resolve("outside.bin"));
        externalError(modelDir, external("link.bin", 0), "symbolic link");
        externalError(modelDir, external("absent.bin", 0), "does not exist");
        externalError(modelDir, external("data/w.bin", 100), "beyond the end");
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.load(external("data/w.bin", 16).toByteArray(), "s.onnx"));
        assertTrue(e.getMessage().contains("load the model from its file"), e.getMessage());
    }
}
