package googlenet.engine.image;

import googlenet.graph.models.FashionMnist;
import googlenet.graph.models.FashionPreprocessing;

/**
 * Any JPEG or PNG as {@code d2l-fashion}'s input: converted to grayscale (PIL's "L"), the shorter side resized to 28
 * and the centre 28×28 cropped (PIL's bilinear, as the other presets), inverted when its border is light — Fashion-MNIST
 * shows light clothes on black because its makers negated product photos taken on white — and then the training
 * script's table and pixel repetition ({@link FashionPreprocessing}).
 */
public final class FashionImages implements ImageInput {
    private final ImagePreprocessor toGray28;
    private final FashionPreprocessing preprocessing;
    private final float[] table;
    private final long maxPixels;

    public FashionImages(FashionPreprocessing preprocessing, long maxPixels) {
        int side = FashionMnist.SIDE;
        this.toGray28 = new ImagePreprocessor(new Preset("fashion", ColorOrder.GRAY, side, side, 255f, new float[]{0f}, new float[]{1f}), maxPixels);
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
        Pixels small = toGray28.prepare(decoded);
        byte[] pixels = small.data().clone();
        boolean invert = lightBorder(pixels);
        if (invert) for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (255 - (pixels[i] & 0xff));
        preprocessing.apply(table, pixels, 0, x, index * imageSize());
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
