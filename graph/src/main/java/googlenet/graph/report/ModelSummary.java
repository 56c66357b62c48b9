package googlenet.graph.report;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.Shape;
import googlenet.graph.op.Input;
import googlenet.graph.op.Param;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A torchinfo-style summary of a graph: the module tree with each layer's output shape, parameters
 * and multiply-adds, and the totals. Sizes in MB are 10⁶ bytes of float32, as torchinfo counts them.
 */
public record ModelSummary(String model, Shape input, List<Row> rows, long totalParams, long nonTrainableParams,
                           long multAdds, long inputBytes, long activationBytes, long paramBytes) {

    /**
     * One table row: a module scope (params and mult-adds summed over its nodes) or a node.
     *
     * @param depth 1 for the children of the model, 2 for theirs, …
     * @param index the row's number among the rows of its depth, as torchinfo's "depth-idx"
     */
    public record Row(String name, String typeName, int depth, int index, Shape outputShape, long params,
                      long multAdds, boolean isModule) {
    }

    public static ModelSummary of(Graph graph) {
        List<Row> rows = new ArrayList<>();
        Map<Integer, Integer> counters = new HashMap<>();
        Deque<Scope> open = new ArrayDeque<>();
        long params = 0;
        long buffers = 0;
        long activations = 0;
        long inputBytes = 0;
        Shape input = null;
        for (Node node : graph.nodes()) {
            if (node.op() instanceof Input) {
                inputBytes += 4 * node.shape().elements();
                if (input == null) input = node.shape();
                continue;
            }
            List<Scope> chain = graph.scopes().stream().filter(s -> s.contains(node.name()))
                    .sorted((a, b) -> Integer.compare(a.path().length(), b.path().length())).toList();
            while (!open.isEmpty() && !chain.contains(open.peekLast())) open.removeLast();
            for (Scope s : chain) {
                if (!open.contains(s)) {
                    open.addLast(s);
                    int depth = open.size();
                    rows.add(moduleRow(graph, s, depth, counters.merge(depth, 1, Integer::sum)));
                }
            }
            int depth = open.size() + 1;
            rows.add(new Row(node.name(), node.op().typeName(), depth, counters.merge(depth, 1, Integer::sum),
                    node.shape(), node.parameterCount(), node.multAdds(), false));
            params += node.parameterCount();
            for (Param p : node.params()) if (!p.learned()) buffers += p.shape().elements();
            activations += 4 * node.shape().elements();
        }
        return new ModelSummary(graph.name(), input, List.copyOf(rows), params, 0, graph.multAdds(),
                inputBytes, activations, 4 * (params + buffers));
    }

    private static Row moduleRow(Graph graph, Scope scope, int depth, int index) {
        long params = 0;
        long multAdds = 0;
        Shape last = null;
        for (Node n : graph.nodes()) {
            if (scope.contains(n.name())) {
                params += n.parameterCount();
                multAdds += n.multAdds();
                last = n.shape();
            }
        }
        return new Row(scope.path(), scope.typeName(), depth, index, last, params, multAdds, true);
    }

    /** The table as torchinfo prints it, with a Mult-Adds column. */
    public String toTable() {
        String rule = "=".repeat(112) + "\n";
        StringBuilder sb = new StringBuilder();
        sb.append(rule);
        sb.append(String.format("%-52s%-26s%16s%18s%n", "Layer (type:depth-idx)", "Output Shape", "Param #", "Mult-Adds"));
        sb.append(rule);
        sb.append(String.format("%-52s%-26s%16s%18s%n", model + " (input " + input + ")", rows.isEmpty() ? "" :
                rows.getLast().outputShape().toListString(), "--", "--"));
        for (Row r : rows) {
            String prefix = r.depth() == 1 ? "├─" : "│    ".repeat(r.depth() - 1) + "└─";
            String label = prefix + r.typeName() + ": " + r.depth() + "-" + r.index();
            String params = r.params() == 0 && (r.isModule() || r.multAdds() == 0) ? "--" : String.format("%,d", r.params());
            String madds = r.multAdds() == 0 ? "--" : String.format("%,d", r.multAdds());
            sb.append(String.format("%-52s%-26s%16s%18s%n", label + "  " + shortName(r.name()), r.outputShape().toListString(), params, madds));
        }
        sb.append(rule);
        sb.append(String.format("Total params: %,d%n", totalParams));
        sb.append(String.format("Trainable params: %,d%n", totalParams - nonTrainableParams));
        sb.append(String.format("Non-trainable params: %,d%n", nonTrainableParams));
        sb.append(String.format("Total mult-adds (G): %.3f%n", multAdds / 1e9));
        sb.append(rule);
        sb.append(String.format("Input size (MB): %.2f%n", inputBytes / 1e6));
        sb.append(String.format("Activation size (MB): %.2f%n", activationBytes / 1e6));
        sb.append(String.format("Params size (MB): %.2f%n", paramBytes / 1e6));
        sb.append(String.format("Estimated total size (MB): %.2f%n", (inputBytes + activationBytes + paramBytes) / 1e6));
        sb.append(rule);
        return sb.toString();
    }

    private static String shortName(String name) {
        int cut = Math.max(name.lastIndexOf('.'), name.lastIndexOf('/'));
        String s = cut < 0 ? name : name.substring(cut + 1);
        return s.length() > 14 ? s.substring(0, 14) : s;
    }
}
