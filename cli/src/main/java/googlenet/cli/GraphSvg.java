package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.op.Input;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The graph drawn as SVG by {@link LayeredLayout}: a box per node (name, op, output shape), each Inception block a
 * frame whose branches stand side by side, the layers flowing in columns so that the picture reads at its natural size.
 */
final class GraphSvg {
    static final double FONT = 10;
    static final double TITLE_FONT = 11;
    private static final double LINE = 12.5;
    private static final double PAD_X = 7;
    private static final double PAD_Y = 5;
    private static final double FRAME_PAD = 10;
    private static final double MARGIN = 16;
    private static final double HEADER = 52;
    private static final String NODE_FILL = "#eef3fb";
    private static final String INPUT_FILL = "#e3f4e1";
    private static final String OUTPUT_FILL = "#fbeee0";

    private GraphSvg() {
    }

    /** What a box says, bold first line. */
    private record Label(List<String> lines, double fontSize, String fill) {
        double width() {
            double w = 0;
            for (int i = 0; i < lines.size(); i++) w = Math.max(w, SvgText.width(lines.get(i), fontSize, i == 0));
            return Math.ceil(w + 2 * PAD_X);
        }

        double height() {
            return Math.ceil(lines.size() * LINE + 2 * PAD_Y);
        }

        LayeredLayout.Box box() {
            return new LayeredLayout.Box(width(), height(), false);
        }
    }

    /**
     * Nodes laid out on their own and placed as one box: an Inception block (framed, titled, names relative to its
     * scope), or a side head that leads only to graph outputs (unframed, its outputs inside). Edges from outside enter
     * at its top through an entry per source; edges to outside leave at its bottom through an exit per node.
     */
    private static final class Group {
        final String scope;
        final List<Node> members;
        final Set<String> names = new LinkedHashSet<>();
        final List<String> outputs;
        final Label title;
        final Map<String, Integer> entries = new LinkedHashMap<>();
        final Map<String, Integer> exits = new LinkedHashMap<>();
        final Map<String, Integer> index = new LinkedHashMap<>();
        final Map<String, Integer> outputIndex = new LinkedHashMap<>();
        LayeredLayout.Result inner;
        List<LayeredLayout.Edge> innerEdges;

        Group(String scope, List<Node> members, List<String> outputs, Label title) {
            this.scope = scope;
            this.members = members;
            this.outputs = outputs;
            this.title = title;
            for (Node n : members) names.add(n.name());
        }

        static Group inception(Scope scope, List<Node> members) {
            return new Group(scope.path(), members, List.of(), new Label(List.of(scope.path() + " (Inception)"), TITLE_FONT, null));
        }

        boolean has(String node) {
            return names.contains(node);
        }

        double pad() {
            return title == null ? 0 : FRAME_PAD;
        }

        void layOut(Graph graph) {
            List<LayeredLayout.Box> boxes = new ArrayList<>();
            if (title != null) boxes.add(title.box());
            for (Node n : members) for (String in : n.inputs()) if (!has(in) && !entries.containsKey(in)) {
                entries.put(in, boxes.size());
                boxes.add(new LayeredLayout.Box(0, 0, false));
            }
            for (Node n : members) {
                index.put(n.name(), boxes.size());
                boxes.add(label(n, scope).box());
            }
            for (String o : outputs) {
                outputIndex.put(o, boxes.size());
                boxes.add(outputLabel(o).box());
            }
            for (Node n : members) {
                boolean readOutside = graph.consumers(n.name()).stream().anyMatch(c -> !has(c.name()))
                        || graph.outputs().entrySet().stream().anyMatch(e -> e.getValue().equals(n.name()) && !outputs.contains(e.getKey()));
                if (readOutside) {
                    exits.put(n.name(), boxes.size());
                    boxes.add(new LayeredLayout.Box(0, 0, true));
                }
            }
            innerEdges = new ArrayList<>();
            for (Node n : members) {
                for (String in : new LinkedHashSet<>(n.inputs())) {
                    int from = has(in) ? index.get(in) : entries.get(in);
                    innerEdges.add(new LayeredLayout.Edge(from, index.get(n.name()), Double.NaN, Double.NaN));
                }
            }
            for (String o : outputs) innerEdges.add(new LayeredLayout.Edge(index.get(graph.outputs().get(o)), outputIndex.get(o), Double.NaN, Double.NaN));
            exits.forEach((n, out) -> innerEdges.add(new LayeredLayout.Edge(index.get(n), out, Double.NaN, Double.NaN)));
            inner = LayeredLayout.layout(boxes, innerEdges, false);
        }

