package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.op.Input;

import java.util.ArrayList;
import java.util.List;

/** The graph in Graphviz's DOT language: nodes labelled with op and output shape, each Inception block a cluster. */
final class GraphDot {
    private GraphDot() {
    }

    static String render(Graph graph) {
        StringBuilder dot = new StringBuilder();
        dot.append("digraph \"").append(graph.name()).append("\" {\n");
        dot.append("  rankdir=TB; node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\", fontsize=10];\n");
        List<Node> placed = new ArrayList<>();
        int cluster = 0;
        for (Scope s : graph.scopes()) {
            if (!s.typeName().equals("Inception")) continue;
            List<Node> members = graph.nodes().stream().filter(n -> s.contains(n.name())).toList();
            if (members.isEmpty()) continue;
            dot.append("  subgraph cluster_").append(cluster++).append(" {\n");
            dot.append("    label=\"").append(escape(s.path())).append(" (Inception)\"; style=rounded; color=\"#7a8fb8\";\n");
            for (Node n : members) {
                dot.append("    ").append(node(n)).append('\n');
                placed.add(n);
            }
            dot.append("  }\n");
        }
        for (Node n : graph.nodes()) if (!placed.contains(n)) dot.append("  ").append(node(n)).append('\n');
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) dot.append("  \"").append(escape(in)).append("\" -> \"").append(escape(n.name())).append("\";\n");
        }
        graph.outputs().forEach((name, node) -> dot.append("  \"out:").append(escape(name))
                .append("\" [shape=ellipse, fillcolor=\"#fbeee0\", label=\"").append(escape(name)).append("\"];\n  \"")
                .append(escape(node)).append("\" -> \"out:").append(escape(name)).append("\";\n"));
        return dot.append("}\n").toString();
    }

    private static String node(Node n) {
        String attrs = n.op().attributes();
        String label = n.op().typeName() + (attrs.isEmpty() ? "" : " " + attrs) + "\\n" + n.shape().toListString();
        String fill = n.op() instanceof Input ? ", fillcolor=\"#e3f4e1\"" : "";
        return "\"" + escape(n.name()) + "\" [label=\"" + escape(label) + "\", tooltip=\"" + escape(n.name()) + "\"" + fill + "];";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\\\\n", "\\n");
    }
}
