package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Parameter and multiply-add counts against the figures torchinfo prints for the PyTorch models. */
class BuiltinCountsTest {
    @Test
    void d2l() {
        Graph g = Builtins.build("d2l", Shape.of(1, 3, 224, 224), 1000);
        assertEquals(6_998_552, g.parameterCount());
        assertEquals(1.583, Math.round(g.multAdds() / 1e6) / 1e3, 1e-9);
    }

    @Test
    void torchvisionWithAndWithoutAuxiliaryHeads() {
        Graph g = Builtins.build("torchvision", Shape.of(1, 3, 224, 224), 1000);
        assertEquals(13_004_888, g.parameterCount());
        assertEquals(6_624_904, g.keepOutputs(List.of("logits")).parameterCount());
    }

    @Test
    void multAddsScaleWithBatch() {
        long one = Builtins.build("d2l", Shape.of(1, 3, 224, 224), 1000).multAdds();
        long four = Builtins.build("d2l", Shape.of(4, 3, 224, 224), 1000).multAdds();
        assertEquals(4 * one, four);
    }

    @Test
    void firstConvByHand() {
        Graph g = Builtins.build("d2l", Shape.of(1, 3, 224, 224), 1000);
        // 64·3·7·7 weights + 64 biases; (64·3·7·7) · 112·112 output positions
        assertEquals(64 * 3 * 49 + 64, g.node("0.0").parameterCount());
        assertEquals(64L * 3 * 49 * 112 * 112, g.node("0.0").multAdds());
        // BatchNorm counts γ and β, not its running statistics
        Graph t = Builtins.build("torchvision", Shape.of(1, 3, 224, 224), 1000);
        assertEquals(2 * 64, t.node("conv1.bn").parameterCount());
        assertEquals(0, t.node("conv1.bn").multAdds());
    }
}
