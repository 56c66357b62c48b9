package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Shape;

import java.util.List;

/** The builtin networks by name: {@code d2l}, {@code torchvision}, {@code bvlc}. */
public final class Builtins {
    public static final Shape DEFAULT_INPUT = Shape.of(1, 3, 224, 224);
    public static final int DEFAULT_CLASSES = 1000;
    public static final List<String> NAMES = List.of("d2l", "torchvision", "bvlc");

    private Builtins() {
    }

    public static Graph build(String name) {
        return build(name, DEFAULT_INPUT, DEFAULT_CLASSES);
    }

    public static Graph build(String name, Shape input, int classes) {
        if (input.rank() != 4) {
            throw new GraphException("builtin:" + name + " takes an N,C,H,W input, got " + input);
        }
        if (classes < 1) throw new GraphException("builtin:" + name + ": classes must be ≥ 1, got " + classes);
        return switch (name) {
            case "d2l" -> D2lGoogLeNet.build(input, classes);
            case "torchvision" -> TorchvisionGoogLeNet.build(input, classes);
            case "bvlc" -> BvlcGoogLeNet.build(input, classes);
            default -> throw new GraphException("unknown builtin model '" + name + "'; builtins are " + NAMES);
        };
    }
}
