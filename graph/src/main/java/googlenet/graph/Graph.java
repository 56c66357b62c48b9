package googlenet.graph;

import googlenet.graph.op.Input;
import googlenet.graph.op.Param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * An immutable DAG of typed nodes in topological order, with named outputs, the module scopes of
 * the network it came from, and (optionally) its weights. Build one with {@link GraphBuilder}.
 */
public final class Graph {
    private final String name;
    private final List<Node> nodes;
    private final Map<String, Node> byName;
    private final List<Scope> scopes;
    private final Map<String, String> outputs;
    private final Weights weights;

    Graph(String name, List<Node> nodes, List<Scope> scopes, Map<String, String> outputs, Weights weights) {
        this.name = name;
        this.nodes = List.copyOf(nodes);
        Map<String, Node> index = new HashMap<>();
        for (Node n : nodes) index.put(n.name(), n);
        this.byName = Collections.unmodifiableMap(index);
        this.scopes = List.copyOf(scopes);
        this.outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
        this.weights = weights;
    }

    public String name() {
        return name;
    }

    /** All nodes, inputs included, in topological order. */
    public List<Node> nodes() {
        return nodes;
    }

    public Node node(String nodeName) {
        Node n = byName.get(nodeName);
        if (n == null) throw new GraphException("graph '" + name + "' has no node '" + nodeName + "'");
        return n;
    }

    public boolean hasNode(String nodeName) {
        return byName.containsKey(nodeName);
    }

    public List<Node> inputs() {
        return nodes.stream().filter(n -> n.op() instanceof Input).toList();
    }

    /** Output name → node name, in declaration order. */
    public Map<String, String> outputs() {
        return outputs;
    }

    public Node output(String outputName) {
        String nodeName = outputs.get(outputName);
        if (nodeName == null) {
            throw new GraphException("graph '" + name + "' has no output '" + outputName + "'; it has " + outputs.keySet());
        }
        return byName.get(nodeName);
    }

    public List<Scope> scopes() {
        return scopes;
    }

    public Weights weights() {
        return weights;
    }

    public boolean hasWeights() {
        return !weights.isEmpty() || nodes.stream().allMatch(n -> n.params().isEmpty());
    }

    public long parameterCount() {
        long total = 0;
        for (Node n : nodes) total += n.parameterCount();
        return total;
    }

    public long multAdds() {
        long total = 0;
        for (Node n : nodes) total += n.multAdds();
        return total;
    }

    /** Every weight the graph's nodes need, keyed as in {@link Weights}, in node order. */
    public Map<String, Param> requiredWeights() {
        Map<String, Param> required = new LinkedHashMap<>();
        for (Node n : nodes) for (Param p : n.params()) required.put(n.paramKey(p), p);
        return required;
    }

    /**
     * The same graph with these weights, checked: every weight a node needs is present with its
     * exact shape and no other weight is given.
     */
    public Graph withWeights(Weights newWeights) {
        if (newWeights.isEmpty()) return new Graph(name, nodes, scopes, outputs, Weights.NONE);
        Map<String, Param> required = requiredWeights();
        List<String> missing = new ArrayList<>();
        for (var e : required.entrySet()) {
            Tensor t = newWeights.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey() + " " + e.getValue().shape().toListString());
            } else if (!t.shape().equals(e.getValue().shape())) {
                String nodeName = e.getKey().substring(0, e.getKey().lastIndexOf('.'));
                throw new GraphException("node '" + nodeName + "' (" + byName.get(nodeName).op().typeName() + "): weight '"
                        + e.getKey() + "' has shape " + t.shape().toListString() + ", expected " + e.getValue().shape().toListString());
            }
        }
        if (!missing.isEmpty()) {
            throw new GraphException("graph '" + name + "': " + missing.size() + " weight(s) missing: "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))) + (missing.size() > 5 ? ", …" : ""));
        }
        TreeSet<String> unexpected = new TreeSet<>(newWeights.keys());
        unexpected.removeAll(required.keySet());
        if (!unexpected.isEmpty()) {
            throw new GraphException("graph '" + name + "': " + unexpected.size() + " weight(s) that no node takes: "
                    + String.join(", ", unexpected.stream().limit(5).toList()) + (unexpected.size() > 5 ? ", …" : ""));
        }
        return new Graph(name, nodes, scopes, outputs, newWeights);
    }

    /** The same graph for another input shape (e.g. another batch size), shapes re-inferred and re-checked. */
    public Graph withInputShape(Shape inputShape) {
        List<Node> ins = inputs();
        if (ins.size() != 1) throw new GraphException("graph '" + name + "' has " + ins.size() + " inputs; give a shape per input");
        return withInputShapes(Map.of(ins.getFirst().name(), inputShape));
    }

    public Graph withInputShapes(Map<String, Shape> inputShapes) {
        GraphBuilder b = new GraphBuilder(name);
        for (Scope s : scopes) b.scope(s.path(), s.typeName());
        for (Node n : nodes) {
            if (n.op() instanceof Input in) {
                b.input(n.name(), inputShapes.getOrDefault(n.name(), in.shape()));
            } else {
                b.add(n.name(), n.op(), n.inputs().toArray(String[]::new));
            }
        }
        outputs.forEach(b::output);
        return b.build(weights);
    }

    /**
     * The graph reduced to what these outputs need: every other node, output, scope and weight
     * dropped (e.g. the auxiliary classifiers when only {@code logits} is asked for).
     */
    public Graph keepOutputs(List<String> outputNames) {
        if (outputNames.isEmpty()) throw new GraphException("graph '" + name + "': no outputs requested");
        Map<String, String> kept = new LinkedHashMap<>();
        java.util.Set<String> live = new java.util.HashSet<>();
        java.util.ArrayDeque<String> work = new java.util.ArrayDeque<>();
        for (String o : outputNames) {
            String nodeName = output(o).name();
            if (kept.put(o, nodeName) != null) throw new GraphException("output '" + o + "' requested twice");
            work.add(nodeName);
        }
        while (!work.isEmpty()) {
            String n = work.pop();
            if (live.add(n)) work.addAll(byName.get(n).inputs());
        }
        List<Node> keptNodes = nodes.stream().filter(n -> live.contains(n.name())).toList();
        List<Scope> keptScopes = scopes.stream()
                .filter(s -> keptNodes.stream().anyMatch(n -> s.contains(n.name()))).toList();
        Map<String, Tensor> keptWeights = new LinkedHashMap<>();
        for (Node n : keptNodes) {
            for (Param p : n.params()) {
                Tensor t = weights.get(n.paramKey(p));
                if (t != null) keptWeights.put(n.paramKey(p), t);
            }
        }
        return new Graph(name, keptNodes, keptScopes, kept, Weights.of(keptWeights));
    }

    /** The node's consumers, in topological order. */
    public List<Node> consumers(String nodeName) {
        return nodes.stream().filter(n -> n.inputs().contains(nodeName)).toList();
    }

    @Override
    public String toString() {
        return "Graph[" + name + ", " + nodes.size() + " nodes, outputs " + outputs.keySet() + "]";
    }
}
