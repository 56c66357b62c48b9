package googlenet.graph.io;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes float32 tensors as NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0,
 * as described in NumPy's {@code numpy/lib/format.py}).
 *
 * <p>Only what our tensors can hold is accepted: dtype {@code '<f4'} (float32, little-endian),
 * {@code fortran_order: False}, and a shape of rank at least 1 whose dimensions are all positive and
 * whose element count fits one Java float array. Anything else fails with a {@link FormatException}
 * whose message starts with the file or source name and says what is wrong.
 *
 * <p>Reading never allocates based on the declared shape before checking it against the bytes actually
 * available: a file's size is compared first, and a stream is read in bounded chunks.
 *
 * <p>Writing produces exactly the bytes {@code np.save} writes for a C-contiguous float32 array:
 * a version 1.0 header (2.0 only if the header would not fit in 65535 bytes) padded with spaces and a final
 * {@code '\n'} so that the data starts at a multiple of 64 bytes, followed by the values little-endian.
 */
public final class Npy {
    /** The six magic bytes {@code \x93NUMPY}. */
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Magic plus the two version bytes (numpy's {@code MAGIC_LEN}). */
    private static final int MAGIC_LEN = MAGIC.length + 2;
    /** The largest header length accepted when reading. */
    static final int MAX_HEADER_LENGTH = 1 << 20;
    /** The largest element count accepted when reading (the usual limit on Java array length). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int ARRAY_ALIGN = 64;
    /** numpy pads the header so that the first dimension could grow to this many digits in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int CHUNK_BYTES = 1 << 20;
    /** Initial capacity, in floats, when reading from a stream of unknown length. */
    private static final int INITIAL_STREAM_FLOATS = 1 << 18;
    private static final Set<String> EXPECTED_KEYS = Set.of("descr", "fortran_order", "shape");
    private static final String FLOAT32_LE = "<f4";

    private Npy() {
    }

    // ---------------------------------------------------------------- reading

    /**
     * Reads a float32 {@code .npy} file.
     *
     * @throws FormatException if the file is not a well-formed {@code .npy} file holding a C-order
     *                         {@code '<f4'} array of positive dimensions, or has missing or extra data bytes
     * @throws IOException     if the file cannot be read
     */
    public static Tensor read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            return read(source, (b, off, len) -> ch.read(ByteBuffer.wrap(b, off, len)), size);
        }
    }

    /**
     * Reads one float32 {@code .npy} array from a stream. The stream is read to its end (bytes after the
     * array are an error) and is not closed.
     *
     * @param sourceName names the stream in error messages, for example a file or entry name
     * @throws FormatException if the bytes are not a well-formed {@code .npy} array of the supported kind
     * @throws IOException     if the stream cannot be read
     */
    public static Tensor read(InputStream in, String sourceName) throws IOException {
        Objects.requireNonNull(in, "in");
        String source = sourceName == null ? "<stream>" : sourceName;
        return read(source, in::read, -1);
    }

    /** A source of bytes: like {@link InputStream#read(byte[], int, int)}, returning -1 at the end. */
    @FunctionalInterface
    private interface ByteReader {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** A parsed and validated header. */
    private record Header(Shape shape, int elements) {
    }

    /**
     * @param size the total number of bytes the source holds, or -1 if unknown (a stream)
     */
    private static Tensor read(String source, ByteReader reader, long size) throws IOException {
        // Magic and version.
        byte[] prefix = new byte[MAGIC_LEN];
        int got = readFully(reader, prefix, 0, MAGIC_LEN);
        checkMagic(source, prefix, got);
        int major = prefix[6] & 0xFF;
        int minor = prefix[7] & 0xFF;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new FormatException(source + ": unsupported .npy format version " + major + "." + minor
                    + "; supported versions are 1.0, 2.0 and 3.0");
        }

        // Header length: 2 bytes in version 1, 4 bytes in versions 2 and 3, little-endian.
        int lengthBytes = major == 1 ? 2 : 4;
        byte[] lengthField = new byte[lengthBytes];
        got = readFully(reader, lengthField, 0, lengthBytes);
        if (got < lengthBytes) {
            throw new FormatException(source + ": truncated: the data ends inside the " + lengthBytes
                    + "-byte header length field (version " + major + ".0)");
        }
        long headerLength = lengthBytes == 2
                ? (lengthField[0] & 0xFF) | (lengthField[1] & 0xFF) << 8
                : ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
        long dataOffset = MAGIC_LEN + lengthBytes + headerLength;
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new FormatException(source + ": header length " + headerLength + " exceeds the limit of "
                    + MAX_HEADER_LENGTH + " bytes");
        }
        if (size >= 0 && dataOffset > size) {
            throw new FormatException(source + ": header length " + headerLength
                    + " extends beyond the end of the file (" + size + " bytes; the header would end at byte "
                    + dataOffset + ")");
        }

        // Header text.
        byte[] headerBytes = new byte[(int) headerLength];
        got = readFully(reader, headerBytes, 0, headerBytes.length);
        if (got < headerBytes.length) {
            throw new FormatException(source + ": header length " + headerLength
                    + " extends beyond the end of the data (only " + got + " header bytes present)");
        }
        Header header = parseHeader(source, decodeHeader(source, headerBytes, major));

        // Data.
        long needBytes = 4L * header.elements();
        if (size >= 0) {
            long haveBytes = size - dataOffset;
            if (haveBytes < needBytes) {
                throw truncated(source, header, haveBytes);
            }
            if (haveBytes > needBytes) {
                throw new FormatException(source + ": " + (haveBytes - needBytes) + " trailing bytes after the "
                        + needBytes + " data bytes that shape " + header.shape() + " float32 needs");
            }
        }
        float[] data = readData(source, reader, header, size >= 0);
        if (size < 0) {
            byte[] one = new byte[1];
            if (readFully(reader, one, 0, 1) > 0) {
                throw new FormatException(source + ": trailing bytes after the " + needBytes
                        + " data bytes that shape " + header.shape() + " float32 needs");
            }
        }
        return new Tensor(header.shape(), data);
    }

    private static void checkMagic(String source, byte[] prefix, int got) throws FormatException {
        if (got == 0) {
            throw new FormatException(source + ": empty; not a .npy file (no magic string \\x93NUMPY)");
        }
        int compare = Math.min(got, MAGIC.length);
        if (!Arrays.equals(prefix, 0, compare, MAGIC, 0, compare)) {
            throw new FormatException(source + ": not a .npy file: bad magic bytes "
                    + HexFormat.ofDelimiter(" ").formatHex(prefix, 0, compare) + " (expected \\x93NUMPY, "
                    + HexFormat.ofDelimiter(" ").formatHex(MAGIC) + ")");
        }
        if (got < MAGIC_LEN) {
            throw new FormatException(source + ": truncated: only " + got + " bytes, too short for the "
                    + MAGIC_LEN + "-byte magic string and version of a .npy file");
        }
    }

    private static String decodeHeader(String source, byte[] bytes, int major) throws FormatException {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(source + ": version 3.0 header is not valid UTF-8", e);
        }
    }

    private static FormatException truncated(String source, Header header, long haveBytes) {
        return new FormatException(source + ": truncated: shape " + header.shape() + " float32 needs "
                + 4L * header.elements() + " data bytes but only " + haveBytes + " are present");
    }

    /**
     * Reads the data in bounded chunks. With {@code sizeKnown} the bytes were already checked to be there and
     * the array is allocated at once; otherwise it grows geometrically as data actually arrives, so a header
     * declaring a huge shape on a short stream fails without a huge allocation.
     */
    private static float[] readData(String source, ByteReader reader, Header header, boolean sizeKnown)
            throws IOException {
        int n = header.elements();
        float[] data = new float[sizeKnown ? n : Math.min(n, INITIAL_STREAM_FLOATS)];
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, 4L * n)];
        FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int filled = 0;
        while (filled < n) {
            if (filled == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(n, 2L * data.length));
            }
            int want = Math.min(data.length - filled, chunk.length / 4);
            int got = readFully(reader, chunk, 0, 4 * want);
            int whole = got / 4;
            floats.clear();
            floats.get(data, filled, whole);
            if (got < 4 * want) {
                throw truncated(source, header, 4L * filled + got);
            }
            filled += whole;
        }
        return data;
    }

    /** Reads until {@code len} bytes or the end; returns the number read. */
    private static int readFully(ByteReader reader, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = reader.read(b, off + total, len - total);
            if (r < 0) break;
            total += r;
        }
        return total;
    }

    // ---------------------------------------------------------------- header parsing

    private static Header parseHeader(String source, String text) throws FormatException {
        Object value = PythonLiteral.parse(source, text);
        if (!(value instanceof Map<?, ?> dict)) {
            throw new FormatException(source + ": header is not a dict: " + PythonLiteral.snippet(text));
        }
        Set<String> missing = new TreeSet<>(EXPECTED_KEYS);
        Set<String> unknown = new TreeSet<>();
        for (Object key : dict.keySet()) {
            if (key instanceof String s && EXPECTED_KEYS.contains(s)) {
                missing.remove(s);
            } else {
                unknown.add(PythonLiteral.repr(key));
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder(source)
                    .append(": header keys must be exactly 'descr', 'fortran_order' and 'shape'");
            if (!missing.isEmpty()) {
                sb.append("; missing key(s) ").append(quoteAll(missing));
            }
            if (!unknown.isEmpty()) {
                sb.append("; unknown key(s) ").append(String.join(", ", unknown));
            }
            throw new FormatException(sb.toString());
        }

        Object descr = dict.get("descr");
        if (!FLOAT32_LE.equals(descr)) {
            String hint = ">f4".equals(descr)
                    ? "; this is big-endian float32: convert with a.astype('<f4')"
                    : "; convert with np.asarray(a, dtype='<f4')";
            throw new FormatException(source + ": dtype " + PythonLiteral.truncate(PythonLiteral.repr(descr)) + " is not supported; expected '"
                    + FLOAT32_LE + "' (float32, little-endian)" + hint);
        }

        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean fortranOrder)) {
            throw new FormatException(source + ": 'fortran_order' must be True or False, got "
                    + PythonLiteral.truncate(PythonLiteral.repr(fortran)));
        }
        if (fortranOrder) {
            throw new FormatException(source
                    + ": Fortran order is not supported; save with np.ascontiguousarray(a)");
        }

        return checkShape(source, dict.get("shape"));
    }

    private static Header checkShape(String source, Object shape) throws FormatException {
        String shown = PythonLiteral.truncate(PythonLiteral.repr(shape));
        if (!(shape instanceof PythonLiteral.Tuple(List<Object> items))) {
            throw new FormatException(source + ": malformed shape " + shown
                    + ": expected a tuple of non-negative integers such as (1, 3, 224, 224)");
        }
        for (Object item : items) {
            if (!(item instanceof BigInteger d)) {
                throw new FormatException(source + ": malformed shape " + shown
                        + ": expected a tuple of non-negative integers, found " + PythonLiteral.truncate(PythonLiteral.repr(item)));
            }
            if (d.signum() < 0) {
                throw new FormatException(source + ": malformed shape " + shown + ": dimension " + d
                        + " is negative");
            }
        }
        if (items.isEmpty()) {
            throw new FormatException(source + ": 0-d (scalar) arrays with shape () are not supported;"
                    + " save with a.reshape(1)");
        }
        for (Object item : items) {
            if (((BigInteger) item).signum() == 0) {
                throw new FormatException(source + ": shape " + shown
                        + " has a zero-size dimension; empty arrays are not supported");
            }
        }
        long elements = 1;
        for (Object item : items) {
            BigInteger d = (BigInteger) item;
            try {
                if (d.bitLength() > 63) throw new ArithmeticException();
                elements = Math.multiplyExact(elements, d.longValue());
            } catch (ArithmeticException e) {
                throw new FormatException(source + ": element count of shape " + shown
                        + " overflows a 64-bit integer");
            }
        }
        if (elements > MAX_ELEMENTS) {
            throw new FormatException(source + ": shape " + shown + " has " + elements
                    + " elements; at most " + MAX_ELEMENTS + " fit in one float array");
        }
        int[] dims = new int[items.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ((BigInteger) items.get(i)).intValueExact(); // each dimension <= elements <= MAX_ELEMENTS
        }
        return new Header(Shape.of(dims), (int) elements);
    }

    private static String quoteAll(Set<String> keys) {
        List<String> quoted = new ArrayList<>();
        for (String k : keys) quoted.add("'" + k + "'");
        return String.join(", ", quoted);
    }

    // ---------------------------------------------------------------- writing

    /** Writes {@code t} to {@code file} (created or replaced) as a float32 {@code .npy} file. */
    public static void write(Path file, Tensor t) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(t, "t");
        byte[] header = header(t.shape());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            writeAll(ch, ByteBuffer.wrap(header));
            float[] data = t.data();
            ByteBuffer bytes = ByteBuffer.allocateDirect((int) Math.min(CHUNK_BYTES, 4L * data.length))
                    .order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer floats = bytes.asFloatBuffer();
            for (int off = 0; off < data.length; ) {
                int n = Math.min(data.length - off, floats.capacity());
                floats.clear();
                floats.put(data, off, n);
                bytes.clear().limit(4 * n);
                writeAll(ch, bytes);
                off += n;
            }
        }
    }

    /** Writes {@code t} to {@code out} as a float32 {@code .npy} array; flushes but does not close the stream. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(t, "t");
        out.write(header(t.shape()));
        float[] data = t.data();
        byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, 4L * data.length)];
        FloatBuffer floats = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        for (int off = 0; off < data.length; ) {
            int n = Math.min(data.length - off, floats.capacity());
            floats.clear();
            floats.put(data, off, n);
            out.write(chunk, 0, 4 * n);
            off += n;
        }
        out.flush();
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /**
     * The magic, version, header length and header exactly as numpy's {@code np.save} writes them for a
     * C-contiguous float32 array of this shape: the dict with keys in sorted order, spare spaces so the first
     * dimension could grow to 21 digits, then spaces and {@code '\n'} up to a multiple of 64 bytes
     * (a full 64 spaces when already aligned, as numpy does).
     */
    static byte[] header(Shape shape) {
        int[] dims = shape.dims();
        StringBuilder sb = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        if (dims.length == 1) sb.append(',');
        sb.append("), }");
        sb.repeat(' ', GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length());

        int hlen = sb.length() + 1; // + the final '\n'
        int major = 1;
        int lengthBytes = 2;
        int padlen = ARRAY_ALIGN - ((MAGIC_LEN + lengthBytes + hlen) % ARRAY_ALIGN);
        if (hlen + padlen > 0xFFFF) {
            major = 2;
            lengthBytes = 4;
            padlen = ARRAY_ALIGN - ((MAGIC_LEN + lengthBytes + hlen) % ARRAY_ALIGN);
        }
        sb.repeat(' ', padlen).append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);

        ByteBuffer buf = ByteBuffer.allocate(MAGIC_LEN + lengthBytes + text.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) major).put((byte) 0);
        if (lengthBytes == 2) {
            buf.putShort((short) text.length);
        } else {
            buf.putInt(text.length);
        }
        buf.put(text);
        return buf.array();
    }
}
