package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import googlenet.graph.GraphException;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.proto.OnnxProto.StringStringEntryProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Decodes an ONNX {@code TensorProto} of a model read from {@code source}: its {@code raw_data}, typed fields or
 * external data, which is read only from a regular file inside the model's {@code folder}.
 */
final class TensorDecoder {
    private final String source;
    /** The model's folder, or null when it was read from a stream or bytes (then external data is refused). */
    private final Path folder;

    TensorDecoder(String source, Path folder) {
        this.source = source;
        this.folder = folder;
    }

    /** {@link #decode}, its {@link FormatException} carried unchecked (see {@link UncheckedFormat}). */
    Const tensor(TensorProto t, String what) {
        try {
            return decode(t, what);
        } catch (IOException e) {
            throw new UncheckedFormat(e);
        }
    }

    /**
     * The tensor's data: FLOAT (kept a view of the model's bytes when in {@code raw_data}), FLOAT16 widened to float32,
     * INT64 and INT32 as longs; its dimensions checked against the data it holds before any array is made.
     */
    Const decode(TensorProto t, String what) throws IOException {
        if (t.hasSegment()) throw new GraphException(what + ": segmented tensors are not supported");
        long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        long count = 1;
        for (long d : dims) {
            if (d < 0) throw new GraphException(what + ": negative dimension in " + Arrays.toString(dims));
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw new GraphException(what + ": the element count of dimensions " + Arrays.toString(dims) + " overflows", e);
            }
        }
        if (count > Integer.MAX_VALUE - 8) throw new GraphException(what + ": " + count + " elements are too many for one array");
        int n = (int) count;
        int type = t.getDataType();
        long bytes = (long) n * elementBytes(type, what);
        ByteString raw = null;
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            raw = external(t, what, bytes);
        } else if (t.hasRawData()) {
            raw = t.getRawData();
        }
        // The data must be there before an array of the declared size is made.
        if (raw != null) checkBytes(what, raw, bytes);
        else checkCount(what, typedCount(t, type), n);
        switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> {
                if (raw != null && n > 0) {
                    return Const.littleEndianFloats(dims, java.lang.foreign.MemorySegment.ofBuffer(raw.asReadOnlyByteBuffer()));
                }
                float[] f = new float[n];
                if (raw == null) {
                    for (int j = 0; j < n; j++) f[j] = t.getFloatData(j);
                }
                return new Const(dims, f, null);
            }
            case TensorProto.DataType.FLOAT16_VALUE -> {
                float[] f = new float[n];
                if (raw != null) {
                    ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int j = 0; j < n; j++) f[j] = Float.float16ToFloat(bb.getShort());
                } else {
                    for (int j = 0; j < n; j++) f[j] = Float.float16ToFloat((short) t.getInt32Data(j));
                }
                return new Const(dims, f, null);
            }
            case TensorProto.DataType.INT64_VALUE -> {
                long[] l = new long[n];
                if (raw != null) {
                    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(l);
                } else {
                    for (int j = 0; j < n; j++) l[j] = t.getInt64Data(j);
                }
                return new Const(dims, null, l);
            }
            case TensorProto.DataType.INT32_VALUE -> {
                long[] l = new long[n];
                if (raw != null) {
                    ByteBuffer bb = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                    for (int j = 0; j < n; j++) l[j] = bb.getInt();
                } else {
                    for (int j = 0; j < n; j++) l[j] = t.getInt32Data(j);
                }
                return new Const(dims, null, l);
            }
            default -> throw new GraphException(what + " has data type " + dataTypeName(type)
                    + "; only FLOAT and FLOAT16 (widened) weights and INT64/INT32 shapes are supported");
        }
    }

    private static int typedCount(TensorProto t, int type) {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE -> t.getFloatDataCount();
            case TensorProto.DataType.INT64_VALUE -> t.getInt64DataCount();
            default -> t.getInt32DataCount(); // INT32 and FLOAT16 (as 16-bit patterns), the only others elementBytes accepts
        };
    }

    private static int elementBytes(int type, String what) {
        return switch (type) {
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE -> 4;
            case TensorProto.DataType.FLOAT16_VALUE -> 2;
            case TensorProto.DataType.INT64_VALUE -> 8;
            default -> throw new GraphException(what + " has data type " + dataTypeName(type)
                    + "; only FLOAT and FLOAT16 (widened) weights and INT64/INT32 shapes are supported");
        };
    }

    private static void checkBytes(String what, ByteString raw, long expected) {
        if (raw.size() != expected) throw new GraphException(what + ": raw_data holds " + raw.size() + " bytes, its shape needs " + expected);
    }

    private static void checkCount(String what, int have, int expected) {
        if (have != expected) throw new GraphException(what + ": holds " + have + " values, its shape needs " + expected
                + (have == 0 ? " (no data)" : ""));
    }

    /** Reads external data, only from a regular file inside the model's folder (no absolute paths, no "..", no symlink out). */
    private ByteString external(TensorProto t, String what, long expected) throws IOException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseLong(what, e.getKey(), e.getValue());
                case "length" -> length = parseLong(what, e.getKey(), e.getValue());
                case "checksum" -> { }
                default -> throw new FormatException(source + ": " + what + ": unknown external_data key '" + e.getKey() + "'");
            }
        }
        if (location == null || location.isEmpty()) throw new FormatException(source + ": " + what + ": external data without a location");
        if (folder == null) {
            throw new FormatException(source + ": " + what + " keeps its data in external file '" + location
                    + "'; load the model from its file (OnnxImporter.load(Path)) so that the file can be found next to it");
        }
        String escape = "external data location '" + location + "' of " + what + " is outside the model's folder";
        if (location.startsWith("/") || location.startsWith("\\") || location.contains(":") || location.indexOf('\0') >= 0) {
            throw new FormatException(source + ": " + escape + " (absolute paths are not allowed)");
        }
        for (String part : location.split("[/\\\\]")) {
            if (part.equals("..")) throw new FormatException(source + ": " + escape + " ('..' is not allowed)");
        }
        Path file;
        try {
            file = folder.resolve(location).normalize();
        } catch (InvalidPathException e) {
            throw new FormatException(source + ": " + what + ": bad external data location '" + location + "'", e);
        }
        if (!file.startsWith(folder)) throw new FormatException(source + ": " + escape);
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FormatException(source + ": " + what + ": external data file '" + location + "' does not exist", e);
        }
        if (!real.startsWith(folder.toRealPath())) throw new FormatException(source + ": " + escape + " (a symbolic link leads out of it)");
        if (!Files.isRegularFile(real)) throw new FormatException(source + ": " + what + ": external data '" + location + "' is not a regular file");
        if (expected > OnnxImporter.MAX_MODEL_BYTES) {
            throw new FormatException(source + ": " + what + ": " + expected + " bytes of external data are more than one array can hold");
        }
        if (length >= 0 && length != expected) {
            throw new FormatException(source + ": " + what + ": external data length " + length + " differs from the " + expected + " bytes its shape needs");
        }
        try (FileChannel ch = FileChannel.open(real, StandardOpenOption.READ)) {
            long size = ch.size();
            if (offset < 0 || offset > size || size - offset < expected) {
                throw new FormatException(source + ": " + what + ": external data at offset " + offset + " (" + expected
                        + " bytes) lies beyond the end of '" + location + "' (" + size + " bytes)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) expected);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) throw new FormatException(source + ": " + what + ": '" + location + "' ended early");
            }
            buf.flip();
            return ByteString.copyFrom(buf);
        }
    }

    private long parseLong(String what, String key, String value) throws FormatException {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new FormatException(source + ": " + what + ": external_data " + key + " '" + value + "' is not an integer", e);
        }
    }

    /** Carries a {@link FormatException} through code that cannot throw checked exceptions. */
    static final class UncheckedFormat extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UncheckedFormat(IOException cause) {
            super(cause);
        }
    }

    static String dataTypeName(int type) {
        TensorProto.DataType t = TensorProto.DataType.forNumber(type);
        return t == null ? "unknown (" + type + ")" : t.name();
    }
}
