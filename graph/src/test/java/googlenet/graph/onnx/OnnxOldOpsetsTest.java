package googlenet.graph.onnx;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import org.junit.jupiter.api.Test;

import java.util.List;

import static googlenet.graph.onnx.OnnxImporterTest.floats;
import static googlenet.graph.onnx.OnnxImporterTest.graphError;
import static googlenet.graph.onnx.OnnxImporterTest.integer;
import static googlenet.graph.onnx.OnnxImporterTest.ints;
import static googlenet.graph.onnx.OnnxImporterTest.load;
import static googlenet.graph.onnx.OnnxImporterTest.model;
import static googlenet.graph.onnx.OnnxImporterTest.node;
import static googlenet.graph.onnx.OnnxImporterTest.small;
import static googlenet.graph.onnx.OnnxImporterTest.string;
import static googlenet.graph.onnx.OnnxImporterTest.value;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Opsets 1-6: their attributes where the meaning is today's, clear refusals where it is not (training mode). */
class OnnxOldOpsetsTest {
    /** x[1,3,8,8] → op → y, for ops on a computed tensor. */
    static GraphProto.Builder one(String op, List<String> inputs, googlenet.graph.onnx.proto.OnnxProto.AttributeProto... attrs) {
        return GraphProto.newBuilder().addInput(value("x", 1, 3, 8, 8))
                .addNode(node(op, "op", inputs, List.of("y"), attrs))
                .addOutput(value("y", 1, 3, 8, 8));
    }

