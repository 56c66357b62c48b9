package googlenet.engine.image;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Preprocessing against PIL and torchvision: the expected tensors and crops are made by
 * {@code tools/make_image_fixtures.py} (Resize(64) + CenterCrop(56), or the full Resize(256) + CenterCrop(224)),
 * and must match bit for bit.
 */
class ImagePreprocessorTest {
    private static final Preset TV64 = Preset.TORCHVISION.withSize(64, 56);
    private static final Preset CAFFE64 = Preset.CAFFE.withSize(64, 56);
    private static final Preset GRAY64 = new Preset("gray", ColorOrder.GRAY, 64, 56, 255f, new float[]{0.5f}, new float[]{0.25f});

    static Path fixture(String file) {
        var url = ImagePreprocessorTest.class.getResource(file);
        if (url == null) throw new AssertionError("missing test resource " + file);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertBitwise(Tensor expected, float[] actual, String what) {
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(expected.data()[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: PIL/torchvision " + expected.data()[i] + ", got " + actual[i]);
            }
        }
    }

    private static void check(String image, String pipeline, Preset preset) throws IOException {
        String stem = image.substring(0, image.lastIndexOf('.'));
        Tensor expected = Npy.read(fixture(stem + "." + pipeline + ".npy"));
        assertEquals(Shape.of(1, preset.channels(), 56, 56), expected.shape());
        float[] batch = new float[3 * preset.imageSize()];
        Arrays.fill(batch, Float.NaN);
        new ImagePreprocessor(preset).load(fixture(image), batch, 1);
        assertBitwise(expected, Arrays.copyOfRange(batch, preset.imageSize(), 2 * preset.imageSize()), image + " " + pipeline);
        for (int i = 0; i < preset.imageSize(); i++) {
            assertTrue(Float.isNaN(batch[i]) && Float.isNaN(batch[2 * preset.imageSize() + i]), "the other images are untouched");
        }
    }

    /** PNGs of every kind (RGB, gray, RGBA, palette with transparency, 16-bit RGB) and JPEGs (RGB 4:2:0, gray). */
    @ParameterizedTest
    @ValueSource(strings = {"rgb_97x75.png", "gray_75x97.png", "rgba_50x70.png", "palette_80x66.png", "rgb16_61x59.png",
            "jpeg_rgb_97x75.jpg", "jpeg_gray_97x75.jpg"})
    void matchesPilAndTorchvisionBitForBit(String image) throws IOException {
        check(image, "tv64", TV64);
        check(image, "caffe64", CAFFE64);
        check(image, "gray64", GRAY64);
    }

    @ParameterizedTest
    @ValueSource(strings = {"up_43x31.png", "down_1210x1500.png"})
    void fullSizeResizeAndCropMatchPil(String image) throws IOException {
        String stem = image.substring(0, image.lastIndexOf('.'));
        Pixels expected = ImageDecoder.read(fixture(stem + ".crop224.png"), Long.MAX_VALUE);
        Pixels actual = new ImagePreprocessor(Preset.TORCHVISION).prepare(ImageDecoder.read(fixture(image), Long.MAX_VALUE));
        assertEquals(224, actual.width());
        assertEquals(224, actual.height());
        assertArrayEquals(expected.data(), actual.data(), image);
    }

    @Test
    void floatBufferGetsTheSameValuesAsAnArray() throws IOException {
        ImagePreprocessor p = new ImagePreprocessor(TV64);
        float[] array = new float[2 * TV64.imageSize()];
        p.load(fixture("rgb_97x75.png"), array, 1);
        FloatBuffer buffer = FloatBuffer.allocate(2 * TV64.imageSize());
        p.load(fixture("rgb_97x75.png"), buffer, 1);
        assertArrayEquals(array, buffer.array());
        assertThrows(IndexOutOfBoundsException.class, () -> p.load(fixture("rgb_97x75.png"), array, 2));
    }

    @Test
    void normalizationByHand() {
        // one 1×1 image of R 255, G 0, B 51
        Pixels px = new Pixels(1, 1, 3, new byte[]{(byte) 255, 0, 51});
        float[] tv = new float[3];
        new ImagePreprocessor(Preset.TORCHVISION.withSize(1, 1)).write(px, tv, 0);
        assertArrayEquals(new float[]{(1f - 0.485f) / 0.229f, (0f - 0.456f) / 0.224f, (0.2f - 0.406f) / 0.225f}, tv);
        float[] caffe = new float[3];
        new ImagePreprocessor(Preset.CAFFE.withSize(1, 1)).write(px, caffe, 0);
        assertArrayEquals(new float[]{51 - 104, 0 - 117, 255 - 123}, caffe, "BGR order");
        // PIL's L: (255·19595 + 0 + 51·7471 + 32768) >> 16 = 5410514 >> 16 = 82
        assertEquals(82, px.toGray().get(0, 0, 0));
    }

    @Test
    void centerCropRoundsHalfToEvenAsTorchvision() {
        // (7 - 4) / 2 = 1.5 → 2 (Python's round), (6 - 4) / 2 = 1
        Pixels px = Pixels.blank(6, 7, 1);
        for (int i = 0; i < px.data().length; i++) px.data()[i] = (byte) i;
        Pixels crop = px.centerCrop(4);
        assertEquals(2 * 6 + 1, crop.get(0, 0, 0));
        Pixels wide = Pixels.blank(9, 4, 1);
        for (int i = 0; i < wide.data().length; i++) wide.data()[i] = (byte) i;
        assertEquals(2, wide.centerCrop(4).get(0, 0, 0), "(9 - 4) / 2 = 2.5 → 2");
    }

    @Test
    void sixteenBitGrayKeepsTheHighByte(@TempDir Path dir) throws IOException {
        var image = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSample(1, 0, 0, 0x12FF);
        image.getRaster().setSample(2, 1, 0, 0xFFFF);
        Path file = dir.resolve("g16.png");
        javax.imageio.ImageIO.write(image, "png", file.toFile());
        Pixels px = ImageDecoder.read(file, 100);
        assertEquals(1, px.channels());
        assertArrayEquals(new byte[]{0, 0x12, 0, 0, 0, (byte) 0xFF}, px.data());
    }

    @Test
    void badFilesFailWithTheirName(@TempDir Path dir) throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.read(empty, 100));
        assertTrue(e.getMessage().startsWith(empty + ": empty"), e.getMessage());

