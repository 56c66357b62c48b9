package googlenet.graph.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file written by hand: magic 00 00 08 rank, big-endian dimensions, data. */
    static byte[] idx(int[] dims, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(8);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private String error(byte[] bytes) throws IOException {
        Path f = file("bad", bytes);
        FormatException e = assertThrows(FormatException.class, () -> Idx.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        byte[] data = {0, 1, 2, (byte) 255, 4, 5};
        byte[] plain = idx(new int[]{2, 1, 3}, data);
        // A file that starts with 00 00 08 03 is told apart from gzip by its first two bytes, not by its name.
        for (Path f : new Path[]{file("a.gz", plain), file("b", gzip(plain))}) {
            Idx.Array a = Idx.read(f);
            assertArrayEquals(new int[]{2, 1, 3}, a.dims());
            assertArrayEquals(data, a.data());
            assertEquals(3, a.itemBytes());
        }
    }

    @Test
    void badMagicNumberIsNamed() throws IOException {
        assertTrue(error(new byte[]{1, 2, 8, 1, 0, 0, 0, 1, 7}).contains("bad IDX magic number 0x01020801"));
    }

    @Test
    void onlyUnsignedBytesAreSupported() throws IOException {
        byte[] b = idx(new int[]{1}, new byte[]{0, 0, 0, 0});
        b[2] = 0x0D; // float
        assertTrue(error(b).contains("type code 0x0d"));
    }

    @Test
    void truncatedDataSaysHowMuchIsMissing() throws IOException {
        byte[] b = idx(new int[]{3, 2}, new byte[]{1, 2, 3, 4});
        assertTrue(error(b).contains("declares 6 data bytes, the file has 4"), error(b));
        assertTrue(error(Arrays.copyOf(b, 6)).contains("truncated in the header"));
        assertTrue(error(new byte[]{0, 0}).contains("too short"));
    }

    @Test
    void truncatedGzipIsAFormatError() throws IOException {
        byte[] z = gzip(idx(new int[]{100}, new byte[100]));
        assertTrue(error(Arrays.copyOf(z, z.length / 2)).contains("gzip"));
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        assertTrue(error(idx(new int[]{2}, new byte[]{1, 2, 3})).contains("bytes after the 2 data bytes"));
    }

    @Test
    void zeroAndHugeDimensionsFailBeforeAllocating() throws IOException {
        assertTrue(error(idx(new int[]{0, 5}, new byte[0])).contains("dimension 0 is 0"));
        // 65536 × 65536 bytes = 4 GiB declared by a 20-byte file: rejected on the declaration.
        assertTrue(error(idx(new int[]{65536, 65536}, new byte[4])).contains("exceed the limit"));
        // Within the limit but far beyond the file: fails on the missing bytes, having allocated only what arrived.
        assertTrue(error(idx(new int[]{1 << 29}, new byte[10])).contains("the file has 10"));
        byte[] negative = idx(new int[]{1}, new byte[1]);
        negative[4] = (byte) 0x80; // 2^31
        assertTrue(error(negative).contains("dimension 0 is 2147483649"), error(negative));
    }
}
