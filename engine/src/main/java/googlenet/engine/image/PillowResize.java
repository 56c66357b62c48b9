package googlenet.engine.image;

/**
 * Pillow's {@code Image.resize(size, Image.BILINEAR)} on 8-bit images, bit for bit: a horizontal pass over the rows
 * the vertical pass will read, rounded to 8 bits, then a vertical pass, rounded again (Pillow's {@code ImagingResample}).
 */
final class PillowResize {
    private PillowResize() {
    }

    static Pixels bilinear(Pixels in, int width, int height) {
        ResampleWeights vertical = ResampleWeights.bilinear(in.height(), height);
        int firstRow = vertical.first()[0];
        int lastRow = vertical.first()[height - 1] + vertical.count()[height - 1];
        Pixels rows = width == in.width() ? in : horizontal(in, width, firstRow, lastRow);
        int rowOffset = rows == in ? 0 : firstRow;
        return height == in.height() ? rows : vertical(rows, height, vertical, rowOffset);
    }

    /** Rows {@code firstRow} (inclusive) to {@code lastRow} (exclusive) of {@code in}, resampled to {@code width}. */
    private static Pixels horizontal(Pixels in, int width, int firstRow, int lastRow) {
        ResampleWeights w = ResampleWeights.bilinear(in.width(), width);
        int channels = in.channels();
        Pixels out = Pixels.blank(width, lastRow - firstRow, channels);
        byte[] src = in.data();
        byte[] dst = out.data();
        for (int y = firstRow; y < lastRow; y++) {
            int rowStart = y * in.width() * channels;
            for (int x = 0; x < width; x++) {
                int first = w.first()[x];
                int taps = w.count()[x];
                int k = x * w.taps();
                for (int c = 0; c < channels; c++) {
                    int sum = 1 << (ResampleWeights.PRECISION_BITS - 1);
                    for (int i = 0; i < taps; i++) sum += (src[rowStart + (first + i) * channels + c] & 0xFF) * w.weights()[k + i];
                    dst[((y - firstRow) * width + x) * channels + c] = ResampleWeights.clip8(sum);
                }
            }
        }
        return out;
    }

    /** Resamples the columns of {@code in} to {@code height}; input row {@code r} of the weights is row {@code r - rowOffset} of {@code in}. */
    private static Pixels vertical(Pixels in, int height, ResampleWeights w, int rowOffset) {
        int channels = in.channels();
        int rowLength = in.width() * channels;
        Pixels out = Pixels.blank(in.width(), height, channels);
        byte[] src = in.data();
        byte[] dst = out.data();
        for (int y = 0; y < height; y++) {
            int first = w.first()[y] - rowOffset;
            int taps = w.count()[y];
            int k = y * w.taps();
            for (int s = 0; s < rowLength; s++) {
                int sum = 1 << (ResampleWeights.PRECISION_BITS - 1);
                for (int i = 0; i < taps; i++) sum += (src[(first + i) * rowLength + s] & 0xFF) * w.weights()[k + i];
                dst[y * rowLength + s] = ResampleWeights.clip8(sum);
            }
        }
        return out;
    }
}
