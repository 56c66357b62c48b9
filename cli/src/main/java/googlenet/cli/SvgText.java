package googlenet.cli;

/** Text in the SVG pictures: XML escaping, and how wide a line will be drawn, to size boxes and keep labels apart. */
final class SvgText {
    private SvgText() {
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * An upper estimate of a line's width in pixels in a sans-serif font (DejaVu Sans, the widest of the usual ones,
     * as librsvg and browsers on Linux draw it); a bold line is about a tenth wider.
     */
    static double width(String line, double fontSize, boolean bold) {
        double em = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ("iljtfr.,:;'|!()[] ".indexOf(c) >= 0) em += 0.4;
            else if ("mwMW@%".indexOf(c) >= 0) em += 0.95;
            else if (Character.isUpperCase(c) || c == '×' || c == '–') em += 0.75;
            else em += 0.64;
        }
        return em * fontSize * (bold ? 1.1 : 1.0);
    }
}
