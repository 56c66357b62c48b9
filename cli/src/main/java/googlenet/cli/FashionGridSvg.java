package googlenet.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * A grid of 28×28 grayscale images, each drawn 4× larger with its true and predicted label beneath (green when they
 * agree, red when not), as one SVG file with the images embedded as PNG data. SVG, not a raster picture, so that the
 * labels need no fonts on the machine that writes it.
 */
final class FashionGridSvg {
    private static final int SCALE = 4;
    private static final int COLUMNS = 6;
    private static final int CELL_W = 28 * SCALE + 40;
    private static final int CELL_H = 28 * SCALE + 44;

    record Item(byte[] pixels, String truth, String predicted, double probability) {
    }

    private FashionGridSvg() {
    }

    static String render(String title, List<Item> items) {
        int rows = (items.size() + COLUMNS - 1) / COLUMNS;
        int width = COLUMNS * CELL_W + 20;
        int height = rows * CELL_H + 50;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"10\" y=\"22\" font-size=\"14\">").append(SvgText.escape(title)).append("</text>\n");
        for (int i = 0; i < items.size(); i++) {
            Item it = items.get(i);
            int x = 10 + (i % COLUMNS) * CELL_W + 20;
            int y = 36 + (i / COLUMNS) * CELL_H;
            boolean right = it.truth().equals(it.predicted());
            s.append("<image x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(28 * SCALE).append("\" height=\"")
                    .append(28 * SCALE).append("\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,")
                    .append(png(it.pixels())).append("\"/>\n");
            int cx = x + 14 * SCALE;
            s.append("<text x=\"").append(cx).append("\" y=\"").append(y + 28 * SCALE + 14).append("\" text-anchor=\"middle\">true: ")
                    .append(SvgText.escape(it.truth())).append("</text>\n");
            s.append("<text x=\"").append(cx).append("\" y=\"").append(y + 28 * SCALE + 28).append("\" text-anchor=\"middle\" fill=\"")
                    .append(right ? "#1a7f37" : "#cf222e").append("\">").append(SvgText.escape(it.predicted()))
                    .append(String.format(" (%.0f%%)", 100 * it.probability())).append("</text>\n");
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String png(byte[] pixels) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setDataElements(0, 0, 28, 28, pixels);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
