package googlenet.graph.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads unsigned-byte arrays in the IDX format of MNIST and Fashion-MNIST, plain or gzip-compressed (told apart by the
 * gzip magic bytes, not by the file name): two zero bytes, the type code {@code 0x08} (unsigned byte), the number of
 * dimensions, each dimension as a big-endian 32-bit integer, then the data in C order.
 *
 * <p>The declared size is checked against {@link #MAX_BYTES} before anything is allocated, and the data are read as
 * they arrive, so a small file declaring a huge array fails on its length instead of allocating it. Every malformed
 * file fails with a {@link FormatException} naming the file: bad magic number, wrong type code, a dimension of 0, a
 * truncated file, bytes after the data.
 */
public final class Idx {
    /** The largest array accepted (Fashion-MNIST's training images take 47 MB). */
    public static final long MAX_BYTES = 1L << 30;
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int MAX_RANK = 4;

    private Idx() {
    }

    /** An IDX array: its dimensions and its bytes in C order. */
    public record Array(String source, int[] dims, byte[] data) {
        public Array {
            dims = dims.clone();
        }

        @Override
        public int[] dims() {
            return dims.clone();
        }

        public int dim(int i) {
            return dims[i];
        }

        public int rank() {
            return dims.length;
        }

        /** Bytes per item along the first dimension (rows × cols for images, 1 for labels). */
        public int itemBytes() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) n *= dims[i];
            return n;
        }

        @Override
        public String toString() {
            return source + " " + Arrays.toString(dims);
        }
    }

    public static Array read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        }
    }

    /** Reads an IDX array from a stream (gzip-compressed or not), naming it {@code source} in errors. */
    public static Array read(String source, InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return readPlain(source, new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16));
            } catch (ZipException | EOFException e) {
                throw new FormatException(source + ": corrupt or truncated gzip data (" + e.getMessage() + ")", e);
            }
        }
        return readPlain(source, in);
    }

    private static Array readPlain(String source, InputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new FormatException(source + ": " + magic.length + " bytes, too short for the 4-byte IDX magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new FormatException(source + ": bad IDX magic number 0x" + hex(magic) + "; expected 0x000008NN (not an IDX file?)");
        }
        if ((magic[2] & 0xff) != UNSIGNED_BYTE) {
            throw new FormatException(source + ": IDX type code 0x" + String.format("%02x", magic[2] & 0xff)
                    + " is not supported; expected 0x08 (unsigned byte)");
        }
        int rank = magic[3] & 0xff;
        if (rank < 1 || rank > MAX_RANK) throw new FormatException(source + ": IDX rank " + rank + "; expected 1 to " + MAX_RANK);
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) throw new FormatException(source + ": truncated in the header (" + rank + " dimensions declared)");
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xffL) << 24) | ((header[4 * i + 1] & 0xff) << 16) | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
            if (d == 0 || d > Integer.MAX_VALUE) throw new FormatException(source + ": dimension " + i + " is " + d + "; expected 1 to " + Integer.MAX_VALUE);
            dims[i] = (int) d;
            total *= d;
            if (total > MAX_BYTES) {
                throw new FormatException(source + ": declared dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + (i + 1 < rank ? "…" : "") + " exceed the limit of " + MAX_BYTES + " bytes");
            }
        }
        byte[] data = in.readNBytes((int) total); // grows as bytes arrive: a short file never allocates the declared size
        if (data.length < total) {
            throw new FormatException(source + ": truncated: " + Arrays.toString(dims) + " declares " + total + " data bytes, the file has " + data.length);
        }
        if (in.read() >= 0) throw new FormatException(source + ": bytes after the " + total + " data bytes of " + Arrays.toString(dims));
        return new Array(source, dims, data);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) s.append(String.format("%02x", x & 0xff));
        return s.toString();
    }
}
