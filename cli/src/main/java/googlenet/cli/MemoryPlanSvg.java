package googlenet.cli;

import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The memory plan as a picture: plan steps on x, arena offset on y, one box per tensor from the step that
 * writes it to the last step that reads it, so reuse shows as boxes stacked in the same band over time.
 */
final class MemoryPlanSvg {
    private MemoryPlanSvg() {
    }

    static String render(Plan plan) {
        record Box(long offset, long bytes, int first, int last) {
        }
        Map<String, Box> boxes = new LinkedHashMap<>();
        int step = 0;
        for (StepInfo s : plan.steps()) {
            int at = step;
            boxes.merge(s.output(), new Box(s.outputOffset(), s.outputBytes(), at, at),
                    (a, b) -> new Box(Math.min(a.offset(), b.offset()), Math.max(a.bytes(), b.bytes()), Math.min(a.first(), at), Math.max(a.last(), at)));
            for (String in : s.inputs()) {
                String name = in.substring(0, in.lastIndexOf('@'));
                Box b = boxes.get(name);
                if (b != null) boxes.put(name, new Box(b.offset(), b.bytes(), b.first(), Math.max(b.last(), at)));
            }
            step++;
        }
        int steps = Math.max(1, step);
        double width = 1000;
        double height = 600;
        double sx = width / steps;
        double sy = height / Math.max(1, plan.arenaBytes());
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width + 80, height + 60));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"16\">memory plan: arena %,d bytes, lower bound %,d bytes; x = step, y = arena offset</text>%n",
                plan.arenaBytes(), plan.lowerBoundBytes()));
        int i = 0;
        for (var e : boxes.entrySet()) {
            Box b = e.getValue();
            double hue = (i++ * 47) % 360;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"hsl(%.0f,60%%,70%%)\" stroke=\"#333\" stroke-width=\"0.5\"><title>%s: %,d bytes at %,d, steps %d–%d</title></rect>%n",
                    40 + b.first() * sx, 30 + b.offset() * sy, Math.max(1, (b.last() - b.first() + 1) * sx), Math.max(1, b.bytes() * sy),
                    hue, escape(e.getKey()), b.bytes(), b.offset(), b.first(), b.last()));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
