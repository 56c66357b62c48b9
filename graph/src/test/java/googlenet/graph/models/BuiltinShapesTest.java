package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Shape inference against shapes computed by hand from the output-size formula. */
class BuiltinShapesTest {
    private static Shape s(int... d) {
        return Shape.of(d);
    }

    private static void assertShape(Graph g, String node, Shape expected) {
        assertEquals(expected, g.node(node).shape(), node);
    }

    @Test
    void d2lAt224() {
        Graph g = Builtins.build("d2l", s(1, 3, 224, 224), 1000);
        assertShape(g, "0.0", s(1, 64, 112, 112));      // (224 + 6 - 7) / 2 + 1
        assertShape(g, "0.2", s(1, 64, 56, 56));        // (112 + 2 - 3) / 2 + 1
        assertShape(g, "1.2", s(1, 192, 56, 56));
        assertShape(g, "1.4", s(1, 192, 28, 28));       // (56 + 2 - 3) / 2 + 1
        assertShape(g, "2.0.concat", s(1, 256, 28, 28)); // 64 + 128 + 32 + 32
        assertShape(g, "2.1.concat", s(1, 480, 28, 28)); // 128 + 192 + 96 + 64
        assertShape(g, "2.2", s(1, 480, 14, 14));
        assertShape(g, "3.0.concat", s(1, 512, 14, 14)); // 192 + 208 + 48 + 64
        assertShape(g, "3.3.concat", s(1, 528, 14, 14)); // 112 + 288 + 64 + 64
        assertShape(g, "3.4.concat", s(1, 832, 14, 14)); // 256 + 320 + 128 + 128
        assertShape(g, "3.5", s(1, 832, 7, 7));
        assertShape(g, "4.1.concat", s(1, 1024, 7, 7)); // 384 + 384 + 128 + 128
        assertShape(g, "4.2", s(1, 1024, 1, 1));
        assertShape(g, "4.3", s(1, 1024));
        assertEquals(s(1, 1000), g.output("logits").shape());
    }

    @Test
    void d2lAt227WithBatch4() {
        Graph g = Builtins.build("d2l", s(4, 3, 227, 227), 10);
        assertShape(g, "0.0", s(4, 64, 114, 114));      // (227 + 6 - 7) / 2 + 1 = 113 + 1
        assertShape(g, "0.2", s(4, 64, 57, 57));        // (114 + 2 - 3) / 2 + 1 = 56 + 1
        assertShape(g, "1.4", s(4, 192, 29, 29));       // (57 + 2 - 3) / 2 + 1
        assertShape(g, "2.2", s(4, 480, 15, 15));       // (29 + 2 - 3) / 2 + 1
        assertShape(g, "3.5", s(4, 832, 8, 8));         // (15 + 2 - 3) / 2 + 1
        assertEquals(s(4, 10), g.output("logits").shape());
    }

    @Test
    void torchvisionAt224() {
        Graph g = Builtins.build("torchvision", s(1, 3, 224, 224), 1000);
        assertShape(g, "conv1.relu", s(1, 64, 112, 112));
        assertShape(g, "maxpool1", s(1, 64, 56, 56));   // ceil((112 - 3) / 2) + 1 = 55 + 1
        assertShape(g, "maxpool2", s(1, 192, 28, 28));  // ceil((56 - 3) / 2) + 1 = 27 + 1
        assertShape(g, "inception3b.concat", s(1, 480, 28, 28));
        assertShape(g, "maxpool3", s(1, 480, 14, 14));  // ceil(25 / 2) + 1
        assertShape(g, "aux1.avgpool", s(1, 512, 4, 4)); // adaptive to 4×4
        assertShape(g, "aux2.avgpool", s(1, 528, 4, 4));
        assertShape(g, "maxpool4", s(1, 832, 7, 7));    // kernel 2 stride 2: ceil(12 / 2) + 1
        assertShape(g, "inception5b.concat", s(1, 1024, 7, 7));
        assertEquals(s(1, 1000), g.output("logits").shape());
        assertEquals(s(1, 1000), g.output("aux1").shape());
        assertEquals(s(1, 1000), g.output("aux2").shape());
        assertEquals(List.of("logits", "aux1", "aux2"), List.copyOf(g.outputs().keySet()));
    }

    @Test
    void torchvisionAt227() {
        Graph g = Builtins.build("torchvision", s(1, 3, 227, 227), 1000);
        assertShape(g, "conv1.relu", s(1, 64, 114, 114));
        assertShape(g, "maxpool1", s(1, 64, 57, 57));   // ceil(111 / 2) + 1 = 56 + 1; last window starts at 112 < 114
        assertShape(g, "maxpool2", s(1, 192, 28, 28));  // ceil(54 / 2) + 1
        assertShape(g, "maxpool3", s(1, 480, 14, 14));
        assertShape(g, "maxpool4", s(1, 832, 7, 7));
    }

    @Test
    void bvlcAt224And227() {
        Graph g = Builtins.build("bvlc", s(1, 3, 224, 224), 1000);
        assertShape(g, "pool1/3x3_s2", s(1, 64, 56, 56));
        assertShape(g, "pool1/norm1", s(1, 64, 56, 56));
        assertShape(g, "pool2/3x3_s2", s(1, 192, 28, 28));
        assertShape(g, "pool3/3x3_s2", s(1, 480, 14, 14));
        assertShape(g, "pool4/3x3_s2", s(1, 832, 7, 7)); // ceil((14 - 3) / 2) + 1 = 6 + 1
        assertShape(g, "pool5/7x7_s1", s(1, 1024, 1, 1));
        assertEquals(s(1, 1000), g.output("prob").shape());

        Graph h = Builtins.build("bvlc", s(1, 3, 227, 227), 1000);
        assertShape(h, "conv1/7x7_s2", s(1, 64, 114, 114));
        assertShape(h, "pool1/3x3_s2", s(1, 64, 57, 57));
        assertShape(h, "pool2/3x3_s2", s(1, 192, 28, 28));
        assertShape(h, "pool4/3x3_s2", s(1, 832, 7, 7));
    }

    @Test
    void inputChannelsAreAParameter() {
        Graph g = Builtins.build("d2l", s(2, 1, 96, 96), 10);
        assertEquals(s(64, 1, 7, 7), g.node("0.0").params().getFirst().shape());
        assertEquals(s(2, 10), g.output("logits").shape());
    }
}
