package googlenet.cli;

import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory plan as a chart: plan step on x, arena offset on y (0 at the bottom), one block per tensor from the step
 * that writes it to the last step that reads it, coloured by the op that writes it, named when the name fits in it;
 * the arena's size and its lower bound (the most bytes live at one step) as horizontal lines.
 */
final class MemoryPlanSvg {
    static final double FONT = 11;
    private static final double[] LABEL_FONTS = {10, 8};
    private static final double LEFT = 80;
    private static final double TOP = 56;
    private static final double PLOT_HEIGHT = 540;
    private static final double BOTTOM = 56;
    private static final String[] PALETTE = {"#7aa6e0", "#f2a65a", "#8cc084", "#c49bd8", "#e8d26a", "#e58a8a", "#6cc5c0",
            "#b0a08a", "#a3a3a3", "#d98cc0"};
    /** The kind of a tensor that several steps write: a concat whose branches write their slices in place. */
    static final String CONCAT_IN_PLACE = "Concat (written in place by its branches)";
    static final String INPUT = "network input";

    private MemoryPlanSvg() {
    }

    /** A tensor's place in the arena, [offset, end), and its lifetime, steps first..last. */
    record Block(String name, String kind, long offset, long end, int first, int last) {
        Block widen(long otherOffset, long otherEnd, int step, String writer) {
            return new Block(name, writer == null ? kind : CONCAT_IN_PLACE, Math.min(offset, otherOffset),
                    Math.max(end, otherEnd), Math.min(first, step), Math.max(last, step));
        }
    }

    static List<Block> blocks(Plan plan) {
        Map<String, Block> blocks = new LinkedHashMap<>();
        int step = 0;
        for (StepInfo s : plan.steps()) {
            int at = step++;
            for (String in : s.inputs()) {
                int cut = in.lastIndexOf('@');
                String name = in.substring(0, cut);
                Block b = blocks.get(name);
                if (b != null) {
                    blocks.put(name, b.widen(b.offset(), b.end(), at, null));
                } else {
                    long offset = Long.parseLong(in.substring(cut + 1));
                    long bytes = offset == plan.inputOffset() ? 4 * plan.inputShape().elements() : 0;
                    blocks.put(name, new Block(name, INPUT, offset, offset + bytes, at, at));
                }
            }
            long end = s.outputOffset() + s.outputBytes();
            Block b = blocks.get(s.output());
            blocks.put(s.output(), b == null ? new Block(s.output(), s.op(), s.outputOffset(), end, at, at)
                    : b.widen(s.outputOffset(), end, at, s.op()));
        }
        return List.copyOf(blocks.values());
    }

