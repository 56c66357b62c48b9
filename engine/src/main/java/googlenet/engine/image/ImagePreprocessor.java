package googlenet.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;

/**
 * Images to network inputs by a {@link Preset}: decode, resize the shorter side as torchvision's {@code Resize(int)}
 * does on a PIL image (bilinear, antialiased when shrinking, bit for bit as Pillow), centre-crop, normalize, and write
 * NCHW float32 at one image's place in a caller's batch buffer.
 *
 * @param maxPixels images with more pixels (by their header) are refused before decoding
 */
public record ImagePreprocessor(Preset preset, long maxPixels) {
    public ImagePreprocessor {
        if (maxPixels < 1) throw new IllegalArgumentException("maxPixels must be ≥ 1, got " + maxPixels);
    }

    public ImagePreprocessor(Preset preset) {
        this(preset, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    /** Decodes {@code image} and writes it as image {@code index} of the NCHW batch in {@code batch}. */
    public void load(Path image, float[] batch, int index) throws IOException {
        write(prepare(ImageDecoder.read(image, maxPixels)), batch, index);
    }

    public void load(Path image, FloatBuffer batch, int index) throws IOException {
        write(prepare(ImageDecoder.read(image, maxPixels)), batch, index);
    }

    /** Decodes an image from a stream ({@code name} names it in errors) into image {@code index} of the batch. */
    public void load(InputStream image, String name, float[] batch, int index) throws IOException {
        write(prepare(ImageDecoder.read(image, name, maxPixels)), batch, index);
    }

    /** The 8-bit image the network sees: in the preset's channels, resized and cropped, before normalization. */
    public Pixels prepare(Pixels decoded) {
        Pixels source = preset.colorOrder() == ColorOrder.GRAY ? decoded.toGray() : decoded;
        int w = source.width();
        int h = source.height();
        int shorter = Math.min(w, h);
        int longer = (int) ((double) preset.resize() * Math.max(w, h) / shorter);
        Pixels resized = w <= h ? PillowResize.bilinear(source, preset.resize(), longer) : PillowResize.bilinear(source, longer, preset.resize());
        return resized.centerCrop(preset.crop());
    }

    public void write(Pixels cropped, float[] batch, int index) {
        checkSize(cropped, batch.length, index);
        int base = index * preset.imageSize();
        forEachValue(cropped, (offset, value) -> batch[base + offset] = value);
    }

    public void write(Pixels cropped, FloatBuffer batch, int index) {
        checkSize(cropped, batch.limit(), index);
        int base = index * preset.imageSize();
        forEachValue(cropped, (offset, value) -> batch.put(base + offset, value));
    }

    private interface Sink {
        void put(int offset, float value);
    }

    private void forEachValue(Pixels image, Sink sink) {
        Pixels cropped = preset.colorOrder() == ColorOrder.GRAY ? image.toGray() : image;
        int channels = preset.channels();
        int plane = preset.crop() * preset.crop();
        float divisor = preset.divisor();
        float[] mean = preset.mean();
        float[] std = preset.std();
        for (int c = 0; c < channels; c++) {
            int source = cropped.channels() == 1 ? 0 : preset.colorOrder() == ColorOrder.BGR ? 2 - c : c;
            for (int y = 0; y < preset.crop(); y++) {
                for (int x = 0; x < preset.crop(); x++) {
                    sink.put(c * plane + y * preset.crop() + x, (cropped.get(x, y, source) / divisor - mean[c]) / std[c]);
                }
            }
        }
    }

    private void checkSize(Pixels cropped, int capacity, int index) {
        if (cropped.width() != preset.crop() || cropped.height() != preset.crop()) {
            throw new IllegalArgumentException("expected a " + preset.crop() + "×" + preset.crop() + " image, got " + cropped.width() + "×" + cropped.height());
        }
        if (index < 0 || (long) (index + 1) * preset.imageSize() > capacity) {
            throw new IndexOutOfBoundsException("image " + index + " of " + preset.imageSize() + " floats does not fit a buffer of " + capacity);
        }
    }
}
