package googlenet.engine.image;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * JPEG and PNG files (anything ImageIO reads) to 8-bit {@link Pixels}, converted as PIL's {@code convert('RGB')} does:
 * gray stays one channel, palettes are looked up, alpha is dropped (not composited), 16-bit samples keep their high byte.
 * Samples are read from the raster as stored, with no color management (as PIL does). The header's size is checked
 * against the pixel limit before anything is decoded.
 */
public final class ImageDecoder {
    /** 50 megapixels: a 7000×7000 photograph passes, a decompression bomb does not. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private ImageDecoder() {
    }

    public static Pixels read(Path file, long maxPixels) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such image file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), maxPixels);
        }
    }

    /** Decodes an image from a stream; {@code name} names it in errors. */
    public static Pixels read(InputStream in, String name, long maxPixels) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (bytes.length == 0) throw new BadImageException(name + ": empty file, not an image");
        try (ImageInputStream stream = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) throw new BadImageException(name + ": not an image ImageIO can read (JPEG, PNG, BMP, GIF)");
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width * height > maxPixels) {
                    throw new BadImageException(name + ": " + width + "×" + height + " is " + pixels(width * height)
                            + ", more than the limit of " + pixels(maxPixels));
                }
                String[] warning = {null};
                reader.addIIOReadWarningListener((source, message) -> warning[0] = message);
                BufferedImage image = reader.read(0);
                if (warning[0] != null) throw new BadImageException(name + ": corrupt image (" + warning[0] + ")");
                return toPixels(image, name);
            } catch (BadImageException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new BadImageException(name + ": corrupt or unsupported image (" + e.getMessage() + ")", e);
            } finally {
                reader.dispose();
            }
        }
    }

    private static String pixels(long count) {
        return count >= 100_000 ? String.format("%.1f megapixels", count / 1e6) : count + " pixels";
    }

    static Pixels toPixels(BufferedImage image, String name) throws BadImageException {
        int w = image.getWidth();
        int h = image.getHeight();
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel palette) {
            Pixels out = Pixels.blank(w, h, 3);
            int i = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int index = raster.getSample(x, y, 0);
                    out.data()[i++] = (byte) palette.getRed(index);
                    out.data()[i++] = (byte) palette.getGreen(index);
                    out.data()[i++] = (byte) palette.getBlue(index);
                }
            }
            return out;
        }
        int type = cm.getColorSpace().getType();
        int channels = cm.getNumColorComponents();
        if (!(type == ColorSpace.TYPE_GRAY && channels == 1) && !(type == ColorSpace.TYPE_RGB && channels == 3)) {
            throw new BadImageException(name + ": unsupported color space (" + channels + " components, not gray or RGB)");
        }
        Pixels out = Pixels.blank(w, h, channels);
        int i = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < channels; c++) out.data()[i++] = (byte) eightBits(raster.getSample(x, y, c), cm.getComponentSize(c));
            }
        }
        return out;
    }

    private static int eightBits(int sample, int bits) {
        return bits >= 8 ? sample >>> (bits - 8) : sample * 255 / ((1 << bits) - 1);
    }
}
