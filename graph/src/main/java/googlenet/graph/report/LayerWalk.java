package googlenet.graph.report;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.Shape;
import googlenet.graph.op.Input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's walk of a network, {@code for layer in net: X = layer(X); print(...)}, one line per layer
 * with {@code Sequential} containers opened and every other module (an Inception block) kept as one
 * line: {@code "Inception output shape: (1, 256, 29, 29)"}.
 */
public final class LayerWalk {
    /** One line of the walk: a leaf node or a whole non-Sequential module. */
    public record Layer(String path, String typeName, Shape shape) {
        @Override
        public String toString() {
            return typeName + " output shape: " + shape;
        }
    }

    private LayerWalk() {
    }

    public static List<Layer> of(Graph graph) {
        Map<String, Layer> layers = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            if (node.op() instanceof Input) continue;
            Scope unit = outermostModule(graph, node);
            String path = unit == null ? node.name() : unit.path();
            String type = unit == null ? node.op().typeName() : unit.typeName();
            layers.put(path, new Layer(path, type, node.shape())); // a module's last node gives its output shape
        }
        return List.copyOf(layers.values());
    }

    /** The outermost enclosing scope that is not a Sequential, or null if the node is a direct child of Sequentials. */
    private static Scope outermostModule(Graph graph, Node node) {
        Scope best = null;
        for (Scope s : graph.scopes()) {
            if (s.contains(node.name()) && !s.typeName().equals("Sequential")
                    && (best == null || best.path().length() > s.path().length())) {
                best = s;
            }
        }
        return best;
    }
}