        double entryPort(String source) {
            return pad() + inner.x()[entries.get(source)];
        }

        double exitPort(String node) {
            return pad() + inner.x()[exits.get(node)];
        }

        LayeredLayout.Box box() {
            return new LayeredLayout.Box(inner.width() + 2 * pad(), inner.height(), false);
        }
    }

    /**
     * Chains that branch off and end in graph outputs without rejoining (GoogLeNet's auxiliary classifiers): drawn as
     * one column beside the trunk instead of spread over the trunk's layers.
     */
    private static List<Group> sideHeads(Graph graph, List<Group> taken) {
        List<Group> heads = new ArrayList<>();
        Set<String> outputNodes = new LinkedHashSet<>(graph.outputs().values());
        for (Node start : graph.nodes()) {
            if (start.inputs().size() != 1 || taken.stream().anyMatch(g -> g.has(start.name()))) continue;
            if (graph.consumers(start.inputs().get(0)).size() < 2) continue;
            List<Node> chain = new ArrayList<>();
            Node n = start;
            while (true) {
                chain.add(n);
                List<Node> next = graph.consumers(n.name());
                if (next.isEmpty() || outputNodes.contains(n.name())) break;
                if (next.size() != 1 || next.get(0).inputs().size() != 1) break;
                n = next.get(0);
            }
            Node last = chain.get(chain.size() - 1);
            if (chain.size() < 2 || !graph.consumers(last.name()).isEmpty() || !outputNodes.contains(last.name())) continue;
            List<String> outputs = graph.outputs().entrySet().stream().filter(e -> e.getValue().equals(last.name())).map(Map.Entry::getKey).toList();
            heads.add(new Group("", chain, outputs, null));
        }
        return heads;
    }

