package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.op.Linear;

import java.util.List;

/**
 * The builtin networks by name: {@code d2l}, {@code torchvision}, {@code bvlc} (structures, for seeded or given weights)
 * and {@code d2l-fashion} (the d2l structure with shipped weights trained on Fashion-MNIST, input N×1×56×56).
 */
public final class Builtins {
    public static final Shape DEFAULT_INPUT = Shape.of(1, 3, 224, 224);
    public static final int DEFAULT_CLASSES = 1000;
    public static final List<String> NAMES = List.of("d2l", "torchvision", "bvlc", D2lFashion.NAME);

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
            case D2lFashion.NAME -> D2lGoogLeNet.build(input, classes);
            default -> throw new GraphException("unknown builtin model '" + name + "'; builtins are " + NAMES);
        };
    }

    /** The input a builtin is made for, with {@code batch} images: 3×224×224, or 1×56×56 for {@code d2l-fashion}. */
    public static Shape defaultInput(String name, int batch) {
        return name.equals(D2lFashion.NAME) ? D2lFashion.shipped().inputShape(batch) : DEFAULT_INPUT.with(0, batch);
    }

    /** The class count a builtin is made for: 1000, or 10 for {@code d2l-fashion}. */
    public static int defaultClasses(String name) {
        return name.equals(D2lFashion.NAME) ? D2lFashion.shipped().classes().size() : DEFAULT_CLASSES;
    }

    /** The weights shipped with a builtin ({@code d2l-fashion}), or {@code null} for those that take seeded or given ones. */
    public static Weights shippedWeights(String name) {
        return name.equals(D2lFashion.NAME) ? D2lFashion.shipped().weights() : null;
    }

    /** The class count {@code weights} give the classifier of {@code structure} (the last Linear an output is), else {@code fallback}. */
    public static int classesIn(Graph structure, Weights weights, int fallback) {
        List<Node> linears = structure.nodes().stream().filter(n -> n.op() instanceof Linear).toList();
        for (int i = linears.size() - 1; i >= 0; i--) {
            String key = linears.get(i).name() + ".weight";
            if (structure.outputs().containsValue(linears.get(i).name())) {
                Tensor t = weights.get(key);
                if (t != null && t.shape().rank() == 2) return t.shape().dim(0);
            }
        }
        return fallback;
    }

    /**
     * A builtin's structure with given weights. A state_dict saved without auxiliary classifiers (torchvision's
     * {@code aux_logits=False}) runs the outputs it has weights for.
     */
    public static Graph withWeights(Graph structure, Weights weights) {
        List<String> covered = structure.outputs().keySet().stream()
                .filter(o -> weights.keys().containsAll(structure.keepOutputs(List.of(o)).requiredWeights().keySet())).toList();
        Graph kept = covered.isEmpty() || covered.size() == structure.outputs().size() ? structure : structure.keepOutputs(covered);
        return kept.withWeights(weights);
    }
}