    @Test
    void theSmallNetAtOpset1WithConsumedInputsAndGemmBroadcast() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(1, g.getNode(1).toBuilder().addAttribute(ints("consumed_inputs", 0)).build());
        g.setNode(5, g.getNode(5).toBuilder().addAttribute(integer("broadcast", 1)).build());
        Graph graph = load(model(1, g));
        assertEquals(List.of("Input", "Conv2d", "Relu", "MaxPool2d", "GlobalAvgPool", "Flatten", "Linear"),
                graph.nodes().stream().map(n -> n.op().getClass().getSimpleName()).toList());
        assertEquals(new GlobalAvgPool(), graph.node("gap").op());
        assertEquals(Shape.of(1, 5), graph.output("y").shape());
    }

    @Test
    void concatJoinsChannelsByDefaultBeforeOpset4() throws Exception {
        GraphProto.Builder g = GraphProto.newBuilder().addInput(value("x", 1, 3, 8, 8))
                .addNode(node("Relu", "relu", List.of("x"), List.of("r")))
                .addNode(node("Concat", "cat", List.of("x", "r"), List.of("y")))
                .addOutput(value("y", 1, 6, 8, 8));
        Graph graph = load(model(3, g));
        assertEquals(new Concat(1), graph.node("cat").op());
        assertEquals(Shape.of(1, 6, 8, 8), graph.output("y").shape());
        graphError(model(4, g), "node 'cat' (Concat)", "attribute 'axis' is required");
    }

    @Test
    void reshapeTakesItsShapeAttributeBeforeOpset5() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(4, node("Reshape", "reshape", List.of("g"), List.of("f"), ints("shape", 0, -1), ints("consumed_inputs", 0)));
        Graph graph = load(model(4, g));
        assertEquals(new Flatten(), graph.node("reshape").op());
        assertEquals(Shape.of(1, 4), graph.node("reshape").shape());
        g.setNode(4, node("Reshape", "reshape", List.of("g"), List.of("f")));
        graphError(model(4, g), "node 'reshape' (Reshape)", "attribute 'shape' is required (opset 4)");
    }

    @Test
    void padTakesPaddingsInOpset1() throws Exception {
        GraphProto.Builder g = small();
        g.setNode(0, node("Conv", "conv", List.of("xp", "w", "b"), List.of("c"), ints("kernel_shape", 3, 3)));
        g.addNode(0, node("Pad", "pad", List.of("x"), List.of("xp"), ints("paddings", 0, 0, 1, 2, 0, 0, 1, 2)));
        Graph graph = load(model(1, g));
        // [x1_begin, x2_begin, x3_begin, x4_begin, x1_end, ...]: H padded by 1 on both sides, W by 2.
        assertEquals(new Padding(1, 2, 1, 2), ((Conv2d) graph.node("conv").op()).padding());
        graphError(model(2, g), "node 'pad' (Pad)", "attribute 'pads' is required");
    }

    @Test
    void castNamesItsTypeBeforeOpset6() throws Exception {
        Graph graph = load(model(5, one("Cast", List.of("x"), string("to", "FLOAT"))));
        assertEquals(List.of("x"), graph.nodes().stream().map(Node::name).toList(), "a cast of floats to FLOAT is no node");
        graphError(model(5, one("Cast", List.of("x"), string("to", "DOUBLE"))), "node 'op' (Cast)", "to DOUBLE is not supported");
        graphError(model(5, one("Cast", List.of("x"), string("to", "REAL"))), "node 'op' (Cast)", "names no ONNX data type: 'REAL'");
    }

    /** Opsets 1-6 broadcast B only when broadcast=1, aligned at 'axis' of A: B[3] at axis 1 is one value per channel. */
    @Test
    void arithmeticBroadcastsBFromItsAxisBeforeOpset7() throws Exception {
        GraphProto.Builder g = one("Add", List.of("x", "shift"), integer("broadcast", 1), integer("axis", 1), ints("consumed_inputs", 0, 0))
                .addInitializer(floats("shift", new float[] {1f, 2f, 3f}, 3));
        Graph graph = load(model(6, g));
        assertEquals(new BatchNorm(3, 0.0), graph.node("op").op());
        assertArrayEquals(new float[] {1f, 1f, 1f}, graph.weights().get("op.weight").data());
        assertArrayEquals(new float[] {1f, 2f, 3f}, graph.weights().get("op.bias").data());

        // axis 2: B[8] runs along H, not per channel.
        g = one("Mul", List.of("x", "k"), integer("broadcast", 1), integer("axis", 2)).addInitializer(floats("k", new float[8], 8));
        graphError(model(6, g), "node 'op' (Mul)", "not a per-channel constant");
    }

    @Test
    void batchNormalizationAndDropoutNeedIsTestBeforeOpset7() throws Exception {
        GraphProto.Builder g = one("BatchNormalization", List.of("x", "s", "b", "m", "v"), integer("is_test", 1), integer("spatial", 1),
                ints("consumed_inputs", 0, 0, 0, 1, 1), OnnxImporterTest.real("epsilon", 1e-3f))
                .addInitializer(floats("s", new float[] {1, 2, 3}, 3)).addInitializer(floats("b", new float[3], 3))
                .addInitializer(floats("m", new float[3], 3)).addInitializer(floats("v", new float[] {1, 1, 1}, 3));
        assertEquals(new BatchNorm(3, 1e-3f), load(model(5, g)).node("op").op());
        g.setNode(0, g.getNode(0).toBuilder().setAttribute(0, integer("is_test", 0)).build());
        graphError(model(5, g), "node 'op' (BatchNormalization)", "is_test=0 (training mode");
        g.setNode(0, g.getNode(0).toBuilder().setAttribute(0, integer("is_test", 1)).setAttribute(1, integer("spatial", 0)).build());
        graphError(model(5, g), "node 'op' (BatchNormalization)", "spatial=0");

        Graph dropout = load(model(6, one("Dropout", List.of("x"), integer("is_test", 1), OnnxImporterTest.real("ratio", 0.5f))));
        assertEquals(List.of("x"), dropout.nodes().stream().map(Node::name).toList(), "an inference Dropout is no node");
        graphError(model(6, one("Dropout", List.of("x"))), "node 'op' (Dropout)", "is_test=0");
    }

    @Test
    void reluWithConsumedInputsAtOpset1() throws Exception {
        Graph graph = load(model(1, one("Relu", List.of("x"), ints("consumed_inputs", 0))));
        assertEquals(new Relu(), graph.node("op").op());
        graphError(model(7, one("Relu", List.of("x"), ints("consumed_inputs", 0))), "node 'op' (Relu)", "attribute 'consumed_inputs'");
    }
}