    static String render(Plan plan, String title) {
        List<Block> blocks = blocks(plan);
        int steps = Math.max(1, plan.steps().size());
        double plotWidth = Math.max(640, Math.min(1400, steps * 14.0));
        double sx = plotWidth / steps;
        long top = Math.max(1, Math.max(plan.arenaBytes(), blocks.stream().mapToLong(Block::end).max().orElse(1)));
        double yMax = top * 1.06;
        double sy = PLOT_HEIGHT / yMax;
        double plotBottom = TOP + PLOT_HEIGHT;

        Map<String, String> colours = new LinkedHashMap<>();
        for (Block b : blocks) colours.computeIfAbsent(b.kind(), k -> PALETTE[colours.size() % PALETTE.length]);

        String arenaText = String.format(Locale.ROOT, "arena %,d B", plan.arenaBytes());
        String boundText = String.format(Locale.ROOT, "lower bound %,d B", plan.lowerBoundBytes());
        double linesLeft = LEFT + plotWidth + 8;
        double legendLeft = linesLeft + Math.max(SvgText.width(arenaText, FONT, false), SvgText.width(boundText, FONT, false)) + 24;
        double legendWidth = 18 + colours.keySet().stream().mapToDouble(k -> SvgText.width(k, FONT, false)).max().orElse(0);
        double width = legendLeft + legendWidth + 16;
        double height = plotBottom + BOTTOM;

        StringBuilder svg = new StringBuilder();
        svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"%.0f\">%n",
                width, height, FONT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(f("<text class=\"title\" x=\"%.1f\" y=\"22\" font-size=\"14\">%s</text>%n", LEFT, SvgText.escape(title)));
        svg.append(f("<text class=\"subtitle\" x=\"%.1f\" y=\"40\">each block: a tensor, from the step that writes it to the last"
                + " step that reads it, at its place in the arena; %s, %s (%.3f×)</text>%n", LEFT,
                SvgText.escape(arenaText), SvgText.escape(boundText), plan.arenaBytes() / (double) Math.max(1, plan.lowerBoundBytes())));

        axes(svg, steps, sx, yMax, sy, plotWidth, plotBottom);

        for (Block b : blocks) {
            double x = LEFT + b.first() * sx;
            double w = (b.last() - b.first() + 1) * sx;
            double y = plotBottom - b.end() * sy;
            double h = Math.max(0.5, (b.end() - b.offset()) * sy);
            svg.append(f("<rect class=\"block\" data-kind=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" "
                            + "stroke=\"#333\" stroke-width=\"0.5\"><title>%s (%s): %,d bytes at %,d, steps %d–%d</title></rect>%n",
                    SvgText.escape(b.kind()), x, y, w, h, colours.get(b.kind()), SvgText.escape(b.name()), SvgText.escape(b.kind()),
                    b.end() - b.offset(), b.offset(), b.first(), b.last()));
            label(svg, b.name(), x, y, w, h);
        }

        double yArena = plotBottom - plan.arenaBytes() * sy;
        double yBound = plotBottom - plan.lowerBoundBytes() * sy;
        svg.append(f("<line class=\"arena\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#222\" stroke-width=\"1.2\"/>%n",
                LEFT, yArena, LEFT + plotWidth, yArena));
        svg.append(f("<line class=\"lower-bound\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#c0392b\" stroke-width=\"1.5\" "
                + "stroke-dasharray=\"6 4\"/>%n", LEFT, yBound, LEFT + plotWidth, yBound));
        // The arena is never below its lower bound, so its label above its line and the bound's below its own never meet.
        svg.append(f("<text class=\"line-label\" x=\"%.1f\" y=\"%.2f\">%s</text>%n", linesLeft, yArena - 4, SvgText.escape(arenaText)));
        svg.append(f("<text class=\"line-label\" x=\"%.1f\" y=\"%.2f\" fill=\"#c0392b\">%s</text>%n", linesLeft, yBound + FONT + 2,
                SvgText.escape(boundText)));

        double ly = TOP + 4;
        svg.append(f("<text class=\"legend-title\" x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\">written by</text>%n", legendLeft, ly + FONT));
        for (var e : colours.entrySet()) {
            ly += 18;
            svg.append(f("<rect class=\"legend-swatch\" x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#333\" stroke-width=\"0.5\"/>%n",
                    legendLeft, ly, e.getValue()));
            svg.append(f("<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>%n", legendLeft + 18, ly + 10, SvgText.escape(e.getKey())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static void axes(StringBuilder svg, int steps, double sx, double yMax, double sy, double plotWidth, double plotBottom) {
        svg.append(f("<rect class=\"plot\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>%n",
                LEFT, TOP, plotWidth, PLOT_HEIGHT));
        double xStep = Math.max(1, niceStep(steps, 12));
        for (double t = 0; t <= steps; t += xStep) {
            double x = LEFT + t * sx;
            svg.append(f("<line class=\"tick\" x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" stroke=\"#888\"/>%n", x, plotBottom, x, plotBottom + 5));
            svg.append(f("<text class=\"x-tick\" x=\"%.2f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>%n", x, plotBottom + 18, (long) t));
        }
        svg.append(f("<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">plan step (execution order)</text>%n",
                LEFT + plotWidth / 2, plotBottom + 40));

        double unit = yMax >= 1e6 ? 1e6 : yMax >= 1e3 ? 1e3 : 1;
        String unitName = unit == 1e6 ? "MB" : unit == 1e3 ? "kB" : "bytes";
        double yStep = niceStep(yMax / unit, 8) * unit;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(yStep / unit) + 1e-9));
        for (int i = 0; i * yStep <= yMax; i++) {
            double y = plotBottom - i * yStep * sy;
            svg.append(f("<line class=\"grid\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#eee\"/>%n", LEFT, y, LEFT + plotWidth, y));
            svg.append(f("<line class=\"tick\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\" stroke=\"#888\"/>%n", LEFT - 5, y, LEFT, y));
            svg.append(f("<text class=\"y-tick\" x=\"%.1f\" y=\"%.2f\" text-anchor=\"end\">%s</text>%n", LEFT - 8, y + 4,
                    String.format(Locale.ROOT, "%." + decimals + "f", i * yStep / unit)));
        }
        double cy = TOP + PLOT_HEIGHT / 2;
        svg.append(f("<text class=\"axis-title\" x=\"20\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 20 %.1f)\">arena offset (%s)</text>%n",
                cy, cy, unitName));
    }

    /** The block's name inside it: across when it fits, else upwards along a tall narrow block, smaller if need be, else not at all. */
    private static void label(StringBuilder svg, String name, double x, double y, double w, double h) {
        double cx = x + w / 2;
        double cy = y + h / 2;
        for (double font : LABEL_FONTS) {
            double text = SvgText.width(name, font, false);
            if (text + 6 <= w && font + 4 <= h) {
                svg.append(f("<text class=\"block-label\" x=\"%.2f\" y=\"%.2f\" font-size=\"%.0f\" text-anchor=\"middle\">%s</text>%n",
                        cx, cy + font * 0.35, font, SvgText.escape(name)));
                return;
            }
            if (text + 6 <= h && font + 4 <= w) {
                double bx = cx + font * 0.35;
                svg.append(f("<text class=\"block-label\" x=\"%.2f\" y=\"%.2f\" font-size=\"%.0f\" text-anchor=\"middle\" "
                        + "transform=\"rotate(-90 %.2f %.2f)\">%s</text>%n", bx, cy, font, bx, cy, SvgText.escape(name)));
                return;
            }
        }
    }

    /** 1, 2 or 5 times a power of ten, giving about {@code ticks} ticks up to {@code max}. */
    static double niceStep(double max, int ticks) {
        double raw = Math.max(max, 1e-9) / ticks;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) if (m * pow >= raw) return m * pow;
        return 10 * pow;
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
