package googlenet.graph.onnx;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.onnx.proto.OnnxProto.ModelProto;
import googlenet.graph.onnx.proto.OnnxProto.NodeProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorShapeProto;
import googlenet.graph.onnx.proto.OnnxProto.ValueInfoProto;
import googlenet.graph.op.AdaptiveAvgPool2d;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Dropout;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Fused;
import googlenet.graph.op.Input;
import googlenet.graph.op.Linear;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported ModelProto, parsed back with the generated classes: structure, attributes, initializers. */
class OnnxExporterTest {
    private static ModelProto roundTrip(Graph g, int opset) throws Exception {
        return ModelProto.parseFrom(OnnxExporter.export(g, opset));
    }

    private static Map<String, Integer> opCounts(GraphProto g) {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeProto n : g.getNodeList()) counts.merge(n.getOpType(), 1, Integer::sum);
        return counts;
    }

    private static AttributeProto attribute(NodeProto n, String name) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(n.getName() + " has no attribute " + name));
    }

    private static NodeProto node(GraphProto g, String name) {
        return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name));
    }

    private static List<Long> dims(ValueInfoProto v) {
        return v.getType().getTensorType().getShape().getDimList().stream().map(TensorShapeProto.Dimension::getDimValue).toList();
    }

    /** Every value a node reads is a graph input, an initializer or an earlier node's output (topological order). */
    private static void assertWellFormed(GraphProto g) {
        Set<String> defined = new HashSet<>();
        for (ValueInfoProto v : g.getInputList()) defined.add(v.getName());
        for (TensorProto t : g.getInitializerList()) assertTrue(defined.add(t.getName()), "duplicate " + t.getName());
        Set<String> nodeNames = new HashSet<>();
        for (NodeProto n : g.getNodeList()) {
            assertTrue(nodeNames.add(n.getName()), "duplicate node name " + n.getName());
            for (String in : n.getInputList()) assertTrue(defined.contains(in), n.getName() + " reads undefined " + in);
            for (String o : n.getOutputList()) assertTrue(defined.add(o), "value " + o + " defined twice");
        }
        for (ValueInfoProto v : g.getOutputList()) assertTrue(defined.contains(v.getName()), "output " + v.getName() + " undefined");
    }

    @Test
    void d2lStructure() throws Exception {
        Graph g = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 96, 96), 10), 1);
        ModelProto m = roundTrip(g, 13);
        assertEquals(7, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(13, m.getOpsetImport(0).getVersion());
        GraphProto gp = m.getGraph();
        assertWellFormed(gp);

        long nonInput = g.nodes().stream().filter(n -> !(n.op() instanceof Input)).count();
        assertEquals(nonInput, gp.getNodeCount());
        // 3 stem convs + 9 inceptions × 6 convs, each with a ReLU; 3 stem pools + 9 branch pools + 3 between stages.
        assertEquals(Map.of("Concat", 9, "Conv", 57, "Flatten", 1, "Gemm", 1, "GlobalAveragePool", 1,
                "MaxPool", 13, "Relu", 57), opCounts(gp));

        assertEquals(g.requiredWeights().size(), gp.getInitializerCount());
        Map<String, TensorProto> inits = new LinkedHashMap<>();
        for (TensorProto t : gp.getInitializerList()) inits.put(t.getName(), t);
        assertEquals(g.weights().keys(), inits.keySet());
        for (var e : g.weights().asMap().entrySet()) {
            TensorProto t = inits.get(e.getKey());
            assertEquals(TensorProto.DataType.FLOAT_VALUE, t.getDataType());
            assertEquals(e.getValue().shape(), Shape.of(t.getDimsList().stream().mapToInt(Long::intValue).toArray()), e.getKey());
            float[] back = new float[(int) e.getValue().shape().elements()];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(back);
            assertArrayEquals(e.getValue().data(), back, e.getKey());
        }

        assertEquals(1, gp.getInputCount());
        assertEquals("x", gp.getInput(0).getName());
        assertEquals(List.of(1L, 3L, 96L, 96L), dims(gp.getInput(0)));
        assertEquals(1, gp.getOutputCount());
        assertEquals("logits", gp.getOutput(0).getName());
        assertEquals(List.of(1L, 10L), dims(gp.getOutput(0)));
        assertEquals("logits", node(gp, "5").getOutput(0));

        NodeProto stem = node(gp, "0.0");
        assertEquals("Conv", stem.getOpType());
        assertEquals(List.of("x", "0.0.weight", "0.0.bias"), stem.getInputList());
        assertEquals(List.of(7L, 7L), attribute(stem, "kernel_shape").getIntsList());
        assertEquals(List.of(2L, 2L), attribute(stem, "strides").getIntsList());
        assertEquals(List.of(3L, 3L, 3L, 3L), attribute(stem, "pads").getIntsList());
        assertEquals(1L, attribute(stem, "group").getI());
        NodeProto gemm = node(gp, "5");
        assertEquals(1L, attribute(gemm, "transB").getI());
        assertEquals(0L, attribute(node(gp, "0.2"), "ceil_mode").getI());

        // Every intermediate value carries its shape.
        Map<String, ValueInfoProto> infos = new LinkedHashMap<>();
        for (ValueInfoProto v : gp.getValueInfoList()) infos.put(v.getName(), v);
        for (Node n : g.nodes()) {
            if (n.op() instanceof Input || n.name().equals("5")) continue;
            assertEquals(Arrays.stream(n.shape().dims()).mapToObj(d -> (long) d).toList(), dims(infos.get(n.name())), n.name());
        }
    }

    @Test
    void torchvisionAndBvlcOpTypes(@TempDir Path dir) throws Exception {
        Graph tv = SeededWeights.apply(Builtins.build("torchvision", Shape.of(1, 3, 64, 64), 10), 2).keepOutputs(List.of("logits"));
        GraphProto t = roundTrip(tv, 13).getGraph();
        assertWellFormed(t);
        // Dropout is left out.
        assertEquals(tv.nodes().size() - 1 - 1, t.getNodeCount());
        assertEquals(57, opCounts(t).get("BatchNormalization"));
        assertFalse(opCounts(t).containsKey("Dropout"));
        assertEquals(tv.weights().keys().size(), t.getInitializerCount());
        NodeProto bn = node(t, "conv1.bn");
        assertEquals(List.of("conv1.conv", "conv1.bn.weight", "conv1.bn.bias", "conv1.bn.running_mean", "conv1.bn.running_var"),
                bn.getInputList());
        assertEquals(0.001f, attribute(bn, "epsilon").getF(), 0);
        assertEquals(List.of("conv1.bn"), node(t, "conv1.relu").getInputList());
        assertEquals(List.of("flatten", "fc.weight", "fc.bias"), node(t, "fc").getInputList());
        assertEquals(List.of("x", "conv1.conv.weight"), node(t, "conv1.conv").getInputList());

        Graph bvlc = SeededWeights.apply(Builtins.build("bvlc"), 3);
        Path file = dir.resolve("bvlc.onnx");
        OnnxExporter.write(bvlc, file);
        GraphProto b = ModelProto.parseFrom(Files.readAllBytes(file)).getGraph();
        assertWellFormed(b);
        NodeProto lrn = node(b, "pool1/norm1");
        assertEquals("LRN", lrn.getOpType());
        assertEquals(5, attribute(lrn, "size").getI());
        assertEquals(1e-4f, attribute(lrn, "alpha").getF(), 0);
        assertEquals(0.75f, attribute(lrn, "beta").getF(), 0);
        assertEquals(1f, attribute(lrn, "bias").getF(), 0);
        NodeProto pool = node(b, "pool5/7x7_s1");
        assertEquals("AveragePool", pool.getOpType());
        assertEquals(1L, attribute(pool, "count_include_pad").getI());
        assertEquals(1L, attribute(node(b, "pool1/3x3_s2"), "ceil_mode").getI());
        assertEquals("Softmax", node(b, "prob").getOpType());
        assertEquals(1L, attribute(node(b, "prob"), "axis").getI());
        // The dropout's consumer reads the pool directly.
        assertEquals("pool5/7x7_s1", node(b, "loss3/flatten").getInput(0));
        assertEquals("prob", b.getOutput(0).getName());
        assertEquals(List.of(1L, 1000L), dims(b.getOutput(0)));
    }

    @Test
    void symbolicBatch() throws Exception {
        Graph g = SeededWeights.apply(Builtins.build("d2l", Shape.of(2, 3, 64, 64), 10), 1);
        GraphProto gp = ModelProto.parseFrom(OnnxExporter.export(g, 13, true)).getGraph();
        TensorShapeProto.Dimension batch = gp.getInput(0).getType().getTensorType().getShape().getDim(0);
        assertEquals("N", batch.getDimParam());
        assertEquals("N", gp.getOutput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(10, gp.getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue());
    }

    private static Graph small(String name, java.util.function.Consumer<GraphBuilder> body) {
        GraphBuilder b = new GraphBuilder(name);
        b.input("x", Shape.of(1, 4, 8, 8));
        body.accept(b);
        return b.build();
    }

    @Test
    void fusedBecomesProducerAndRelu() throws Exception {
        Graph g = small("fused", b -> b.output("y", b.add("c", new Fused(Conv2d.of(4, 8, 3, 1, 1), new Relu()), "x")));
        g = SeededWeights.apply(g, 0);
        GraphProto gp = roundTrip(g, 13).getGraph();
        assertWellFormed(gp);
        assertEquals(List.of("Conv", "Relu"), gp.getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of("x", "c.weight", "c.bias"), gp.getNode(0).getInputList());
        assertEquals(gp.getNode(0).getOutput(0), gp.getNode(1).getInput(0));
        assertEquals("y", gp.getNode(1).getOutput(0));
        assertEquals(2, gp.getInitializerCount());
    }

    @Test
    void asymmetricPaddingInOnnxOrder() throws Exception {
        Graph g = small("pads", b -> b.output("y", b.add("p",
                new MaxPool2d(2, 2, 2, 2, new Padding(0, 0, 1, 1), false), "x")));
        NodeProto p = roundTrip(g, 13).getGraph().getNode(0);
        assertEquals(List.of(0L, 0L, 1L, 1L), attribute(p, "pads").getIntsList());
        Graph c = small("conv", b -> b.output("y", b.add("c",
                new Conv2d(4, 4, 3, 3, 1, 1, new Padding(1, 2, 0, 3), 1, 1, 2, false), "x")));
        NodeProto conv = roundTrip(SeededWeights.apply(c, 0), 13).getGraph().getNode(0);
        assertEquals(List.of(1L, 2L, 0L, 3L), attribute(conv, "pads").getIntsList());
        assertEquals(2L, attribute(conv, "group").getI());
        assertEquals(List.of("x", "c.weight"), conv.getInputList());
    }

    @Test
    void ceilModeBeforeOpset10BecomesEndPadding() throws Exception {
        // 8 → ceil((8 − 3)/2) + 1 = 4 windows; floor gives 3 unless the end is padded by one.
        Graph g = small("ceil", b -> b.output("y", b.add("p", MaxPool2d.of(3, 2, 0, true), "x")));
        NodeProto at13 = roundTrip(g, 13).getGraph().getNode(0);
        assertEquals(1L, attribute(at13, "ceil_mode").getI());
        assertEquals(List.of(0L, 0L, 0L, 0L), attribute(at13, "pads").getIntsList());
        ModelProto m9 = roundTrip(g, 9);
        assertEquals(4, m9.getIrVersion());
        NodeProto at9 = m9.getGraph().getNode(0);
        assertTrue(at9.getAttributeList().stream().noneMatch(a -> a.getName().equals("ceil_mode")));
        assertEquals(List.of(0L, 0L, 1L, 1L), attribute(at9, "pads").getIntsList());

        // Counting padding, with the last window past the input: no Pad needed without padding, pads not counted.
        Graph avg = small("avg", b -> b.output("y", b.add("p", AvgPool2d.of(3, 2, 0, true, true), "x")));
        NodeProto a9 = roundTrip(avg, 9).getGraph().getNode(0);
        assertEquals("AveragePool", a9.getOpType());
        assertEquals(0L, attribute(a9, "count_include_pad").getI());
        assertEquals(List.of(0L, 0L, 1L, 1L), attribute(a9, "pads").getIntsList());
        // With padding: an explicit zero Pad (pads an input from opset 11 on), then the pool.
        Graph padded = small("avgpad", b -> b.output("y", b.add("p", AvgPool2d.of(3, 2, 1, true, true), "x")));
        GraphProto p13 = roundTrip(padded, 13).getGraph();
        assertWellFormed(p13);
        assertEquals(List.of("Pad", "AveragePool"), p13.getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L), p13.getInitializerList().stream()
                .filter(t -> t.getName().equals("p.pads")).findFirst().orElseThrow().getInt64DataList());
        assertEquals(1L, attribute(p13.getNode(1), "ceil_mode").getI());
        assertEquals(0L, attribute(p13.getNode(1), "count_include_pad").getI());
        GraphProto p9 = roundTrip(padded, 9).getGraph();
        assertEquals(List.of(0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L), attribute(p9.getNode(0), "pads").getIntsList());
    }

    @Test
    void adaptivePoolOnlyWhenItIsAPlainAveragePool() throws Exception {
        Graph ok = small("ok", b -> b.output("y", b.add("a", new AdaptiveAvgPool2d(4, 2), "x")));
        NodeProto a = roundTrip(ok, 13).getGraph().getNode(0);
        assertEquals("AveragePool", a.getOpType());
        assertEquals(List.of(2L, 4L), attribute(a, "kernel_shape").getIntsList());
        assertEquals(List.of(2L, 4L), attribute(a, "strides").getIntsList());

        Graph bad = small("bad", b -> b.output("y", b.add("aux.avgpool", new AdaptiveAvgPool2d(3, 3), "x")));
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(bad, 13));
        assertTrue(e.getMessage().contains("'aux.avgpool'"), e.getMessage());

        // torchvision's auxiliary heads pool 14×14 to 4×4: not exportable, and the message names the node.
        Graph tv = SeededWeights.apply(Builtins.build("torchvision", Shape.of(1, 3, 224, 224), 10), 0);
        var e2 = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(tv));
        assertTrue(e2.getMessage().contains("'aux1.avgpool'"), e2.getMessage());
    }

    @Test
    void outputsSharingAValueAndDropoutOutputs() throws Exception {
        Graph g = small("two", b -> {
            String f = b.add("f", new Flatten(), "x");
            String l = b.add("fc", Linear.of(256, 3), f);
            String d = b.add("drop", new Dropout(0.5), l);
            String s = b.add("s", new Softmax(), d);
            b.output("logits", d).output("also", l).output("probs", s);
        });
        GraphProto gp = roundTrip(SeededWeights.apply(g, 0), 13).getGraph();
        assertWellFormed(gp);
        assertEquals(List.of("logits", "also", "probs"), gp.getOutputList().stream().map(ValueInfoProto::getName).toList());
        assertEquals(List.of("Flatten", "Gemm", "Softmax", "Identity"), gp.getNodeList().stream().map(NodeProto::getOpType).toList());
        assertEquals("logits", node(gp, "fc").getOutput(0));
        assertEquals("logits", node(gp, "s").getInput(0));
    }

    @Test
    void rejectsGraphsWithoutWeightsAndBadOpsets() {
        Graph g = Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10);
        var e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(g));
        assertTrue(e.getMessage().contains("no weights"), e.getMessage());
        Graph seeded = SeededWeights.apply(g, 0);
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(seeded, 6));
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.export(seeded, 99));
    }

    @Test
    void rawDataIsLittleEndianFloat32() {
        TensorProto t = OnnxExporter.floats("w", Shape.of(2), new float[] {1f, -2.5f});
        ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(-2.5f);
        assertArrayEquals(expected.array(), t.getRawData().toByteArray());
        assertEquals(List.of(2L), t.getDimsList());
    }
}
