package googlenet.graph.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------ helpers

    private static Tensor random(int... dims) {
        Shape shape = Shape.of(dims);
        float[] data = new float[(int) shape.elements()];
        SplittableRandom rnd = new SplittableRandom(Arrays.hashCode(dims));
        for (int i = 0; i < data.length; i++) data[i] = (float) rnd.nextDouble(-10, 10);
        if (data.length > 3) {
            data[0] = Float.NaN;
            data[1] = Float.NEGATIVE_INFINITY;
            data[2] = -0.0f;
            data[3] = Float.MIN_VALUE;
        }
        return new Tensor(shape, data);
    }

    private static byte[] toBytes(Tensor t) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, t);
        return out.toByteArray();
    }

    private static void assertSame(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape());
        assertEquals(expected.data().length, actual.data().length);
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(Float.floatToRawIntBits(expected.data()[i]), Float.floatToRawIntBits(actual.data()[i]),
                    "element " + i);
        }
    }

    private static byte[] floatsLe(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return b.array();
    }

    /** A file with the given version and header text exactly as given (no padding added), then data. */
    private static byte[] npy(int major, int minor, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(8 + lengthBytes + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, (byte) minor});
        if (lengthBytes == 2) b.putShort((short) h.length);
        else b.putInt(h.length);
        return b.put(h).put(data).array();
    }

    /** Version 1.0 file with the header padded numpy-style to a multiple of 64. */
    private static byte[] npy1(String dict, byte[] data) {
        int hlen = dict.length() + 1;
        int pad = 64 - ((10 + hlen) % 64);
        return npy(1, 0, dict + " ".repeat(pad) + "\n", data);
    }

    private static final String DICT_2x3 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";

    private static FormatException readFails(byte[] bytes) {
        return assertThrows(FormatException.class, () -> Npy.read(new ByteArrayInputStream(bytes), "x.npy"));
    }

    private FormatException readFileFails(byte[] bytes) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, bytes);
        return assertThrows(FormatException.class, () -> Npy.read(file));
    }

    /** Asserts both the stream and the file reader reject the bytes, naming the source and all key words. */
    private void assertRejected(byte[] bytes, String... keywords) throws IOException {
        FormatException streamError = readFails(bytes);
        assertTrue(streamError.getMessage().startsWith("x.npy: "), streamError.getMessage());
        FormatException fileError = readFileFails(bytes);
        String file = dir.resolve("bad.npy").toString();
        assertTrue(fileError.getMessage().startsWith(file + ": "), fileError.getMessage());
        for (String message : new String[] {streamError.getMessage(), fileError.getMessage()}) {
            for (String k : keywords) {
                assertTrue(message.toLowerCase(Locale.ROOT).contains(k.toLowerCase(Locale.ROOT)),
                        "'" + k + "' missing from: " + message);
            }
        }
    }

    // ------------------------------------------------------------ exact numpy bytes

    /** What np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) writes: 128 bytes of header, then data. */
    private static byte[] numpyArange6() {
        String header = DICT_2x3 + " ".repeat(118 - 1 - DICT_2x3.length()) + "\n";
        assertEquals(118, header.length());
        byte[] prefix = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0};
        byte[] data = HexFormat.of().parseHex(
                "00000000" + "0000803f" + "00000040" + "00004040" + "00008040" + "0000a040");
        ByteBuffer b = ByteBuffer.allocate(128 + 24);
        b.put(prefix).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return b.array();
    }

    @Test
    void readsWhatNumpyWrites() throws IOException {
        Tensor t = Npy.read(new ByteArrayInputStream(numpyArange6()), "arange.npy");
        assertEquals(Shape.of(2, 3), t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());

        Path file = dir.resolve("arange.npy");
        Files.write(file, numpyArange6());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Npy.read(file).data());
    }

    @Test
    void writesWhatNumpyWrites() throws IOException {
        Tensor t = new Tensor(Shape.of(2, 3), new float[] {0, 1, 2, 3, 4, 5});
        assertArrayEquals(numpyArange6(), toBytes(t));
        Path file = dir.resolve("out.npy");
        Npy.write(file, t);
        assertArrayEquals(numpyArange6(), Files.readAllBytes(file));
    }

    @Test
    void writesOneTuplesLikePython() throws IOException {
        byte[] bytes = toBytes(new Tensor(Shape.of(5), new float[5]));
        String header = new String(bytes, 10, 118, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"), header);
        assertEquals(128 + 20, bytes.length);
    }

    /** A 1x3x224x224 input: numpy's layout, checked field by field. */
    @Test
    void writesImageHeader() throws IOException {
        byte[] bytes = toBytes(Tensor.zeros(Shape.of(1, 3, 224, 224)));
        assertEquals(128 + 4 * 3 * 224 * 224, bytes.length);
        assertEquals(118, (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8);
        String header = new String(bytes, 10, 118, StandardCharsets.US_ASCII);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }";
        assertEquals(dict + " ".repeat(118 - 1 - dict.length()) + "\n", header);
    }

    // ------------------------------------------------------------ round trips

    @ParameterizedTest
    @ValueSource(strings = {"1", "7", "2,3", "3,1", "4,5,6", "1,3,8,8", "2,3,4,5", "1,1024", "1,3,224,224",
            "1000000"})
    void roundTripsThroughStreamAndFile(String dims) throws IOException {
        Tensor t = random(Shape.parse(dims).dims());
        byte[] bytes = toBytes(t);
        assertEquals(0, (bytes.length - 4 * t.data().length) % 64, "data starts 64-byte aligned");
        assertSame(t, Npy.read(new ByteArrayInputStream(bytes), "mem"));

        Path file = dir.resolve("t.npy");
        Npy.write(file, t);
        assertArrayEquals(bytes, Files.readAllBytes(file));
        assertSame(t, Npy.read(file));
    }

    @Test
    void overwritesAnExistingLongerFile() throws IOException {
        Path file = dir.resolve("t.npy");
        Npy.write(file, random(100, 100));
        Tensor small = random(2, 2);
        Npy.write(file, small);
        assertSame(small, Npy.read(file));
    }

    /** Reading a stream that delivers a few bytes at a time. */
    @Test
    void readsTricklingStream() throws IOException {
        Tensor t = random(3, 50, 7);
        byte[] bytes = toBytes(t);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        assertSame(t, Npy.read(trickle, "trickle"));
    }

    /**
     * numpy pads with (64 - (10 + hlen) % 64) spaces, so a header that would end exactly on a 64-byte boundary
     * gets a full 64 extra spaces. Try shapes whose unpadded header ends just before, on and just after the
     * boundary, and check the exact layout.
     */
    @Test
    void headersNearThe64ByteBoundary() throws IOException {
        boolean[] seen = new boolean[3]; // remainders 63, 0, 1 of (10 + dict + '\n') mod 64
        for (int rank = 1; rank <= 24; rank++) {
            for (int tens = 0; tens <= Math.min(rank - 1, 3); tens++) {
                int[] dims = new int[rank];
                Arrays.fill(dims, 1);
                for (int i = 0; i < tens; i++) dims[rank - 1 - i] = 10;
                Shape shape = Shape.of(dims);
                String tuple = shape.toString();
                if (rank == 1) tuple = "(" + dims[0] + ",)";
                String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }"
                        + " ".repeat(21 - Integer.toString(dims[0]).length());
                int unpadded = 10 + dict.length() + 1;
                int expectedPad = 64 - unpadded % 64;

                Tensor t = random(dims);
                byte[] bytes = toBytes(t);
                int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
                String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
                assertEquals(dict + " ".repeat(expectedPad) + "\n", header, shape.toString());
                assertEquals(0, (10 + headerLength) % 64);
                assertSame(t, Npy.read(new ByteArrayInputStream(bytes), "mem"));

                switch (unpadded % 64) {
                    case 63 -> seen[0] = true;
                    case 0 -> {
                        seen[1] = true;
                        assertEquals(64, expectedPad, "aligned headers gain a full 64 spaces");
                    }
                    case 1 -> seen[2] = true;
                    default -> { }
                }
            }
        }
        assertTrue(seen[0] && seen[1] && seen[2], "boundary cases covered: " + Arrays.toString(seen));
    }

    /** A shape with thousands of unit dimensions does not fit a 65535-byte header: numpy switches to 2.0. */
    @Test
    void writesVersion2WhenTheHeaderIsTooLongForVersion1() throws IOException {
        int[] dims = new int[25_000];
        Arrays.fill(dims, 1);
        dims[0] = 3;
        Tensor t = new Tensor(Shape.of(dims), new float[] {1.5f, -2, 3});
        byte[] bytes = toBytes(t);
        assertEquals(2, bytes[6]);
        assertEquals(0, bytes[7]);
        int headerLength = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(headerLength > 65535);
        assertEquals(0, (12 + headerLength) % 64);
        assertEquals('\n', bytes[12 + headerLength - 1]);
        assertEquals(12 + headerLength + 12, bytes.length);
        assertSame(t, Npy.read(new ByteArrayInputStream(bytes), "v2"));
        Path file = dir.resolve("v2.npy");
        Npy.write(file, t);
        assertSame(t, Npy.read(file));
    }

    // ------------------------------------------------------------ header variants numpy accepts

    @Test
    void readsVersion2And3Headers() throws IOException {
        byte[] data = floatsLe(0, 1, 2, 3, 4, 5);
        String header = DICT_2x3 + " ".repeat(52) + "\n";
        Tensor v2 = Npy.read(new ByteArrayInputStream(npy(2, 0, header, data)), "v2.npy");
        assertEquals(Shape.of(2, 3), v2.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, v2.data());

        // Version 3.0: same layout, header decoded as UTF-8.
        Tensor v3 = Npy.read(new ByteArrayInputStream(npy(3, 0, header, data)), "v3.npy");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, v3.data());

        Path file = dir.resolve("v2.npy");
        Files.write(file, npy(2, 0, header, data));
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, Npy.read(file).data());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}",
        "{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<f4\"}",
        "  {  'fortran_order' :False ,'shape':( 2 , 3 , ),'descr':'<f4' , }  ",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
        "{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2, 3)}\n",
    })
    void readsHeaderVariants(String dict) throws IOException {
        byte[] bytes = npy1(dict, floatsLe(0, 1, 2, 3, 4, 5));
        Tensor t = Npy.read(new ByteArrayInputStream(bytes), "v.npy");
        assertEquals(Shape.of(2, 3), t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    }

    @Test
    void readsHeaderWithoutPaddingOrNewline() throws IOException {
        Tensor t = Npy.read(new ByteArrayInputStream(npy(1, 0, DICT_2x3, floatsLe(0, 1, 2, 3, 4, 5))), "raw");
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());
    }

    // ------------------------------------------------------------ errors

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
        assertRejected(png, "not a .npy file", "magic");
        assertRejected("hello world, this is text".getBytes(StandardCharsets.US_ASCII), "magic");
    }

    @Test
    void rejectsEmptyAndTooShort() throws IOException {
        assertRejected(new byte[0], "empty");
        assertRejected(new byte[] {(byte) 0x93, 'N', 'U', 'M'}, "truncated");
        assertRejected(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118}, "truncated", "header length");
    }

    @Test
    void rejectsUnsupportedVersions() throws IOException {
        byte[] data = floatsLe(0, 1, 2, 3, 4, 5);
        assertRejected(npy(4, 0, DICT_2x3 + "\n", data), "unsupported", "version 4.0");
        assertRejected(npy(1, 1, DICT_2x3 + "\n", data), "unsupported", "version 1.1");
        assertRejected(npy(0, 0, DICT_2x3 + "\n", data), "unsupported", "version 0.0");
    }

    @Test
    void rejectsHeaderLengthBeyondTheData() throws IOException {
        byte[] bytes = npy1(DICT_2x3, floatsLe(0, 1, 2, 3, 4, 5));
        bytes[8] = (byte) 0xF0; // header length 0x00F0 + ... now far more than the 152 bytes present
        bytes[9] = 0x10;
        assertRejected(bytes, "header length", "beyond the end");
    }

    @Test
    void rejectsHugeHeaderLength() throws IOException {
        byte[] bytes = npy(2, 0, DICT_2x3 + "\n", floatsLe(0, 1, 2, 3, 4, 5));
        ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7FFF_FFF0);
        assertRejected(bytes, "header length 2147483632", "limit");
        ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
        assertRejected(bytes, "header length 4294967295", "limit");
    }

    @Test
    void rejectsHeadersThatAreNotDicts() throws IOException {
        byte[] data = floatsLe(0, 1, 2, 3, 4, 5);
        assertRejected(npy1("[1, 2, 3]", data), "header is not a dict");
        assertRejected(npy1("'descr'", data), "header is not a dict");
        assertRejected(npy(1, 0, "", data), "header is empty");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", data),
                "not a valid python dict literal");
        assertRejected(npy1("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", data),
                "not a valid python dict literal", "expected ','");
        assertRejected(npy1("{'descr': '<f4, 'fortran_order': False, 'shape': (2, 3)}", data),
                "not a valid python dict literal");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}", data),
                "not a valid python dict literal", "unknown name 'false'");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} x", data),
                "not a valid python dict literal", "unexpected text");
        assertRejected(npy1("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)}", data),
                "duplicate key 'descr'");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(10_000)
                + ")".repeat(10_000) + "}", data), "nested");
    }

    @Test
    void rejectsMissingAndUnknownKeys() throws IOException {
        byte[] data = floatsLe(0, 1, 2, 3, 4, 5);
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False}", data), "missing", "'shape'");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), 'extra': 1}", data),
                "unknown", "'extra'");
        assertRejected(npy1("{'descr': '<f4', 'fortran': False, 'shape': (2, 3)}", data),
                "missing", "'fortran_order'", "unknown", "'fortran'");
        assertRejected(npy1("{}", data), "missing", "'descr', 'fortran_order', 'shape'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<f8", ">f4", "<i8", "|u1", "<f2", "|b1", "=f4", "f4", "<i4"})
    void rejectsOtherDtypes(String descr) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3), }";
        assertRejected(npy1(dict, new byte[48]), "dtype '" + descr + "' is not supported", "'<f4'", "float32");
    }

    @Test
    void rejectsStructuredDtype() throws IOException {
        String dict = "{'descr': [('x', '<f4'), ('y', '<f4')], 'fortran_order': False, 'shape': (3,), }";
        assertRejected(npy1(dict, new byte[24]), "dtype [('x', '<f4'), ('y', '<f4')] is not supported", "'<f4'");
    }

    @Test
    void bigEndianMessageSaysHowToConvert() {
        String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }";
        FormatException e = readFails(npy1(dict, new byte[24]));
        assertTrue(e.getMessage().contains("big-endian") && e.getMessage().contains("astype('<f4')"),
                e.getMessage());
    }

    @Test
    void rejectsFortranOrder() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
        assertRejected(npy1(dict, floatsLe(0, 1, 2, 3, 4, 5)), "Fortran order is not supported",
                "np.ascontiguousarray");
        String bad = "{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }";
        assertRejected(npy1(bad, floatsLe(0, 1, 2, 3, 4, 5)), "'fortran_order' must be True or False");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2, 3]", "(6)", "'2,3'", "(2, -3)", "(2, 3.0)", "(2, 'x')", "None", "((2, 3),)",
            "(True, 6)"})
    void rejectsMalformedShapes(String shape) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        FormatException e = readFails(npy1(dict, floatsLe(0, 1, 2, 3, 4, 5)));
        String m = e.getMessage();
        assertTrue(m.startsWith("x.npy: "), m);
        assertTrue(m.contains("malformed shape") || m.contains("not a valid Python dict literal"), m);
    }

    @Test
    void rejectsScalarsAndEmptyArrays() throws IOException {
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", floatsLe(1)),
                "0-d", "shape ()", "not supported");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (0,), }", new byte[0]),
                "zero-size dimension", "(0,)");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 0, 3), }", new byte[0]),
                "zero-size dimension", "(2, 0, 3)");
    }

    @Test
    void rejectsOverflowingAndOversizedShapes() throws IOException {
        byte[] data = floatsLe(0, 1, 2, 3, 4, 5);
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (10000000000, 10000000000), }",
                data), "element count", "overflows");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (123456789012345678901234567890,), }",
                data), "element count", "overflows");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483640,), }", data),
                "2147483640 elements", "at most 2147483639");
        assertRejected(npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", data),
                "1000000000000 elements", "at most");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] full = npy1(DICT_2x3, floatsLe(0, 1, 2, 3, 4, 5));
        assertRejected(Arrays.copyOf(full, full.length - 4), "truncated", "needs 24 data bytes", "only 20");
        assertRejected(Arrays.copyOf(full, full.length - 1), "truncated", "needs 24 data bytes", "only 23");
        assertRejected(Arrays.copyOf(full, 128), "truncated", "needs 24 data bytes", "only 0");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        byte[] full = npy1(DICT_2x3, floatsLe(0, 1, 2, 3, 4, 5, 6));
        assertRejected(full, "trailing bytes", "24 data bytes");
        FormatException e = readFileFails(full);
        assertTrue(e.getMessage().contains(": 4 trailing bytes"), e.getMessage());
        assertRejected(Arrays.copyOf(full, full.length - 3), "trailing bytes");
    }

    @Test
    void rejectsInvalidUtf8InVersion3Header() throws IOException {
        byte[] bytes = npy(3, 0, DICT_2x3 + "\n", floatsLe(0, 1, 2, 3, 4, 5));
        bytes[12 + 3] = (byte) 0xC3; // inside 'descr'
        bytes[12 + 4] = (byte) 0x28;
        assertRejected(bytes, "not valid UTF-8");
    }

    /** A header declaring ~8 GB of floats on a tiny stream must fail with a FormatException, fast, without OOM. */
    @Test
    void hugeShapeOnShortStreamFailsFast() {
        byte[] bytes = npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000,), }",
                floatsLe(1, 2, 3));
        FormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> readFails(bytes));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("needs 8000000000 data bytes")
                && e.getMessage().contains("only 12"), e.getMessage());

        // An endless-looking source that stops after a few MB: still no allocation of the declared size.
        byte[] bigger = npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (40, 50000000), }",
                new byte[3_000_001]);
        FormatException e2 = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readFails(bigger));
        assertTrue(e2.getMessage().contains("only 3000001"), e2.getMessage());
    }

    @Test
    void hugeShapeInSmallFileFailsBeforeAllocating() throws IOException {
        byte[] bytes = npy1("{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000,), }",
                floatsLe(1, 2, 3));
        FormatException e = readFileFails(bytes);
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("only 12"), e.getMessage());
    }

    @Test
    void streamReaderDoesNotCloseTheStream() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(numpyArange6()) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Npy.read(in, "s");
        assertEquals(false, closed[0]);
    }

    @Test
    void missingFileIsAnIOExceptionButNotAFormatException() {
        IOException e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("nope.npy")));
        assertTrue(!(e instanceof FormatException), e.toString());
    }
}
