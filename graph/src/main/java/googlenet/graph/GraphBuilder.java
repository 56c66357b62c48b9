package googlenet.graph;

import googlenet.graph.op.Input;
import googlenet.graph.op.Op;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Graph} node by node, inferring and checking each node's shape as it is added,
 * so that a bad graph fails at the node that makes it bad. Nodes can only consume nodes added
 * before them: the order of addition is a topological order.
 */
public final class GraphBuilder {
    private final String name;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Scope> scopes = new ArrayList<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();

    public GraphBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String input(String inputName, Shape shape) {
        return add(inputName, new Input(shape));
    }

    /** Declares a module scope; nodes named {@code path + ".…"} belong to it. */
    public GraphBuilder scope(String path, String typeName) {
        scopes.add(new Scope(path, typeName));
        return this;
    }

    /** Adds a node and returns its name, so that calls chain like a PyTorch forward. */
    public String add(String nodeName, Op op, String... inputs) {
        Objects.requireNonNull(op, "op");
        if (nodeName == null || nodeName.isEmpty()) throw new GraphException("a node needs a non-empty name (op " + op.typeName() + ")");
        if (nodes.containsKey(nodeName)) throw new GraphException("node '" + nodeName + "': the name is already taken");
        int arity = op.arity();
        if (arity >= 0 ? inputs.length != arity : inputs.length == 0) {
            throw new GraphException("node '" + nodeName + "' (" + op.typeName() + "): expects "
                    + (arity >= 0 ? arity : "at least one") + " input(s), got " + inputs.length);
        }
        List<Shape> shapes = new ArrayList<>(inputs.length);
        for (String in : inputs) {
            Node producer = nodes.get(in);
            if (producer == null) {
                throw new GraphException("node '" + nodeName + "' (" + op.typeName() + "): unknown input '" + in + "'");
            }
            shapes.add(producer.shape());
        }
        Shape shape = op.inferShape(nodeName, shapes);
        nodes.put(nodeName, new Node(nodeName, op, Arrays.asList(inputs), shapes, shape));
        return nodeName;
    }

    /** Names a graph output. */
    public GraphBuilder output(String outputName, String nodeName) {
        if (!nodes.containsKey(nodeName)) {
            throw new GraphException("output '" + outputName + "': unknown node '" + nodeName + "'");
        }
        if (outputs.putIfAbsent(outputName, nodeName) != null) {
            throw new GraphException("output '" + outputName + "' is declared twice");
        }
        return this;
    }

    public Shape shapeOf(String nodeName) {
        Node n = nodes.get(nodeName);
        if (n == null) throw new GraphException("unknown node '" + nodeName + "'");
        return n.shape();
    }

    public Graph build() {
        return build(Weights.NONE);
    }

    public Graph build(Weights weights) {
        if (outputs.isEmpty()) throw new GraphException("graph '" + name + "' has no outputs");
        return new Graph(name, List.copyOf(nodes.values()), scopes, outputs, Weights.NONE).withWeights(weights);
    }
}