    static String render(Graph graph, String title) {
        List<Group> groups = new ArrayList<>();
        for (Scope s : graph.scopes()) {
            if (!s.typeName().equals("Inception")) continue;
            List<Node> members = graph.nodes().stream().filter(n -> s.contains(n.name())).toList();
            if (!members.isEmpty()) groups.add(Group.inception(s, members));
        }
        groups.addAll(sideHeads(graph, groups));
        for (Group g : groups) g.layOut(graph);

        // The top level: a unit per cluster, per node outside the clusters, per graph output, in the graph's order.
        List<Object> units = new ArrayList<>();
        Map<String, Integer> unitOf = new LinkedHashMap<>();
        for (Node n : graph.nodes()) {
            Group c = groups.stream().filter(g -> g.has(n.name())).findFirst().orElse(null);
            Object unit = c == null ? n : c;
            if (!units.contains(unit)) units.add(unit);
            unitOf.put(n.name(), units.indexOf(unit));
        }
        Map<String, Integer> outputUnit = new LinkedHashMap<>();
        graph.outputs().forEach((name, node) -> {
            if (groups.stream().anyMatch(g -> g.outputs.contains(name))) return;
            outputUnit.put(name, units.size());
            units.add(name);
        });
        List<LayeredLayout.Box> boxes = new ArrayList<>();
        for (Object u : units) {
            boxes.add(u instanceof Group c ? c.box() : u instanceof Node n ? label(n, "").box() : outputLabel((String) u).box());
        }
        List<LayeredLayout.Edge> edges = new ArrayList<>();
        Set<String> drawn = new LinkedHashSet<>();
        for (Node n : graph.nodes()) {
            for (String in : n.inputs()) {
                int from = unitOf.get(in);
                int to = unitOf.get(n.name());
                if (from == to || !drawn.add(in + "->" + to)) continue;
                edges.add(new LayeredLayout.Edge(from, to, exitPort(units.get(from), in),
                        units.get(to) instanceof Group c ? c.entryPort(in) : Double.NaN));
            }
        }
        outputUnit.forEach((name, unit) -> edges.add(new LayeredLayout.Edge(unitOf.get(graph.outputs().get(name)), unit,
                exitPort(units.get(unitOf.get(graph.outputs().get(name))), graph.outputs().get(name)), Double.NaN)));
        LayeredLayout.Result top = LayeredLayout.layout(boxes, edges, true);

        double width = Math.max(top.width(), SvgText.width(title, 14, false)) + 2 * MARGIN;
        double height = top.height() + HEADER + MARGIN;
        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"%.0f\">%n",
                width, height, FONT));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#556\"/></marker></defs>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(f("<text class=\"title\" x=\"%.1f\" y=\"22\" font-size=\"14\">%s</text>%n", MARGIN, SvgText.escape(title)));
        svg.append(f("<text class=\"subtitle\" x=\"%.1f\" y=\"40\">each box: node name, op, output shape; a frame: an Inception block;"
                + " read down each column, then on at the top of the next</text>%n", MARGIN));

        double ox = MARGIN;
        double oy = HEADER;
        StringBuilder boxesSvg = new StringBuilder();
        for (int u = 0; u < units.size(); u++) {
            double x = ox + top.x()[u];
            double y = oy + top.y()[u];
            Object unit = units.get(u);
            if (unit instanceof Group c) {
                LayeredLayout.Box b = c.box();
                if (c.title != null) {
                    svg.append(f("<rect class=\"cluster\" data-scope=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"8\" "
                            + "fill=\"#f7f9fd\" stroke=\"#7a8fb8\"/>%n", SvgText.escape(c.scope), x, y, b.width(), b.height()));
                    draw(boxesSvg, "cluster-title", c.title, x + c.pad() + c.inner.x()[0], y + c.inner.y()[0], c.scope);
                }
                double ix = x + c.pad();
                for (Node n : c.members) {
                    int i = c.index.get(n.name());
                    draw(boxesSvg, "node", label(n, c.scope), ix + c.inner.x()[i], y + c.inner.y()[i], n.name());
                }
                c.outputIndex.forEach((o, i) -> draw(boxesSvg, "node", outputLabel(o), ix + c.inner.x()[i], y + c.inner.y()[i], "output:" + o));
                for (int e = 0; e < c.innerEdges.size(); e++) {
                    int to = c.innerEdges.get(e).to();
                    edge(svg, c.inner.edges().get(e), ix, y, c.index.containsValue(to) || c.outputIndex.containsValue(to));
                }
            } else {
                if (unit instanceof Node n) draw(boxesSvg, "node", label(n, ""), x, y, n.name());
                else draw(boxesSvg, "node", outputLabel((String) unit), x, y, "output:" + unit);
            }
        }
        for (int e = 0; e < edges.size(); e++) edge(svg, top.edges().get(e), ox, oy, !(units.get(edges.get(e).to()) instanceof Group));
        svg.append(boxesSvg);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double exitPort(Object unit, String node) {
        return unit instanceof Group c ? c.exitPort(node) : Double.NaN;
    }

    private static Label label(Node n, String scope) {
        String name = scope.isEmpty() ? n.name() : n.name().substring(scope.length() + 1);
        String attrs = n.op().attributes();
        return new Label(List.of(name, n.op().typeName() + (attrs.isEmpty() ? "" : " " + attrs), n.shape().toListString()), FONT,
                n.op() instanceof Input ? INPUT_FILL : NODE_FILL);
    }

    private static Label outputLabel(String name) {
        return new Label(List.of(name, "graph output"), FONT, OUTPUT_FILL);
    }

    private static void draw(StringBuilder svg, String kind, Label label, double x, double y, String name) {
        svg.append(f("<rect class=\"%s\" data-name=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"4\" fill=\"%s\" stroke=\"%s\"/>%n", kind, SvgText.escape(name), x, y,
                label.width(), label.height(), label.fill() == null ? "none" : label.fill(), label.fill() == null ? "none" : "#5b6b8c"));
        for (int i = 0; i < label.lines().size(); i++) {
            double baseline = y + PAD_Y + LINE * (i + 1) - 3;
            svg.append(f("<text class=\"%s-text\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\" text-anchor=\"middle\"%s>%s</text>%n", kind,
                    x + label.width() / 2, baseline, label.fontSize(), i == 0 ? " font-weight=\"bold\"" : i == 2 ? " fill=\"#555\"" : "",
                    SvgText.escape(label.lines().get(i))));
        }
    }

    private static void edge(StringBuilder svg, List<LayeredLayout.Point> line, double ox, double oy, boolean arrow) {
        StringBuilder points = new StringBuilder();
        for (LayeredLayout.Point p : line) points.append(f("%.1f,%.1f ", ox + p.x(), oy + p.y()));
        svg.append(f("<polyline class=\"edge\" points=\"%s\" fill=\"none\" stroke=\"#556\" stroke-width=\"1\"%s/>%n", points.toString().strip(),
                arrow ? " marker-end=\"url(#arrow)\"" : ""));
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
