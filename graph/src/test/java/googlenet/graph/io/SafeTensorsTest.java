package googlenet.graph.io;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.models.Builtins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** Writes 8-byte length + header + data as given, no checks: the way to make malformed files. */
    private Path raw(String name, String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
        out.write(h);
        out.write(data);
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    private static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    private FormatException fails(String header, byte[] data) throws Exception {
        Path p = raw("bad.safetensors", header, data);
        FormatException e = assertThrows(FormatException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().startsWith(p.toString() + ": "), e.getMessage());
        return e;
    }

    @Test
    void writesAndReadsBack() throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a.weight", new Tensor(Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, -6.5f}));
        m.put("a.bias", new Tensor(Shape.of(2), new float[] {0.25f, Float.MIN_VALUE}));
        Path p = dir.resolve("w.safetensors");
        SafeTensors.write(p, Weights.of(m));
        assertEquals(0, (Files.size(p) - 8 - 32) % 8, "header padded to 8 bytes");
        Weights w = SafeTensors.read(p);
        assertEquals(List.of("a.weight", "a.bias"), List.copyOf(w.keys()));
        assertArrayEquals(m.get("a.weight").data(), w.get("a.weight").data());
        assertEquals(Shape.of(2, 3), w.get("a.weight").shape());
        assertArrayEquals(m.get("a.bias").data(), w.get("a.bias").data());
    }

    @Test
    void widensF16AndBf16SkipsCountersAndAllowsMetadata() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(2 * 3 + 2 * 2 + 8 + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f)).putShort(Float.floatToFloat16(65504f));
        b.putShort((short) (Float.floatToIntBits(3.0f) >>> 16)).putShort((short) (Float.floatToIntBits(-0.5f) >>> 16));
        b.putLong(12345);
        b.putFloat(7f);
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[2,1],\"data_offsets\":[6,10]},"
                + "\"bn.num_batches_tracked\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[10,18]},"
                + "\"s\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18,22]}}  ";
        Weights w = SafeTensors.read(raw("ok.safetensors", header, b.array()));
        assertEquals(List.of("h", "bf", "s"), List.copyOf(w.keys()));
        assertArrayEquals(new float[] {1.5f, -2f, 65504f}, w.get("h").data());
        assertArrayEquals(new float[] {3f, -0.5f}, w.get("bf").data());
        assertEquals(Shape.of(2, 1), w.get("bf").shape());
        assertArrayEquals(new float[] {7f}, w.get("s").data());
    }

    @Test
    void tensorsMayBeListedInAnyOrder() throws Exception {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        Weights w = SafeTensors.read(raw("order.safetensors", header, f32(1, 2)));
        assertArrayEquals(new float[] {2}, w.get("b").data());
        assertArrayEquals(new float[] {1}, w.get("a").data());
    }

    @Test
    void rejectsEveryMalformedFile() throws Exception {
        String one = "\"dtype\":\"F32\",\"shape\":[2]";
        byte[] two = f32(1, 2);
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]}}", f32(1, 2, 3)).getMessage().contains("trailing"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]}}", f32(1)).getMessage().contains("beyond"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,4]}}", f32(1)).getMessage().contains("needs 8 bytes"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[8,0]}}", two).getMessage().contains("end before"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", two).getMessage().contains("gap"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                two).getMessage().contains("overlap"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", two).getMessage().contains("F64"));
        assertTrue(fails("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", two).getMessage().contains("num_batches_tracked"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", two)
                .getMessage().contains("needs"), "overflowing shapes fail before allocating");
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", two).getMessage().contains("non-negative"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", two).getMessage().contains("integers"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0]}}", two).getMessage().contains("data_offsets"));
        assertTrue(fails("{\"a\":{" + one + "}}", two).getMessage().contains("data_offsets"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8],\"x\":1}}", two).getMessage().contains("unknown field"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]},\"a\":{" + one + ",\"data_offsets\":[0,8]}}", two)
                .getMessage().contains("duplicate"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]}", two).getMessage().contains("JSON"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,8]}} x", two).getMessage().contains("after the JSON"));
        assertTrue(fails("[1]", new byte[0]).getMessage().contains("'{'"));
        assertTrue(fails("{\"__metadata__\":{\"k\":1}}", new byte[0]).getMessage().contains("__metadata__"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}", f32(1)).getMessage().contains("scalar"));
        assertTrue(fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", new byte[0]).getMessage().contains("empty"));
        assertTrue(fails("{\"a\":\"\u0001\"}", new byte[0]).getMessage().contains("control character"));
        assertTrue(fails("{\"a\":{" + one + ",\"data_offsets\":[0,1.5E99999999999]}}", two).getMessage().contains("number out of range"),
                "an exponent beyond BigDecimal's range (found by the fuzzer)");
    }

    @Test
    void rejectsBadHeaderLengthsAndEncodings() throws Exception {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(assertThrows(FormatException.class, () -> SafeTensors.read(tiny)).getMessage().contains("too short"));

        Path beyond = dir.resolve("beyond.safetensors");
        Files.write(beyond, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(5).putInt(0x7b7b7b7b).array());
        assertTrue(assertThrows(FormatException.class, () -> SafeTensors.read(beyond)).getMessage().contains("beyond the end"));

        Path huge = dir.resolve("huge.safetensors");
        Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).putLong(0).array());
        assertTrue(assertThrows(FormatException.class, () -> SafeTensors.read(huge)).getMessage().contains("exceeds the limit"));

        Path latin = dir.resolve("latin.safetensors");
        byte[] bad = {'{', '"', (byte) 0xE9, '"', ':', '1', '}'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bad.length).array());
        out.write(bad);
        Files.write(latin, out.toByteArray());
        assertTrue(assertThrows(FormatException.class, () -> SafeTensors.read(latin)).getMessage().contains("UTF-8"));
    }

    /** Every prefix of a valid file and random byte changes in its header: a FormatException naming the source, or a clean read. */
    @Test
    void truncatedAndGarbledBytesFailCleanly() throws Exception {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("conv.weight", new Tensor(Shape.of(2, 1, 3, 3), new float[18]));
        m.put("conv.bias", new Tensor(Shape.of(2), new float[] {1, 2}));
        Path p = dir.resolve("ok.safetensors");
        SafeTensors.write(p, Weights.of(m));
        byte[] good = Files.readAllBytes(p);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] prefix = java.util.Arrays.copyOf(good, cut);
            FormatException e = assertThrows(FormatException.class, () -> SafeTensors.read(MemorySegment.ofArray(prefix), "cut.safetensors"),
                    "cut at " + cut);
            assertTrue(e.getMessage().startsWith("cut.safetensors: "), e.getMessage());
        }
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        int headerEnd = 8 + (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int i = 0; i < 500; i++) {
            byte[] bad = good.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) bad[r.nextInt(headerEnd)] = (byte) r.nextInt(256);
            try {
                SafeTensors.read(MemorySegment.ofArray(bad), "garbled.safetensors");
            } catch (FormatException e) {
                assertTrue(e.getMessage().startsWith("garbled.safetensors: "), e.getMessage());
            }
        }
    }

    @Test
    void readsFromMemoryAsFromAFile() throws Exception {
        Path p = raw("mem.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", f32(3, -4));
        Weights w = SafeTensors.read(MemorySegment.ofArray(Files.readAllBytes(p)), "mem");
        assertArrayEquals(new float[] {3, -4}, w.get("a").data());
    }

    /** A builtin's state_dict written as safetensors (with torchvision's I64 counters) loads onto the graph by name. */
    @Test
    void mapsOntoBuiltinsByStateDictNames() throws Exception {
        for (String name : List.of("d2l", "torchvision")) {
            Graph g = SeededWeights.apply(Builtins.build(name, Shape.of(1, 3, 224, 224), 10), 3);
            Path p = dir.resolve(name + ".safetensors");
            SafeTensors.write(p, g.weights());
            if (name.equals("torchvision")) p = withCounters(p, g);
            Graph loaded = g.withWeights(Weights.NONE).withWeights(SafeTensors.read(p));
            for (String key : g.weights().keys()) assertArrayEquals(g.weights().get(key).data(), loaded.weights().get(key).data(), key);
        }
    }

    /** Appends a num_batches_tracked I64 entry per BatchNorm, as torch's state_dict has. */
    private Path withCounters(Path plain, Graph g) throws Exception {
        Weights w = SafeTensors.read(plain);
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        List<String> counters = new ArrayList<>();
        for (String k : w.keys()) if (k.endsWith(".running_var")) counters.add(k.replace(".running_var", ".num_batches_tracked"));
        long off = 0;
        for (String c : counters) {
            header.append(off == 0 ? "" : ",").append('"').append(c).append("\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[")
                    .append(off).append(',').append(off + 8).append("]}");
            data.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array());
            off += 8;
        }
        for (var e : w.asMap().entrySet()) {
            long n = 4L * e.getValue().data().length;
            header.append(",\"").append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(e.getValue().shape().toListString().replace(" ", "")).append(",\"data_offsets\":[")
                    .append(off).append(',').append(off + n).append("]}");
            data.write(f32(e.getValue().data()));
            off += n;
        }
        header.append('}');
        assertTrue(!counters.isEmpty());
        return raw("counters.safetensors", header.toString(), data.toByteArray());
    }
}
