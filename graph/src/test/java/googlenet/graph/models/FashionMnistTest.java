package googlenet.graph.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.graph.io.FormatException;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {
    @TempDir
    Path dir;

    private static byte[] idx(int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{0, 0, 8, (byte) dims.length});
        for (int d : dims) out.write(new byte[]{(byte) (d >>> 24), (byte) (d >>> 16), (byte) (d >>> 8), (byte) d});
        out.write(data);
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(out.toByteArray());
        }
        return z.toByteArray();
    }

    private void write(int images, int labels, byte label) throws IOException {
        byte[] pixels = new byte[images * 28 * 28];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) i;
        byte[] l = new byte[labels];
        java.util.Arrays.fill(l, label);
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), idx(new int[]{images, 28, 28}, pixels));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), idx(new int[]{labels}, l));
    }

    @Test
    void readsTheTestSetAndTakesAPrefix() throws IOException {
        write(3, 3, (byte) 9);
        assertTrue(FashionMnist.present(dir));
        FashionMnist.TestSet t = FashionMnist.readTestSet(dir);
        assertEquals(3, t.size());
        assertEquals(9, t.label(2));
        FashionMnist.TestSet two = t.first(2);
        assertEquals(2, two.size());
        assertEquals(2 * 784, two.images().data().length);
        assertEquals(2, two.images().dim(0));
        assertEquals((byte) (784 + 5), two.images().data()[784 + 5]);
    }

    @Test
    void countMismatchIsNamed() throws IOException {
        write(3, 2, (byte) 1);
        FormatException e = assertThrows(FormatException.class, () -> FashionMnist.readTestSet(dir));
        assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());
    }

    @Test
    void labelsOutsideTheTenClassesAreRejected() throws IOException {
        write(2, 2, (byte) 10);
        FormatException e = assertThrows(FormatException.class, () -> FashionMnist.readTestSet(dir));
        assertTrue(e.getMessage().contains("label 10 at index 0"), e.getMessage());
    }

    @Test
    void missingFilesSayHowToGetThem() {
        assertFalse(FashionMnist.present(dir));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> FashionMnist.readTestSet(dir));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
        assertThrows(FileNotFoundException.class, () -> FashionMnist.readTestSet(dir.resolve("nope")));
    }

    @Test
    void preprocessingIsTheTableThenEachPixelRepeated() {
        FashionPreprocessing p = new FashionPreprocessing(0.25, 0.5, 2);
        float[] table = p.table();
        assertEquals(-0.5f, table[0]);                              // (0 - 0.25) / 0.5
        assertEquals(1.5f, table[255]);                             // (1 - 0.25) / 0.5
        assertEquals((float) ((51 / 255.0 - 0.25) / 0.5), table[51]);
        byte[] pixels = new byte[2 * 784];
        pixels[784] = (byte) 255;         // image 1, (0, 0)
        pixels[784 + 28 + 27] = 51;       // image 1, (1, 27)
        float[] dst = new float[1 + 56 * 56];
        p.apply(table, pixels, 1, dst, 1);
        assertEquals(1.5f, dst[1]);
        assertEquals(1.5f, dst[1 + 1]);
        assertEquals(1.5f, dst[1 + 56]);
        assertEquals(1.5f, dst[1 + 57]);
        assertEquals(-0.5f, dst[1 + 2]);
        for (int y = 2; y < 4; y++) {
            for (int x = 54; x < 56; x++) assertEquals(table[51], dst[1 + y * 56 + x]);
        }
        assertEquals(-0.5f, dst[1 + 4 * 56 + 54]);
        assertEquals(0f, dst[0]);
    }
}