        Path text = Files.writeString(dir.resolve("notes.jpg"), "not an image");
        e = assertThrows(BadImageException.class, () -> ImageDecoder.read(text, 100));
        assertTrue(e.getMessage().startsWith(text.toString()), e.getMessage());

        byte[] png = Files.readAllBytes(fixture("rgb_97x75.png"));
        Path truncated = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        e = assertThrows(BadImageException.class, () -> ImageDecoder.read(truncated, 1_000_000));
        assertTrue(e.getMessage().startsWith(truncated + ": corrupt"), e.getMessage());

        byte[] jpg = Files.readAllBytes(fixture("jpeg_rgb_97x75.jpg"));
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length / 2));
        e = assertThrows(BadImageException.class, () -> ImageDecoder.read(cut, 1_000_000));
        assertTrue(e.getMessage().startsWith(cut + ": corrupt"), e.getMessage());

        assertThrows(java.nio.file.NoSuchFileException.class, () -> ImageDecoder.read(dir.resolve("none.png"), 100));
    }

    @Test
    void theHeaderSizeIsCheckedBeforeDecoding(@TempDir Path dir) throws IOException {
        // a PNG header claiming 100000×100000 pixels, with no pixel data: decoding it would fail differently
        byte[] png = Files.readAllBytes(fixture("rgb_97x75.png"));
        java.nio.ByteBuffer.wrap(png).putInt(16, 100_000).putInt(20, 100_000);
        Path bomb = Files.write(dir.resolve("bomb.png"), Arrays.copyOf(png, 33));
        BadImageException e = assertThrows(BadImageException.class, () -> ImageDecoder.read(bomb, ImageDecoder.DEFAULT_MAX_PIXELS));
        assertEquals(bomb + ": 100000×100000 is 10000.0 megapixels, more than the limit of 50.0 megapixels", e.getMessage());
        BadImageException small = assertThrows(BadImageException.class, () -> ImageDecoder.read(fixture("rgb_97x75.png"), 97 * 75 - 1));
        assertTrue(small.getMessage().endsWith("97×75 is 7275 pixels, more than the limit of 7274 pixels"), small.getMessage());
    }
}
