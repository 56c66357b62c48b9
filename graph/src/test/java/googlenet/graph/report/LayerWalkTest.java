package googlenet.graph.report;

import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LayerWalkTest {
    /** The seed's walk at 1×3×227×227 with 10 classes, each line worked out from the output-size formula. */
    @Test
    void seedWalkOfD2lAt227() {
        List<String> expected = List.of(
                "Conv2d output shape: (1, 64, 114, 114)",
                "ReLU output shape: (1, 64, 114, 114)",
                "MaxPool2d output shape: (1, 64, 57, 57)",
                "Conv2d output shape: (1, 64, 57, 57)",
                "ReLU output shape: (1, 64, 57, 57)",
                "Conv2d output shape: (1, 192, 57, 57)",
                "ReLU output shape: (1, 192, 57, 57)",
                "MaxPool2d output shape: (1, 192, 29, 29)",
                "Inception output shape: (1, 256, 29, 29)",
                "Inception output shape: (1, 480, 29, 29)",
                "MaxPool2d output shape: (1, 480, 15, 15)",
                "Inception output shape: (1, 512, 15, 15)",
                "Inception output shape: (1, 512, 15, 15)",
                "Inception output shape: (1, 512, 15, 15)",
                "Inception output shape: (1, 528, 15, 15)",
                "Inception output shape: (1, 832, 15, 15)",
                "MaxPool2d output shape: (1, 832, 8, 8)",
                "Inception output shape: (1, 832, 8, 8)",
                "Inception output shape: (1, 1024, 8, 8)",
                "AdaptiveAvgPool2d output shape: (1, 1024, 1, 1)",
                "Flatten output shape: (1, 1024)",
                "Linear output shape: (1, 10)");
        List<String> walk = LayerWalk.of(Builtins.build("d2l", Shape.of(1, 3, 227, 227), 10))
                .stream().map(LayerWalk.Layer::toString).toList();
        assertEquals(expected, walk);
    }

    @Test
    void torchvisionWalkKeepsModulesWhole() {
        List<LayerWalk.Layer> walk = LayerWalk.of(Builtins.build("torchvision"));
        assertEquals("BasicConv2d", walk.getFirst().typeName());
        assertEquals(List.of("conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b",
                        "maxpool3", "inception4a", "aux1", "inception4b", "inception4c", "inception4d", "aux2",
                        "inception4e", "maxpool4", "inception5a", "inception5b", "avgpool", "flatten", "dropout", "fc"),
                walk.stream().map(LayerWalk.Layer::path).toList());
        assertEquals(Shape.of(1, 1000), walk.get(9).shape()); // aux1's logits
    }
}
