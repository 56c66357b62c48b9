package googlenet.graph;

import googlenet.graph.models.Builtins;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad graphs fail at construction with a message naming the node and the shapes. */
class GraphValidationTest {
    private static void assertMessage(GraphException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + e.getMessage() + "' lacks '" + p + "'");
    }

    @Test
    void concatOfMismatchedSpatialSizes() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 3, 8, 8));
        String a = b.add("a", Conv2d.of(3, 4, 1), x);
        String c = b.add("c", Conv2d.of(3, 4, 3, 2, 1), x);
        var e = assertThrows(GraphException.class, () -> b.add("cat", new Concat(1), a, c));
        assertMessage(e, "'cat'", "(1, 4, 8, 8)", "(1, 4, 4, 4)");
    }

    @Test
    void kernelLargerThanPaddedInput() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 3, 4, 4));
        var e = assertThrows(GraphException.class, () -> b.add("big", Conv2d.of(3, 8, 7, 1, 1), x));
        assertMessage(e, "'big'", "kernel height 7", "padded input height 6");
    }

    @Test
    void outputSizeAtMostZeroNamesTheNode() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 1, 2, 2));
        var e = assertThrows(GraphException.class, () -> b.add("pool", MaxPool2d.of(3, 2, 0, false), x));
        assertMessage(e, "'pool'", "MaxPool2d", "larger than the padded input");
    }

    @Test
    void channelMismatch() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 3, 8, 8));
        var e = assertThrows(GraphException.class, () -> b.add("conv", Conv2d.of(64, 8, 3), x));
        assertMessage(e, "'conv'", "64 input channels", "(1, 3, 8, 8)");
    }

    @Test
    void zeroStrideAndZeroGroups() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 4, 8, 8));
        var stride = assertThrows(GraphException.class, () -> b.add("s",
                new Conv2d(4, 4, 3, 3, 0, 1, Padding.NONE, 1, 1, 1, true), x));
        assertMessage(stride, "'s'", "stride height must be ≥ 1, got 0");
        var groups = assertThrows(GraphException.class, () -> b.add("g",
                new Conv2d(4, 4, 3, 3, 1, 1, Padding.NONE, 1, 1, 0, true), x));
        assertMessage(groups, "'g'", "groups must be ≥ 1, got 0");
        var indivisible = assertThrows(GraphException.class, () -> b.add("h",
                new Conv2d(4, 6, 3, 3, 1, 1, Padding.NONE, 1, 1, 4, true), x));
        assertMessage(indivisible, "'h'", "multiples of groups 4");
    }

    @Test
    void unknownInputAndDuplicateName() {
        GraphBuilder b = new GraphBuilder("t");
        b.input("x", Shape.of(1, 3, 8, 8));
        var e = assertThrows(GraphException.class, () -> b.add("r", new Relu(), "nope"));
        assertMessage(e, "'r'", "unknown input 'nope'");
        var d = assertThrows(GraphException.class, () -> b.add("x", new Relu(), "x"));
        assertMessage(d, "'x'", "already taken");
        var o = assertThrows(GraphException.class, () -> b.output("y", "missing"));
        assertMessage(o, "output 'y'", "unknown node 'missing'");
    }

    @Test
    void tooSmallInputForTheBuiltinNamesTheFailingNode() {
        // conv1 7×7/2 pad 3 maps 2×2 to 1×1; maxpool1 (3×3, no padding) cannot fit on 1×1
        var e = assertThrows(GraphException.class, () -> Builtins.build("torchvision", Shape.of(1, 3, 2, 2), 10));
        assertMessage(e, "node 'maxpool1' (MaxPool2d)", "kernel height 3 is larger than the padded input height 1");
    }

    @Test
    void weightsAreCheckedByNameAndShape() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 2, 4, 4));
        b.output("y", b.add("conv", Conv2d.of(2, 3, 1), x));
        Graph g = b.build();
        Tensor w = Tensor.zeros(Shape.of(3, 2, 1, 1));
        Tensor bias = Tensor.zeros(Shape.of(3));
        assertEquals(g.withWeights(Weights.of(Map.of("conv.weight", w, "conv.bias", bias))).weights().keys().size(), 2);
        var missing = assertThrows(GraphException.class, () -> g.withWeights(Weights.of(Map.of("conv.weight", w))));
        assertMessage(missing, "missing", "conv.bias [3]");
        var shape = assertThrows(GraphException.class, () -> g.withWeights(Weights.of(Map.of(
                "conv.weight", Tensor.zeros(Shape.of(3, 2, 3, 3)), "conv.bias", bias))));
        assertMessage(shape, "'conv'", "[3, 2, 3, 3]", "expected [3, 2, 1, 1]");
        var extra = assertThrows(GraphException.class, () -> g.withWeights(Weights.of(Map.of(
                "conv.weight", w, "conv.bias", bias, "other.weight", bias))));
        assertMessage(extra, "no node takes", "other.weight");
    }

    @Test
    void reshapingReinfersEveryShape() {
        Graph g = SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 224, 224), 10), 0);
        Graph g4 = g.withInputShape(Shape.of(4, 3, 227, 227));
        assertEquals(Shape.of(4, 64, 114, 114), g4.node("0.0").shape());
        assertEquals(Shape.of(4, 10), g4.output("logits").shape());
        assertEquals(g.weights().asMap(), g4.weights().asMap());
    }
}
