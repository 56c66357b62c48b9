package googlenet.cli;

import java.util.List;

/** A confusion matrix as an SVG heat map: rows = true class, columns = predicted class, each cell's count written in it. */
final class ConfusionMatrixSvg {
    private static final int CELL = 44;
    private static final int LEFT = 110;
    private static final int TOP = 120;

    private ConfusionMatrixSvg() {
    }

    static String render(List<String> classes, long[][] m, String title) {
        int k = classes.size();
        int width = LEFT + k * CELL + 60;
        int height = TOP + k * CELL + 50;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\">").append(SvgText.escape(title)).append("</text>\n");
        s.append("<text x=\"").append(LEFT + k * CELL / 2).append("\" y=\"36\" text-anchor=\"middle\">predicted</text>\n");
        s.append("<text x=\"14\" y=\"").append(TOP + k * CELL / 2).append("\" transform=\"rotate(-90 14 ").append(TOP + k * CELL / 2)
                .append(")\" text-anchor=\"middle\">true</text>\n");
        for (int r = 0; r < k; r++) {
            long rowTotal = 0;
            for (long v : m[r]) rowTotal += v;
            int y = TOP + r * CELL;
            s.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + CELL / 2 + 4).append("\" text-anchor=\"end\">")
                    .append(SvgText.escape(classes.get(r))).append("</text>\n");
            for (int c = 0; c < k; c++) {
                int x = LEFT + c * CELL;
                double f = rowTotal == 0 ? 0 : (double) m[r][c] / rowTotal;
                int shade = (int) Math.round(255 * (1 - f));
                String fill = r == c ? "rgb(" + shade + "," + (shade + (255 - shade) / 2) + "," + shade + ")" : "rgb(255," + shade + "," + shade + ")";
                s.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(CELL).append("\" height=\"").append(CELL)
                        .append("\" fill=\"").append(fill).append("\" stroke=\"#ccc\"/>\n");
                s.append("<text x=\"").append(x + CELL / 2).append("\" y=\"").append(y + CELL / 2 + 4).append("\" text-anchor=\"middle\" fill=\"")
                        .append(f > 0.6 ? "white" : "black").append("\">").append(m[r][c]).append("</text>\n");
            }
        }
        for (int c = 0; c < k; c++) {
            int x = LEFT + c * CELL + CELL / 2;
            s.append("<text x=\"").append(x).append("\" y=\"").append(TOP - 6).append("\" transform=\"rotate(-45 ").append(x).append(' ')
                    .append(TOP - 6).append(")\">").append(SvgText.escape(classes.get(c))).append("</text>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }
}
