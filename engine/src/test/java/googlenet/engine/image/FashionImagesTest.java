package googlenet.engine.image;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

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
}
