package googlenet.engine.image;

import googlenet.graph.models.FashionMnist;
import googlenet.graph.models.FashionPreprocessing;

/**
 * Any JPEG or PNG as {@code d2l-fashion}'s input, the way Fashion-MNIST's images were made from product photos:
 * converted to grayscale (PIL's "L"); an image larger than 28×28 trimmed of the edges that are its background's colour;
 * resized so that its longer side is 28 (PIL's bilinear, as the other presets) and centred on a 28×28 square of its
 * background colour (the mean of its corners) — the whole item in view, where a centre crop cut a wide shoe's toe and
 * heel off; inverted when that border is light (Fashion-MNIST shows light clothes on black because its makers negated
 * photos taken on white); then the training script's table and pixel repetition ({@link FashionPreprocessing}). A
 * square image is resized to 28×28 as before, so the test set's own images (28×28) keep their bits.
 */
public final class FashionImages implements ImageInput {
    private final FashionPreprocessing preprocessing;
    private final float[] table;
    private final long maxPixels;

    public FashionImages(FashionPreprocessing preprocessing, long maxPixels) {
        this.preprocessing = preprocessing;
        this.table = preprocessing.table();
        this.maxPixels = maxPixels;
    }

    @Override
    public String name() {
        return "fashion";
    }

    @Override
    public int side() {
        return preprocessing.outputSide();
    }

    @Override
    public int imageSize() {
        return preprocessing.outputFloats();
    }

    @Override
    public long maxPixels() {
        return maxPixels;
    }

    @Override
    public void write(Pixels decoded, float[] x, int index) {
        byte[] pixels = fitAndPad(decoded.toGray());
        boolean invert = lightBorder(pixels);
        if (invert) for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (255 - (pixels[i] & 0xff));
        preprocessing.apply(table, pixels, 0, x, index * imageSize());
    }

    /**
     * {@code gray}, trimmed if larger than 28×28 (see {@link #trim}), resized so that its longer side is 28 and centred on
     * a 28×28 square of its background (the mean of its corners); a square image is simply resized to 28×28.
     */
    static byte[] fitAndPad(Pixels gray) {
        int side = FashionMnist.SIDE;
        int background = cornersMean(gray);
        if (gray.width() > side || gray.height() > side) gray = trim(gray, background);
        int w = gray.width();
        int h = gray.height();
        int fw = w >= h ? side : (int) Math.max(1, Math.round((double) w * side / h));
        int fh = h >= w ? side : (int) Math.max(1, Math.round((double) h * side / w));
        Pixels small = PillowResize.bilinear(gray, fw, fh);
        if (fw == side && fh == side) return small.data().clone();
        byte[] out = new byte[side * side];
        java.util.Arrays.fill(out, (byte) background);
        int x0 = (side - fw) / 2;
        int y0 = (side - fh) / 2;
        for (int y = 0; y < fh; y++) System.arraycopy(small.data(), y * fw, out, (y0 + y) * side + x0, fw);
        return out;
    }

    /**
     * {@code gray} without the rows and columns at its edges that are all within 5 % of the corners' mean (the
     * background of a product photo), as Fashion-MNIST's makers trimmed their photos; the whole image when nothing
     * else is left.
     */
    static Pixels trim(Pixels gray, int background) {
        int w = gray.width();
        int h = gray.height();
        byte[] d = gray.data();
        int top = 0, bottom = h - 1, left = 0, right = w - 1;
        while (top <= bottom && rowIsBackground(d, w, top, left, right, background)) top++;
        while (bottom > top && rowIsBackground(d, w, bottom, left, right, background)) bottom--;
        if (top > bottom) return gray;
        while (left < right && columnIsBackground(d, w, left, top, bottom, background)) left++;
        while (right > left && columnIsBackground(d, w, right, top, bottom, background)) right--;
        int tw = right - left + 1;
        int th = bottom - top + 1;
        if (tw == w && th == h) return gray;
        byte[] out = new byte[tw * th];
        for (int y = 0; y < th; y++) System.arraycopy(d, (top + y) * w + left, out, y * tw, tw);
        return new Pixels(tw, th, 1, out);
    }

    private static final int TRIM_DISTANCE = 13; // 5 % of 255

    /** The mean of the four corner pixels: the background of a product photo. */
    private static int cornersMean(Pixels gray) {
        int w = gray.width();
        int h = gray.height();
        byte[] d = gray.data();
        return ((d[0] & 0xff) + (d[w - 1] & 0xff) + (d[(h - 1) * w] & 0xff) + (d[h * w - 1] & 0xff) + 2) / 4;
    }

    private static boolean rowIsBackground(byte[] d, int w, int y, int from, int to, int background) {
        for (int x = from; x <= to; x++) if (Math.abs((d[y * w + x] & 0xff) - background) > TRIM_DISTANCE) return false;
        return true;
    }

    private static boolean columnIsBackground(byte[] d, int w, int x, int from, int to, int background) {
        for (int y = from; y <= to; y++) if (Math.abs((d[y * w + x] & 0xff) - background) > TRIM_DISTANCE) return false;
        return true;
    }

    /** Whether the mean of the outermost ring of pixels is above mid-gray. */
    static boolean lightBorder(byte[] pixels) {
        int side = FashionMnist.SIDE;
        long sum = 0;
        int n = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                if (y == 0 || x == 0 || y == side - 1 || x == side - 1) {
                    sum += pixels[y * side + x] & 0xff;
                    n++;
                }
            }
        }
        return sum > 127L * n;
    }
}
