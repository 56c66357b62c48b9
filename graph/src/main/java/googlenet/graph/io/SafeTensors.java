package googlenet.graph.io;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes weights in the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [64, 3, 7, 7], "data_offsets": [begin, end]}, …, "__metadata__": {…}}}),
 * then the data, each tensor's bytes little-endian in C order at {@code [begin, end)} relative to the data start.
 *
 * <p>Reading maps the file into memory ({@link FileChannel#map(FileChannel.MapMode, long, long, Arena)}) and validates it
 * as the reference implementation does: the header length lies within the file, the header is UTF-8 JSON (an object
 * of tensors and an optional {@code __metadata__} object of strings), every tensor's offsets are in order with
 * {@code begin ≤ end}, the tensors are contiguous (no gap, no overlap) and cover the data exactly to the end of the file,
 * and each byte length is the product of its shape × its dtype size (checked for overflow before anything is
 * allocated). Dtypes: F32, F16 and BF16 (both widened to float32); I64 only for BatchNorm's {@code num_batches_tracked}
 * counters, which are skipped. Every malformed file fails with a {@link FormatException} whose message starts with the
 * file name.
 *
 * <p>Names are PyTorch state_dict keys, so that {@code Graph.withWeights} maps them onto a builtin graph's nodes.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header (100 MB). */
    static final long MAX_HEADER_LENGTH = 100_000_000L;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final String METADATA = "__metadata__";
    private static final String IGNORED_SUFFIX = "num_batches_tracked";
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private SafeTensors() {
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    /**
     * Reads every tensor of a safetensors file, F16/BF16 widened to float32, {@code num_batches_tracked} skipped.
     *
     * @throws FormatException if the file is malformed or holds a dtype other than F32, F16, BF16 (or I64 counters)
     */
    public static Weights read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) throw new java.nio.file.FileSystemException(file.toString(), null, "a folder, not a safetensors file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            return read(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena), file.toString());
        }
    }

    /**
     * Reads every tensor of a safetensors file held in memory (a mapped file, or bytes wrapped with
     * {@link MemorySegment#ofArray(byte[])}); {@code source} names it in error messages. The tensors are copied out,
     * so the segment may be freed afterwards.
     *
     * @throws FormatException if the bytes are malformed or hold a dtype other than F32, F16, BF16 (or I64 counters)
     */
    public static Weights read(MemorySegment all, String source) throws FormatException {
        Objects.requireNonNull(all, "all");
        Objects.requireNonNull(source, "source");
        long size = all.byteSize();
        if (size < 8) throw new FormatException(source + ": " + size + " bytes, too short for the 8-byte header length of a safetensors file");
        long n = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 0 || n > MAX_HEADER_LENGTH) {
            throw new FormatException(source + ": header length " + Long.toUnsignedString(n) + " exceeds the limit of " + MAX_HEADER_LENGTH + " bytes");
        }
        if (n > size - 8) {
            throw new FormatException(source + ": header length " + n + " extends beyond the end of the file (" + size + " bytes)");
        }
        byte[] headerBytes = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new FormatException(source + ": the header is not valid UTF-8", e);
        }
        if (!header.startsWith("{")) throw new FormatException(source + ": the header does not start with '{' (not a safetensors file?)");
        long dataStart = 8 + n;
        List<Entry> entries = entries(source, JsonParser.parse(source, header), size - dataStart);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.dtype().equals("I64")) continue; // num_batches_tracked, checked in entries()
            int count = (int) elements(e.shape());
            float[] data = new float[count];
            long at = dataStart + e.begin();
            switch (e.dtype()) {
                case "F32" -> MemorySegment.copy(all, F32_LE, at, data, 0, count);
                case "F16" -> {
                    for (int i = 0; i < count; i++) {
                        data[i] = Float.float16ToFloat(all.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), at + 2L * i));
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < count; i++) {
                        short bits = all.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), at + 2L * i);
                        data[i] = Float.intBitsToFloat((bits & 0xFFFF) << 16);
                    }
                }
                default -> throw new AssertionError(e.dtype());
            }
            tensors.put(e.name(), new Tensor(Shape.of(e.shape()), data));
        }
        return Weights.of(tensors);
    }

    private static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The header's tensors in file order, validated; {@code dataLength} is the number of bytes after the header. */
    private static List<Entry> entries(String source, Object json, long dataLength) throws FormatException {
        if (!(json instanceof Map<?, ?> root)) throw new FormatException(source + ": the header is not a JSON object");
        List<Entry> entries = new ArrayList<>();
        for (var kv : root.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals(METADATA)) {
                if (!(kv.getValue() instanceof Map<?, ?> meta)) throw new FormatException(source + ": __metadata__ is not an object");
                for (var m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new FormatException(source + ": __metadata__ entry '" + m.getKey() + "' is not a string");
                    }
                }
                continue;
            }
            String what = source + ": tensor '" + name + "'";
            if (!(kv.getValue() instanceof Map<?, ?> info)) throw new FormatException(what + " is not an object");
            for (Object key : info.keySet()) {
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw new FormatException(what + ": unknown field '" + key + "'");
                }
            }
            if (!(info.get("dtype") instanceof String dtype)) throw new FormatException(what + ": no dtype string");
            if (!(info.get("shape") instanceof List<?> shapeList)) throw new FormatException(what + ": no shape array");
            if (!(info.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
                throw new FormatException(what + ": data_offsets must be an array [begin, end]");
            }
            int elementSize = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                case "I64" -> {
                    if (!name.endsWith(IGNORED_SUFFIX)) {
                        throw new FormatException(what + ": dtype I64 is allowed only for '*." + IGNORED_SUFFIX + "' counters (ignored)");
                    }
                    yield 8;
                }
                default -> throw new FormatException(what + ": dtype " + dtype + " is not supported; expected F32, F16 or BF16");
            };
            BigInteger bytes = BigInteger.valueOf(elementSize);
            int[] shape = new int[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                BigInteger d = integer(what, "shape", shapeList.get(i));
                if (d.bitLength() > 31) throw new FormatException(what + ": dimension " + d + " is too large");
                shape[i] = d.intValueExact();
                bytes = bytes.multiply(d);
            }
            long begin = integer(what, "data_offsets", offsets.get(0)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            long end = integer(what, "data_offsets", offsets.get(1)).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            if (begin > end) throw new FormatException(what + ": data_offsets [" + begin + ", " + end + "] end before they begin");
            if (end > dataLength) {
                throw new FormatException(what + ": data_offsets [" + begin + ", " + end + "] lie beyond the " + dataLength + " data bytes of the file");
            }
            if (!bytes.equals(BigInteger.valueOf(end - begin))) {
                throw new FormatException(what + ": shape " + java.util.Arrays.toString(shape) + " × " + elementSize + "-byte " + dtype
                        + " needs " + bytes + " bytes, data_offsets give " + (end - begin));
            }
            if (!dtype.equals("I64")) {
                if (shape.length == 0) throw new FormatException(what + ": scalars (shape []) are not supported as weights");
                for (int d : shape) if (d == 0) throw new FormatException(what + ": empty tensors (a dimension 0) are not supported as weights");
                if (elements(shape) > MAX_ELEMENTS) throw new FormatException(what + ": too many elements for one float array");
            }
            entries.add(new Entry(name, dtype, shape, begin, end));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        for (Entry e : byOffset) {
            if (e.begin() != expected) {
                throw new FormatException(source + ": tensor '" + e.name() + "' starts at data offset " + e.begin() + ", expected " + expected
                        + (e.begin() > expected ? " (a gap between tensors)" : " (tensors overlap)"));
            }
            expected = e.end();
        }
        if (expected != dataLength) {
            throw new FormatException(source + ": the tensors cover " + expected + " data bytes but the file holds " + dataLength
                    + (expected < dataLength ? " (trailing bytes)" : ""));
        }
        return entries;
    }

    private static BigInteger integer(String what, String field, Object v) throws FormatException {
        if (!(v instanceof BigInteger i) || i.signum() < 0) throw new FormatException(what + ": " + field + " must hold non-negative integers, got " + v);
        return i;
    }

    /** Writes the weights as F32 tensors in map order, the header padded with spaces to a multiple of 8 bytes. */
    public static void write(Path file, Weights weights) throws IOException {
        Objects.requireNonNull(file, "file");
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        boolean first = true;
        for (var e : weights.asMap().entrySet()) {
            if (!first) json.append(',');
            first = false;
            long bytes = 4L * e.getValue().data().length;
            json.append(quote(e.getKey())).append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] dims = e.getValue().shape().dims();
            for (int i = 0; i < dims.length; i++) json.append(i == 0 ? "" : ",").append(dims[i]);
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        json.append('}');
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(header);
            for (int i = header.length; i < padded; i++) out.write(' ');
            for (Tensor t : weights.asMap().values()) {
                ByteBuffer b = ByteBuffer.allocate(t.data().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.data());
                out.write(b.array());
            }
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
