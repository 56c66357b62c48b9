package googlenet.engine.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionImagesTest {
    @Test
    void lightBordersAreTakenForPhotosOnWhite() {
        byte[] dark = new byte[784];
        assertFalse(FashionImages.lightBorder(dark));
        byte[] light = new byte[784];
        Arrays.fill(light, (byte) 200);
        for (int y = 1; y < 27; y++) for (int x = 1; x < 27; x++) light[y * 28 + x] = 0;
        assertTrue(FashionImages.lightBorder(light));
    }

    /**
     * A wide photo (a dark item with light stripes, 80×20, on a white 120×40 ground) keeps the whole item: trimmed to
     * the item, 28×7 of it centred on white rows (a centre crop kept a 28×28 piece of the middle and cut the ends off).
     */
    @Test
    void aWideImageIsTrimmedFittedAndPaddedNotCropped() {
        int w = 120, h = 40;
        byte[] data = new byte[w * h];
        Arrays.fill(data, (byte) 255);
        for (int y = 10; y < 30; y++) for (int x = 20; x < 100; x++) data[y * w + x] = (byte) (x % 20 < 10 ? 0 : 128);
        byte[] out = FashionImages.fitAndPad(new Pixels(w, h, 1, data));
        assertEquals(28 * 28, out.length);
        // Trimmed to 80×20 → 28×7 (20·28/80), rows 10..16; the rows above and below are the background, white.
        for (int y : new int[] {0, 9, 17, 27}) {
            for (int x = 0; x < 28; x++) assertEquals(255, out[y * 28 + x] & 0xff, "row " + y + " column " + x);
        }
        // The item fills the width: its first and last columns are not white.
        assertTrue((out[13 * 28] & 0xff) < 192, "left end " + (out[13 * 28] & 0xff));
        assertTrue((out[13 * 28 + 27] & 0xff) < 192, "right end " + (out[13 * 28 + 27] & 0xff));
    }

    /** An image with nothing but background is not trimmed to nothing. */
    @Test
    void aBlankImageStaysWhole() {
        byte[] data = new byte[60 * 30];
        Arrays.fill(data, (byte) 240);
        byte[] out = FashionImages.fitAndPad(new Pixels(60, 30, 1, data));
        for (byte b : out) assertEquals(240, b & 0xff);
    }

    /** A square image is only resized, as the test set's 28×28 images always were. */
    @Test
    void aSquareImageIsOnlyResized() {
        byte[] data = new byte[28 * 28];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        assertArrayEquals(data, FashionImages.fitAndPad(new Pixels(28, 28, 1, data)));
    }
}
