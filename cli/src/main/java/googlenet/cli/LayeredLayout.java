package googlenet.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A layered drawing of a directed acyclic graph of boxes (Sugiyama's scheme): each box in the layer after its longest
 * path of predecessors, a long edge broken by pass-through points in the layers between, layers ordered by barycentres,
 * chains of boxes lined up straight (see {@link #placeX()}). Edges run
 * orthogonally: down from the source's bottom, along their own track in the free channel between two layers, down into
 * the target's top; so no edge passes through a box. Folded, the layers flow in several columns side by side, an
 * edge from the bottom of one column to the top of the next along the gutter between them.
 */
final class LayeredLayout {
    static final double GAP = 22;
    static final double TRACK = 7;
    static final double MIN_CHANNEL = 22;
    /** The width to height ratio a folded drawing aims at. */
    static final double ASPECT = 1.5;

    /** {@code atBottom}: placed in the last layer (a cluster's exits). */
    record Box(double width, double height, boolean atBottom) {
    }

    /** Ports are offsets from the box's left; {@code toPort} NaN: spread over the target's top with its other inputs. */
    record Edge(int from, int to, double fromPort, double toPort) {
    }

    record Point(double x, double y) {
    }

    /** Boxes' top-left corners, and each edge as a polyline from its source's bottom to its target's top. */
    record Result(double width, double height, double[] x, double[] y, List<List<Point>> edges) {
    }

    private record Hop(int from, int to, int edge) {
    }

    private final List<Box> boxes;
    private final List<Edge> edges;
    private final List<Double> width = new ArrayList<>();
    private final List<Integer> layerOf = new ArrayList<>();
    private final List<Hop> hops = new ArrayList<>();
    private final List<List<Hop>> hopsOfEdge = new ArrayList<>();
    private final Map<Integer, List<Hop>> into = new HashMap<>();
    private final Map<Integer, List<Hop>> outOf = new HashMap<>();
    private List<List<Integer>> layers;
    private double[] x;

    private LayeredLayout(List<Box> boxes, List<Edge> edges) {
        this.boxes = boxes;
        this.edges = edges;
    }

    static Result layout(List<Box> boxes, List<Edge> edges, boolean fold) {
        LayeredLayout l = new LayeredLayout(boxes, edges);
        l.assignLayers();
        l.order();
        l.placeX();
        return l.route(fold);
    }

    private boolean dummy(int v) {
        return v >= boxes.size();
    }

    private double height(int v) {
        return dummy(v) ? 0 : boxes.get(v).height();
    }

    private double outPort(Hop h) {
        return dummy(h.from()) ? 0 : portOr(edges.get(h.edge()).fromPort(), width.get(h.from()) / 2);
    }

    private double inPort(Hop h) {
        return dummy(h.to()) ? 0 : portOr(edges.get(h.edge()).toPort(), width.get(h.to()) / 2);
    }

    private static double portOr(double port, double otherwise) {
        return Double.isNaN(port) ? otherwise : port;
    }

    private void assignLayers() {
        int n = boxes.size();
        int[] layer = new int[n];
        int[] pending = new int[n];
        for (Edge e : edges) pending[e.to()]++;
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int v = 0; v < n; v++) if (pending[v] == 0) ready.add(v);
        int seen = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            seen++;
            for (Edge e : edges) {
                if (e.from() != v) continue;
                layer[e.to()] = Math.max(layer[e.to()], layer[v] + 1);
                if (--pending[e.to()] == 0) ready.add(e.to());
            }
        }
        if (seen != n) throw new IllegalArgumentException("the graph to draw has a cycle");
        int last = 0;
        for (int v = 0; v < n; v++) last = Math.max(last, layer[v]);
        for (int v = 0; v < n; v++) {
            if (boxes.get(v).atBottom()) layer[v] = last;
            width.add(boxes.get(v).width());
            layerOf.add(layer[v]);
        }
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            List<Hop> chain = new ArrayList<>();
            int from = e.from();
            for (int l = layer[e.from()] + 1; l < layer[e.to()]; l++) {
                int d = width.size();
                width.add(0.0);
                layerOf.add(l);
                chain.add(new Hop(from, d, i));
                from = d;
            }
            chain.add(new Hop(from, e.to(), i));
            hopsOfEdge.add(chain);
            for (Hop h : chain) {
                hops.add(h);
                into.computeIfAbsent(h.to(), k -> new ArrayList<>()).add(h);
                outOf.computeIfAbsent(h.from(), k -> new ArrayList<>()).add(h);
            }
        }
        layers = new ArrayList<>();
        for (int l = 0; l <= last; l++) layers.add(new ArrayList<>());
        for (int v = 0; v < width.size(); v++) layers.get(layerOf.get(v)).add(v);
    }

    /** Barycentre sweeps; on a tie the box with the longer way still to go first (a network's trunk before its side heads). */
    private void order() {
        int[] reach = new int[width.size()];
        for (int l = layers.size() - 1; l >= 0; l--) {
            for (int v : layers.get(l)) {
                reach[v] = l;
                for (Hop h : outOf.getOrDefault(v, List.of())) reach[v] = Math.max(reach[v], reach[h.to()]);
            }
        }
        for (int sweep = 0; sweep < 5; sweep++) {
            boolean down = sweep % 2 == 0;
            for (int i = 1; i < layers.size(); i++) {
                int l = down ? i : layers.size() - 1 - i;
                List<Integer> layer = layers.get(l);
                Map<Integer, Integer> position = positions(layers.get(down ? l - 1 : l + 1));
                Map<Integer, Integer> own = positions(layer);
                Map<Integer, Double> key = new HashMap<>();
                for (int v : layer) {
                    List<Hop> ns = (down ? into : outOf).getOrDefault(v, List.of());
                    key.put(v, ns.isEmpty() ? own.get(v) : ns.stream().mapToInt(h -> position.get(down ? h.from() : h.to())).average().orElse(0));
                }
                layer.sort(Comparator.<Integer>comparingDouble(key::get).thenComparing(v -> -reach[v]).thenComparing(own::get));
            }
        }
    }

    private static Map<Integer, Integer> positions(List<Integer> layer) {
        Map<Integer, Integer> p = new HashMap<>();
        for (int i = 0; i < layer.size(); i++) p.put(layer.get(i), i);
        return p;
    }

    /**
     * Brandes and Köpf's scheme, one alignment: a vertex lines up under its only predecessor when that has no other
     * successor and the line crosses no earlier one, making straight blocks; the blocks are packed once to the left and
     * once to the right, and each vertex goes halfway between, which keeps the gaps of both and centres what has room.
     */
    private void placeX() {
        int n = width.size();
        int[] root = new int[n];
        double[] offset = new double[n];
        for (int v = 0; v < n; v++) root[v] = v;
        for (int l = 1; l < layers.size(); l++) {
            Map<Integer, Integer> above = positions(layers.get(l - 1));
            int last = -1;
            for (int v : layers.get(l)) {
                List<Hop> in = into.getOrDefault(v, List.of());
                if (in.size() != 1) continue;
                Hop h = in.get(0);
                int u = h.from();
                if (outOf.get(u).size() != 1 || above.get(u) <= last) continue;
                last = above.get(u);
                root[v] = root[u];
                offset[v] = offset[u] + outPort(h) - inPort(h);
            }
        }
        double[] left = pack(root, offset, true);
        double[] right = pack(root, offset, false);
        double leftWidth = 0;
        double rightWidth = 0;
        for (int v = 0; v < n; v++) {
            leftWidth = Math.max(leftWidth, left[v] + width.get(v));
            rightWidth = Math.max(rightWidth, right[v] + width.get(v));
        }
        for (int v = 0; v < n; v++) right[v] += leftWidth - rightWidth;
        x = new double[n];
        double leftEdge = Double.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            x[v] = (left[v] + right[v]) / 2;
            leftEdge = Math.min(leftEdge, x[v]);
        }
        // A box without edges (a title) first in its layer goes to the left edge: further left than halfway, so still clear of its right neighbour.
        for (List<Integer> layer : layers) {
            int v = layer.get(0);
            if (into.getOrDefault(v, List.of()).isEmpty() && outOf.getOrDefault(v, List.of()).isEmpty()) x[v] = leftEdge;
        }
    }

    /** Each block as far to one side as its neighbours in every layer allow; returns every vertex's left, the leftmost at 0. */
    private double[] pack(int[] root, double[] offset, boolean toLeft) {
        int n = width.size();
        Map<Integer, Integer> neighbour = new HashMap<>();
        for (List<Integer> layer : layers) {
            for (int k = 0; k < layer.size(); k++) {
                int j = toLeft ? k - 1 : k + 1;
                if (j >= 0 && j < layer.size()) neighbour.put(layer.get(k), layer.get(j));
            }
        }
        Map<Integer, List<Integer>> members = new HashMap<>();
        for (int v = 0; v < n; v++) members.computeIfAbsent(root[v], k -> new ArrayList<>()).add(v);
        Map<Integer, Double> at = new HashMap<>();
        for (int r : members.keySet()) packBlock(r, members, neighbour, root, offset, toLeft, at);
        double[] xs = new double[n];
        double min = Double.MAX_VALUE;
        for (int v = 0; v < n; v++) {
            xs[v] = at.get(root[v]) + offset[v];
            min = Math.min(min, xs[v]);
        }
        for (int v = 0; v < n; v++) xs[v] -= min;
        return xs;
    }

    /** A block's root position: against its nearest neighbours, or, with none, its edge on the side it is packed to. */
    private void packBlock(int r, Map<Integer, List<Integer>> members, Map<Integer, Integer> neighbour, int[] root, double[] offset,
                           boolean toLeft, Map<Integer, Double> at) {
        if (at.containsKey(r)) return;
        at.put(r, 0.0);
        double pos = toLeft ? -Double.MAX_VALUE : Double.MAX_VALUE;
        double edge = toLeft ? Double.MAX_VALUE : -Double.MAX_VALUE;
        for (int v : members.get(r)) {
            edge = toLeft ? Math.min(edge, -offset[v]) : Math.max(edge, -offset[v] - width.get(v));
            Integer w = neighbour.get(v);
            if (w == null) continue;
            packBlock(root[w], members, neighbour, root, offset, toLeft, at);
            pos = toLeft ? Math.max(pos, at.get(root[w]) + offset[w] + width.get(w) + GAP - offset[v])
                    : Math.min(pos, at.get(root[w]) + offset[w] - GAP - width.get(v) - offset[v]);
        }
        at.put(r, toLeft ? Math.max(pos, edge) : Math.min(pos, edge));
    }

    private Result route(boolean fold) {
        int layerCount = layers.size();
        double[] layerHeight = new double[layerCount];
        for (int l = 0; l < layerCount; l++) for (int v : layers.get(l)) layerHeight[l] = Math.max(layerHeight[l], height(v));
        // A channel's tracks: one per source port whose edges cross it (edges from one port share their track).
        List<List<String>> tracks = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) tracks.add(new ArrayList<>());
        Map<Hop, Double> hopTo = new HashMap<>();
        for (int v = 0; v < width.size(); v++) {
            List<Hop> in = new ArrayList<>(into.getOrDefault(v, List.of()));
            in.sort(Comparator.comparingDouble(h -> x[h.from()] + outPort(h)));
            for (int k = 0; k < in.size(); k++) {
                Hop h = in.get(k);
                boolean spread = !dummy(v) && Double.isNaN(edges.get(h.edge()).toPort());
                hopTo.put(h, x[v] + (spread ? width.get(v) * (k + 1) / (in.size() + 1) : inPort(h)));
            }
        }
        List<Hop> sorted = new ArrayList<>(hops);
        sorted.sort(Comparator.comparingDouble(h -> x[h.from()] + outPort(h)));
        for (Hop h : sorted) {
            String port = h.from() + "@" + outPort(h);
            List<String> t = tracks.get(layerOf.get(h.from()));
            if (!t.contains(port)) t.add(port);
        }
        double[] channel = new double[layerCount];
        for (int l = 0; l < layerCount; l++) channel[l] = Math.max(MIN_CHANNEL, (tracks.get(l).size() + 1) * TRACK);

        int[] crossing = new int[layerCount];
        for (int l = 0; l < layerCount; l++) crossing[l] = tracks.get(l).size();
        List<Integer> breaks = fold ? bestBreaks(layerHeight, channel, crossing, this) : List.of();
        double topChannel = 0;
        for (int b : breaks) topChannel = Math.max(topChannel, channel[b]);
        int columns = breaks.size() + 1;
        int[] columnOf = new int[layerCount];
        for (int l = 0, c = 0; l < layerCount; l++) {
            columnOf[l] = c;
            if (breaks.contains(l)) c++;
        }
        double[] columnLeft = new double[columns];
        double[] columnRight = new double[columns];
        double[] columnBottom = new double[columns];
        double[] layerTop = new double[layerCount];
        double[] shift = new double[columns];
        Arrays.fill(shift, Double.MAX_VALUE);
        for (int v = 0; v < width.size(); v++) shift[columnOf[layerOf.get(v)]] = Math.min(shift[columnOf[layerOf.get(v)]], x[v]);
        double[] span = new double[columns];
        for (int v = 0; v < width.size(); v++) {
            int c = columnOf[layerOf.get(v)];
            span[c] = Math.max(span[c], x[v] - shift[c] + width.get(v));
        }
        double left = 0;
        double y = topChannel;
        for (int l = 0; l < layerCount; l++) {
            int c = columnOf[l];
            if (l > 0 && c != columnOf[l - 1]) {
                left = columnRight[c - 1] + 2 * GAP + (tracks.get(l - 1).size() + 1) * TRACK;
                y = topChannel;
            }
            columnLeft[c] = left;
            columnRight[c] = left + span[c];
            layerTop[l] = y;
            y += layerHeight[l];
            columnBottom[c] = y;
            y += channel[l];
        }
        double[] px = new double[width.size()];
        double[] py = new double[width.size()];
        for (int v = 0; v < width.size(); v++) {
            int l = layerOf.get(v);
            px[v] = x[v] - shift[columnOf[l]] + columnLeft[columnOf[l]];
            py[v] = layerTop[l];
        }
        double totalWidth = columnRight[columns - 1];
        double totalHeight = 0;
        for (int c = 0; c < columns; c++) totalHeight = Math.max(totalHeight, columnBottom[c] + (c < columns - 1 ? channel[breaks.get(c)] : 0));

        List<List<Point>> lines = new ArrayList<>();
        for (List<Hop> chain : hopsOfEdge) {
            List<Point> line = new ArrayList<>();
            for (Hop h : chain) {
                int l = layerOf.get(h.from());
                List<String> t = tracks.get(l);
                int track = t.indexOf(h.from() + "@" + outPort(h));
                double sx = px[h.from()] + outPort(h);
                double sy = py[h.from()] + (dummy(h.from()) ? layerHeight[l] : height(h.from()));
                double tx = hopTo.get(h) - x[h.to()] + px[h.to()];
                double ty = py[h.to()];
                add(line, sx, sy);
                if (columnOf[l] == columnOf[l + 1]) {
                    double ty0 = layerTop[l] + layerHeight[l] + channel[l] * (track + 1) / (t.size() + 1);
                    add(line, sx, ty0);
                    add(line, tx, ty0);
                } else {
                    int c = columnOf[l];
                    double bottom = columnBottom[c] + TRACK * (track + 1);
                    double gutter = columnRight[c] + GAP + TRACK * track;
                    double top = topChannel * (track + 1) / (t.size() + 1);
                    add(line, sx, bottom);
                    add(line, gutter, bottom);
                    add(line, gutter, top);
                    add(line, tx, top);
                }
                add(line, tx, ty);
                if (dummy(h.to())) add(line, tx, ty + layerHeight[layerOf.get(h.to())]);
            }
            lines.add(line);
        }
        double[] bx = Arrays.copyOf(px, boxes.size());
        double[] by = Arrays.copyOf(py, boxes.size());
        return new Result(totalWidth, totalHeight, bx, by, lines);
    }

    /** Adds a point, dropping a repeated one and merging straight runs. */
    private static void add(List<Point> line, double px, double py) {
        Point p = new Point(px, py);
        int n = line.size();
        if (n > 0 && line.get(n - 1).equals(p)) return;
        if (n > 1) {
            Point a = line.get(n - 2);
            Point b = line.get(n - 1);
            if ((a.x() == b.x() && b.x() == px) || (a.y() == b.y() && b.y() == py)) line.remove(n - 1);
        }
        line.add(p);
    }

    /**
     * Where to start new columns: the fold whose drawing comes nearest {@link #ASPECT}, each column ending, among its
     * last layers, after the one that the fewest tracks leave (a block's single exit rather than its four branches).
     */
    private static List<Integer> bestBreaks(double[] layerHeight, double[] channel, int[] crossing, LayeredLayout l) {
        int n = layerHeight.length;
        double total = 0;
        for (int i = 0; i < n; i++) total += layerHeight[i] + channel[i];
        List<Integer> best = List.of();
        double bestScore = Double.MAX_VALUE;
        for (int k = 1; k <= Math.min(12, n); k++) {
            double target = total / k;
            List<Integer> breaks = new ArrayList<>();
            int start = 0;
            double height = 0;
            for (int i = 0; i < n; i++) {
                if (height > 0 && height + layerHeight[i] > target) {
                    int cut = i - 1;
                    double upTo = height;
                    for (int j = i - 1; j > start && upTo >= 0.6 * target; j--) {
                        if (crossing[j] < crossing[cut]) cut = j;
                        upTo -= layerHeight[j] + channel[j];
                    }
                    breaks.add(cut);
                    start = cut + 1;
                    height = 0;
                    for (int j = start; j < i; j++) height += layerHeight[j] + channel[j];
                }
                height += layerHeight[i] + channel[i];
            }
            double tallest = 0;
            double column = 0;
            for (int i = 0; i < n; i++) {
                column += layerHeight[i] + channel[i];
                tallest = Math.max(tallest, column);
                if (breaks.contains(i)) column = 0;
            }
            double score = Math.abs(Math.log(l.columnsWidth(breaks) / tallest / ASPECT));
            if (score < bestScore) {
                bestScore = score;
                best = breaks;
            }
        }
        return best;
    }

    private double columnsWidth(List<Integer> breaks) {
        double total = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int l = 0; l < layers.size(); l++) {
            for (int v : layers.get(l)) {
                min = Math.min(min, x[v]);
                max = Math.max(max, x[v] + width.get(v));
            }
            if (breaks.contains(l) || l == layers.size() - 1) {
                total += max - min + 3 * GAP;
                min = Double.MAX_VALUE;
                max = -Double.MAX_VALUE;
            }
        }
        return total;
    }
}
