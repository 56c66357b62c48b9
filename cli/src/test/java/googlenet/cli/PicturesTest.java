package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Scope;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What a reader of {@code plan --svg} and {@code graph --svg} relies on, read back from the SVG as XML: the text's
 * extent estimated here on its own terms (0.6 em a character, an em high), the rest from the coordinates written.
 */
class PicturesTest {
    /** A drawn box, [x0, x1] × [y0, y1]. */
    record Box(String what, double x0, double y0, double x1, double y1) {
        boolean overlaps(Box o) {
            return x0 < o.x1 - 0.01 && o.x0 < x1 - 0.01 && y0 < o.y1 - 0.01 && o.y0 < y1 - 0.01;
        }

        boolean contains(Box o) {
            return o.x0 >= x0 - 0.5 && o.x1 <= x1 + 0.5 && o.y0 >= y0 - 0.5 && o.y1 <= y1 + 0.5;
        }
    }

    static Document parse(Path svg) throws Exception {
        byte[] bytes = Files.readAllBytes(svg);
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
    }

    static List<Element> all(Document d, String tag, String cls) {
        NodeList list = d.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            Element e = (Element) list.item(i);
            if (cls == null || e.getAttribute("class").equals(cls)) out.add(e);
        }
        return out;
    }

    static double num(Element e, String attribute) {
        return Double.parseDouble(e.getAttribute(attribute));
    }

    static Box rect(Element e) {
        return new Box(e.getAttribute("class") + " " + e.getAttribute("data-name") + e.getAttribute("data-scope"),
                num(e, "x"), num(e, "y"), num(e, "x") + num(e, "width"), num(e, "y") + num(e, "height"));
    }

    /** Where a line of text is drawn: 0.6 em a character, from 0.8 em above its baseline to 0.2 below; turned by rotate(-90). */
    static Box text(Element e, double defaultFont) {
        double font = e.getAttribute("font-size").isEmpty() ? defaultFont : num(e, "font-size");
        double w = 0.6 * font * e.getTextContent().length();
        double x = num(e, "x");
        double y = num(e, "y");
        String anchor = e.getAttribute("text-anchor");
        double left = anchor.equals("middle") ? x - w / 2 : anchor.equals("end") ? x - w : x;
        if (e.getAttribute("transform").startsWith("rotate(-90")) {
            // turned a quarter anticlockwise about (x, y): along the text is up the page, above the baseline is left
            double bottom = anchor.equals("middle") ? y + w / 2 : anchor.equals("end") ? y + w : y;
            return new Box("text '" + e.getTextContent() + "'", x - 0.8 * font, bottom - w, x + 0.2 * font, bottom);
        }
        return new Box("text '" + e.getTextContent() + "'", left, y - 0.8 * font, left + w, y + 0.2 * font);
    }

    static List<double[]> points(Element polyline) {
        List<double[]> ps = new ArrayList<>();
        for (String p : polyline.getAttribute("points").trim().split("\\s+")) {
            String[] xy = p.split(",");
            ps.add(new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return ps;
    }

    /** Whether the segment a–b passes through the box's inside (touching its border is allowed: edges end there). */
    static boolean crosses(double[] a, double[] b, Box box) {
        double x0 = box.x0() + 0.5;
        double x1 = box.x1() - 0.5;
        double y0 = box.y0() + 0.5;
        double y1 = box.y1() - 0.5;
        double t0 = 0;
        double t1 = 1;
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {a[0] - x0, x1 - a[0], a[1] - y0, y1 - a[1]};
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) return false;
            } else {
                double t = q[i] / p[i];
                if (p[i] < 0) t0 = Math.max(t0, t);
                else t1 = Math.min(t1, t);
            }
        }
        return t0 < t1;
    }

    static void noTwoOverlap(List<Box> boxes) {
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                if (boxes.get(i).overlaps(boxes.get(j))) fail(boxes.get(i) + " overlaps " + boxes.get(j));
            }
        }
    }

    // ---- plan --svg

    @Test
    void crossingTestSeesASegmentThroughABoxButNotOneAlongItsBorder() {
        Box b = new Box("b", 10, 10, 20, 20);
        assertTrue(crosses(new double[] {0, 15}, new double[] {30, 15}, b));
        assertTrue(crosses(new double[] {15, 0}, new double[] {15, 12}, b));
        assertTrue(!crosses(new double[] {15, 0}, new double[] {15, 10}, b), "ends on the top border");
        assertTrue(!crosses(new double[] {0, 20}, new double[] {30, 20}, b), "along the bottom border");
        assertTrue(!crosses(new double[] {0, 0}, new double[] {9, 30}, b));
    }

    @ParameterizedTest
    @ValueSource(strings = {"builtin:d2l", "builtin:torchvision", "builtin:bvlc"})
    void planPictureHasAxesLegendLowerBoundAndNamedBlocks(String model, @TempDir Path dir) throws Exception {
        Path svg = dir.resolve("plan.svg");
        CliTest.Result r = CliTest.run("plan", "--model", model, "--json", "--svg", svg.toString());
        assertEquals(0, r.code(), r.err());
        long arena = Long.parseLong(find(r.out(), "\"arenaBytes\": (\\d+)"));
        long bound = Long.parseLong(find(r.out(), "\"lowerBoundBytes\": (\\d+)"));
        int steps = r.out().split("\"kernel\":", -1).length - 1;
        Document d = parse(svg);

        List<String> axisTitles = all(d, "text", "axis-title").stream().map(Element::getTextContent).toList();
        assertTrue(axisTitles.stream().anyMatch(t -> t.contains("step")), axisTitles.toString());
        assertTrue(axisTitles.stream().anyMatch(t -> t.contains("arena offset (MB)")), axisTitles.toString());

        // x ticks: integer steps, evenly spaced, the last within the plan's steps
        List<Element> xTicks = all(d, "text", "x-tick");
        assertTrue(xTicks.size() >= 4, "x ticks: " + xTicks.size());
        double perStep = (num(xTicks.get(1), "x") - num(xTicks.get(0), "x")) / (Double.parseDouble(xTicks.get(1).getTextContent())
                - Double.parseDouble(xTicks.get(0).getTextContent()));
        assertTrue(Double.parseDouble(xTicks.get(xTicks.size() - 1).getTextContent()) <= steps);
        // y ticks in MB: the arena line and the lower-bound line sit where the ticks say those byte counts are
        List<Element> yTicks = all(d, "text", "y-tick");
        List<Element> grid = all(d, "line", "grid");
        assertTrue(yTicks.size() >= 4, "y ticks: " + yTicks.size());
        assertEquals(yTicks.size(), grid.size(), "a grid line per y tick");
        double y0 = num(grid.get(0), "y1");
        double mb0 = Double.parseDouble(yTicks.get(0).getTextContent());
        double pxPerMb = (num(grid.get(1), "y1") - y0) / (Double.parseDouble(yTicks.get(1).getTextContent()) - mb0);
        assertTrue(pxPerMb < 0, "offsets grow upwards");
        for (int i = 0; i < yTicks.size(); i++) {
            assertEquals(num(grid.get(i), "y1"), num(yTicks.get(i), "y") - 4, 1, "tick label " + i + " beside its grid line");
        }
        Element arenaLine = all(d, "line", "arena").get(0);
        Element boundLine = all(d, "line", "lower-bound").get(0);
        assertEquals(y0 + (arena / 1e6 - mb0) * pxPerMb, num(arenaLine, "y1"), 0.5, "arena line at " + arena + " B");
        assertEquals(y0 + (bound / 1e6 - mb0) * pxPerMb, num(boundLine, "y1"), 0.5, "lower-bound line at " + bound + " B");
        assertTrue(all(d, "text", "line-label").stream().anyMatch(t -> t.getTextContent().contains("lower bound")
                && t.getTextContent().replace(",", "").contains(Long.toString(bound))), "the lower-bound line is labelled with its bytes");

        // one legend entry per kind of block drawn
        Set<String> kinds = all(d, "rect", "block").stream().map(e -> e.getAttribute("data-kind")).collect(Collectors.toCollection(TreeSet::new));
        Set<String> legend = all(d, "text", "legend").stream().map(Element::getTextContent).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(kinds, legend);
        assertTrue(kinds.size() >= 4, kinds.toString());

        // every block big enough to hold its name across (or up) holds it; every name lies inside its block
        List<Box> blocks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Element e : all(d, "rect", "block")) {
            blocks.add(rect(e));
            String title = e.getElementsByTagName("title").item(0).getTextContent();
            names.add(title.substring(0, title.indexOf(" (")));
        }
        List<Element> labels = all(d, "text", "block-label");
        int bigBlocks = 0;
        for (int i = 0; i < blocks.size(); i++) {
            Box b = blocks.get(i);
            double room = Math.max(b.x1() - b.x0(), b.y1() - b.y0());
            double across = Math.min(b.x1() - b.x0(), b.y1() - b.y0());
            if (room < 0.8 * 10 * names.get(i).length() + 12 || across < 16) continue;
            bigBlocks++;
            String name = names.get(i);
            assertTrue(labels.stream().anyMatch(t -> t.getTextContent().equals(name) && b.contains(text(t, 11))),
                    "block " + name + " " + b + " is labelled inside");
        }
        assertTrue(bigBlocks >= 3, "blocks big enough for their names: " + bigBlocks); // bvlc: 3 (the branches of a level live together)
        assertTrue(perStep > 5, "a step is " + perStep + " px wide");
        for (Element t : labels) {
            Box tb = text(t, 11);
            assertTrue(blocks.stream().anyMatch(b -> b.contains(tb)), tb + " lies in a block");
        }

        // no two pieces of text overlap
        List<Box> texts = new ArrayList<>();
        for (Element t : all(d, "text", null)) texts.add(text(t, 11));
        noTwoOverlap(texts);
    }

    // ---- graph --svg

    @ParameterizedTest
    @ValueSource(strings = {"d2l", "torchvision", "bvlc"})
    void graphPictureReadsAtItsNaturalSize(String model, @TempDir Path dir) throws Exception {
        Path svg = dir.resolve("graph.svg");
        CliTest.Result r = CliTest.run("graph", "--model", "builtin:" + model, "--svg", svg.toString());
        assertEquals(0, r.code(), r.err());
        Graph graph = Builtins.build(model, Shape.of(1, 3, 224, 224), Builtins.DEFAULT_CLASSES);
        Document d = parse(svg);
        Element root = d.getDocumentElement();
        double width = num(root, "width");
        double height = num(root, "height");
        assertTrue(width <= 4000 && height <= 3000, "natural size " + width + "×" + height);
        assertTrue(height < 1.5 * width && width < 3 * height, "no strip: " + width + "×" + height);

        // a box per node and per graph output
        Map<String, Box> boxes = all(d, "rect", "node").stream().collect(Collectors.toMap(e -> e.getAttribute("data-name"), PicturesTest::rect));
        for (Node n : graph.nodes()) assertTrue(boxes.containsKey(n.name()), "a box for " + n.name());
        for (String o : graph.outputs().keySet()) assertTrue(boxes.containsKey("output:" + o), "a box for output " + o);
        assertEquals(graph.nodes().size() + graph.outputs().size(), boxes.size());

        // one frame per Inception block, around its nodes, its branches side by side
        List<Scope> inceptions = graph.scopes().stream().filter(s -> s.typeName().equals("Inception")).toList();
        assertEquals(9, inceptions.size());
        Map<String, Box> frames = all(d, "rect", "cluster").stream().collect(Collectors.toMap(e -> e.getAttribute("data-scope"), PicturesTest::rect));
        assertEquals(inceptions.stream().map(Scope::path).collect(Collectors.toSet()), frames.keySet());
        for (Scope s : inceptions) {
            Box frame = frames.get(s.path());
            List<Node> members = graph.nodes().stream().filter(n -> s.contains(n.name())).toList();
            for (Node n : members) assertTrue(frame.contains(boxes.get(n.name())), n.name() + " inside " + frame);
            for (Node n : graph.nodes()) if (!s.contains(n.name())) assertTrue(!frame.overlaps(boxes.get(n.name())), n.name() + " outside " + frame);
            List<Box> heads = members.stream().filter(n -> n.inputs().stream().noneMatch(s::contains)).map(n -> boxes.get(n.name())).toList();
            assertEquals(4, heads.size(), s.path() + ": four branches");
            assertTrue(heads.stream().allMatch(h -> h.y0() == heads.get(0).y0()), s.path() + ": branch heads side by side " + heads);
        }
        noTwoOverlap(List.copyOf(frames.values()));

        // labels: boxes apart, each line of text inside its box; no edge through a box or a title
        List<Box> labels = new ArrayList<>(boxes.values());
        for (Element e : all(d, "rect", "cluster-title")) labels.add(rect(e));
        noTwoOverlap(labels);
        for (String cls : List.of("node-text", "cluster-title-text")) {
            for (Element t : all(d, "text", cls)) {
                Box tb = text(t, 10);
                assertTrue(labels.stream().anyMatch(b -> b.contains(tb)), tb + " inside its box");
            }
        }
        Box header = new Box("title", 0, 0, width, 0);
        for (Element t : all(d, "text", null)) if (t.getAttribute("class").contains("title") && !t.getAttribute("class").startsWith("cluster")) {
            Box tb = text(t, 10);
            header = new Box("title", 0, 0, width, Math.max(header.y1(), tb.y1()));
        }
        labels.add(header);
        List<Element> edges = all(d, "polyline", "edge");
        int arrows = 0;
        for (Element e : edges) {
            List<double[]> ps = points(e);
            for (int i = 1; i < ps.size(); i++) {
                for (Box b : labels) {
                    if (crosses(ps.get(i - 1), ps.get(i), b)) fail("edge " + e.getAttribute("points") + " crosses " + b);
                }
            }
            if (!e.getAttribute("marker-end").isEmpty()) {
                arrows++;
                double[] end = ps.get(ps.size() - 1);
                assertTrue(boxes.values().stream().anyMatch(b -> end[1] == b.y0() && end[0] > b.x0() && end[0] < b.x1()),
                        "an arrow ends on a box's top: " + e.getAttribute("points"));
            }
        }
        Set<String> inputs = new HashSet<>();
        for (Node n : graph.nodes()) for (String in : n.inputs()) inputs.add(in + "->" + n.name());
        assertEquals(inputs.size() + graph.outputs().size(), arrows, "an arrow per graph edge and per output");
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return m.group(1);
    }

    @Test
    void textIsEscaped() throws Exception {
        String svg = ConfusionMatrixSvg.render(List.of("a<b", "c&d"), new long[][] {{1, 0}, {0, 1}}, "\"quoted\" & <tagged>");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertTrue(d.getDocumentElement().getTextContent().contains("\"quoted\" & <tagged>"));
    }
}
