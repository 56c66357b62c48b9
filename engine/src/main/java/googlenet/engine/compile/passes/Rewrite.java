package googlenet.engine.compile.passes;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.op.Input;
import googlenet.graph.op.Op;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Collects a pass's edits to a graph — replace a node's op, remove a single-input node so that its
 * consumers read its input, set a weight — and applies them all at once into a new, re-checked graph.
 */
final class Rewrite {
    private final Graph graph;
    private final Map<String, Op> replaced = new HashMap<>();
    private final Map<String, String> removed = new HashMap<>();
    private final Map<String, Tensor> weights = new LinkedHashMap<>();
    private final Set<String> droppedWeights = new HashSet<>();

    Rewrite(Graph graph) {
        this.graph = graph;
        this.weights.putAll(graph.weights().asMap());
    }

    void replace(String node, Op op) {
        replaced.put(node, op);
    }

    /** Removes a one-input node: its consumers (and outputs) read its input instead. */
    void remove(String node) {
        Node n = graph.node(node);
        if (n.inputs().size() != 1) throw new IllegalArgumentException("only one-input nodes can be removed: " + node);
        removed.put(node, n.inputs().getFirst());
        for (var p : n.params()) droppedWeights.add(n.paramKey(p));
    }

    void setWeight(String key, Tensor t) {
        weights.put(key, t);
        droppedWeights.remove(key);
    }

    boolean changed() {
        return !replaced.isEmpty() || !removed.isEmpty();
    }

    private String resolve(String node) {
        while (removed.containsKey(node)) node = removed.get(node);
        return node;
    }

    Graph apply() {
        if (!changed()) return graph;
        GraphBuilder b = new GraphBuilder(graph.name());
        for (Scope s : graph.scopes()) b.scope(s.path(), s.typeName());
        for (Node n : graph.nodes()) {
            if (removed.containsKey(n.name())) continue;
            if (n.op() instanceof Input in) {
                b.input(n.name(), in.shape());
                continue;
            }
            String[] inputs = n.inputs().stream().map(this::resolve).toArray(String[]::new);
            b.add(n.name(), replaced.getOrDefault(n.name(), n.op()), inputs);
        }
        graph.outputs().forEach((name, node) -> b.output(name, resolve(node)));
        Graph structure = b.build();
        Map<String, Tensor> kept = new LinkedHashMap<>();
        for (String key : structure.requiredWeights().keySet()) {
            if (!droppedWeights.contains(key) && weights.containsKey(key)) kept.put(key, weights.get(key));
        }
        return graph.weights().isEmpty() ? structure : structure.withWeights(Weights.of(kept));
    }
}
