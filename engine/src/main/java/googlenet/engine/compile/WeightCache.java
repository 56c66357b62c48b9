package googlenet.engine.compile;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Tensor;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Fused;
import googlenet.graph.op.Op;
import googlenet.kernels.Blocking;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A model's packed weights kept on disk between processes, so that a process that runs one inference maps them instead
 * of packing them again (a one-shot run of d2l spent about 0.35 s of CPU packing 65 MB; mapping the file takes
 * milliseconds). One file per compiled graph, weights and packing choice, named by a 64-bit key over all of them (the
 * graph's nodes, their shapes and convolution geometry as text, every weight's bytes, the Winograd choice, the thread
 * count the Winograd weights are cut for, the vector width and this format's version), so that a changed model or
 * option finds no file rather than a wrong one.
 *
 * <p>File: the magic and version, the header's length, the header (the key; per entry a name, an offset and a length;
 * a CRC32C of the data), then the entries' bytes at 64-byte aligned offsets. A file is written under a temporary name
 * and renamed into place, so readers see whole files only; a file that does not match (size, key, checksum) is
 * deleted and packed again. The folder keeps the {@link #KEEP} files used last.
 */
public final class WeightCache {
    private static final System.Logger LOG = System.getLogger(WeightCache.class.getName());
    private static final int MAGIC = 0x474E5057; // "GNPW"
    /** 2: which convolutions are Winograd depends on their input channels too (WinogradWeights#pays). */
    private static final int VERSION = 2;
    /** Files kept in the folder: the most recently used. */
    public static final int KEEP = 8;
    private static final long ALIGN = 64;

    private final Path file;
    /** The key of the graph, weights and packing the file is for. */
    private final long key;
    /** The file's entries by name (mapped; dropped when found unusable: plans of several batch sizes may look). */
    private final Map<String, MemorySegment> entries;

    private WeightCache(Path file, long key, Map<String, MemorySegment> entries) {
        this.file = file;
        this.key = key;
        this.entries = entries;
    }

    /**
     * The cache file for this graph and packing in {@code folder}, its entries mapped into {@code arena} when the file
     * is there and whole; else an empty cache that {@link #save} fills. Never throws for the cache's sake: a folder that
     * cannot be read or made gives an empty cache.
     */
    static WeightCache open(Path folder, Graph graph, boolean exact, int threads, Arena arena) {
        long key = key(graph, exact, threads);
        Path file = folder.resolve(String.format("weights-%016x.bin", key));
        if (!Files.isRegularFile(file)) return new WeightCache(file, key, new ConcurrentHashMap<>());
        try {
            Map<String, MemorySegment> entries = read(file, key, arena);
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            LOG.log(Level.DEBUG, () -> "packed weights mapped from " + file);
            return new WeightCache(file, key, entries);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "packed weights in " + file + " not used (" + e.getMessage() + "); packing again");
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the next save replaces it
            }
            return new WeightCache(file, key, new ConcurrentHashMap<>());
        }
    }

    /** The packed bytes of {@code name}, as saved, or null. */
    MemorySegment get(String name) {
        return entries.get(name);
    }

    /** Drops an entry found unusable, so that {@link #holds} is false and the file is written again. */
    void forget(String name) {
        entries.remove(name);
    }

    /** Whether the file held every one of {@code names}: nothing to save. */
    boolean holds(Iterable<String> names) {
        for (String n : names) if (!entries.containsKey(n)) return false;
        return true;
    }

    /** Writes {@code packed} (name → bytes, in order) as this cache's file and keeps the {@link #KEEP} newest files. */
    void save(Map<String, MemorySegment> packed) {
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = file.resolveSibling(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            int headerLength = header(packed, 0).length; // the checksum is a fixed-size field: the length holds
            long dataStart = align(12 + headerLength);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                // Through a heap array, not the segments' own ByteBuffer views: suspected (not shown) of leaving the
                // conv tiles of the same JVM boxing, see docs/performance.md; the checksum is taken on the way.
                CRC32C crc = new CRC32C();
                byte[] chunk = new byte[1 << 20];
                long at = dataStart;
                for (MemorySegment s : packed.values()) {
                    for (long done = 0; done < s.byteSize(); ) {
                        int n = (int) Math.min(chunk.length, s.byteSize() - done);
                        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, done, chunk, 0, n);
                        crc.update(chunk, 0, n);
                        writeFully(ch, ByteBuffer.wrap(chunk, 0, n), at + done);
                        done += n;
                    }
                    at = align(at + s.byteSize());
                }
                byte[] header = header(packed, (int) crc.getValue());
                ByteBuffer prefix = ByteBuffer.allocate(12).putInt(MAGIC).putInt(VERSION).putInt(header.length).flip();
                writeFully(ch, prefix, 0);
                writeFully(ch, ByteBuffer.wrap(header), 12);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.log(Level.DEBUG, () -> "packed weights saved to " + file);
            evict(file.getParent());
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, () -> "packed weights not saved to " + file + ": " + e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** The header: the key, each entry's name, offset (from the data's start) and length, the data's end, {@code crc}. */
    private byte[] header(Map<String, MemorySegment> packed, int crc) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(key);
        out.writeInt(packed.size());
        long at = 0;
        for (Map.Entry<String, MemorySegment> e : packed.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(at);
            out.writeLong(e.getValue().byteSize());
            at = align(at + e.getValue().byteSize());
        }
        out.writeLong(at);
        out.writeInt(crc);
        out.flush();
        return bytes.toByteArray();
    }

    private static Map<String, MemorySegment> read(Path file, long key, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate(12);
            readFully(ch, prefix, 0);
            if (prefix.getInt(0) != MAGIC || prefix.getInt(4) != VERSION) throw new IOException("not a weight cache of this version");
            int headerLength = prefix.getInt(8);
            if (headerLength < 0 || 12L + headerLength > size) throw new IOException("header beyond the end");
            ByteBuffer header = ByteBuffer.allocate(headerLength);
            readFully(ch, header, 12);
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(header.array()));
            if (in.readLong() != key) throw new IOException("another key");
            int count = in.readInt();
            if (count < 0 || count > 100_000) throw new IOException("bad entry count " + count);
            long dataStart = align(12 + headerLength);
            List<String> names = new ArrayList<>(count);
            long[] offsets = new long[count];
            long[] lengths = new long[count];
            for (int i = 0; i < count; i++) {
                names.add(in.readUTF());
                offsets[i] = in.readLong();
                lengths[i] = in.readLong();
            }
            long dataBytes = in.readLong();
            int expectedCrc = in.readInt();
            if (dataBytes < 0 || dataStart + dataBytes != size) throw new IOException("size " + size + " differs from the header's");
            MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, dataBytes, arena);
            Map<String, MemorySegment> entries = new ConcurrentHashMap<>();
            CRC32C crc = new CRC32C();
            for (int i = 0; i < count; i++) {
                if (offsets[i] < 0 || lengths[i] < 0 || offsets[i] > dataBytes - lengths[i]) throw new IOException("entry beyond the data");
                MemorySegment s = data.asSlice(offsets[i], lengths[i]);
                crc.update(s.asByteBuffer());
                entries.put(names.get(i), s);
            }
            if ((int) crc.getValue() != expectedCrc) throw new IOException("checksum differs");
            return entries;
        }
    }

    /**
     * 64 bits over what decides the packed bytes: CRC32 and CRC32C (intrinsics even before the JIT has run: about 1 ms
     * for a 28 MB model) of the format, the vector width, the options, the graph's nodes as text and its weights.
     */
    static long key(Graph graph, boolean exact, int threads) {
        CRC32 a = new CRC32();
        CRC32C b = new CRC32C();
        StringBuilder text = new StringBuilder();
        text.append("v").append(VERSION).append(" lanes ").append(Blocking.LANES).append(" exact ").append(exact)
                .append(" threads ").append(threads).append('\n');
        // What decides a node's packing, written out: records' own toString is bootstrapped per record class, 45 ms of
        // a one-shot run.
        for (Node n : graph.nodes()) {
            text.append(n.name()).append(' ').append(n.op().typeName()).append(' ').append(n.inputs()).append(' ')
                    .append(n.shape());
            Op op = n.op() instanceof Fused f ? f.producer() : n.op();
            if (op instanceof Conv2d c) {
                text.append(" conv ").append(c.inChannels()).append(' ').append(c.outChannels()).append(' ')
                        .append(c.kernelH()).append(' ').append(c.kernelW()).append(' ').append(c.strideH()).append(' ')
                        .append(c.strideW()).append(' ').append(c.dilationH()).append(' ').append(c.dilationW())
                        .append(' ').append(c.groups()).append(' ').append(c.bias());
            }
            text.append('\n');
        }
        Map<String, Tensor> weights = new TreeMap<>(graph.weights().asMap());
        for (Map.Entry<String, Tensor> e : weights.entrySet()) text.append(e.getKey()).append(' ').append(e.getValue().shape()).append('\n');
        byte[] t = text.toString().getBytes(StandardCharsets.UTF_8);
        a.update(t);
        b.update(t);
        byte[] chunk = null;
        for (Tensor w : weights.values()) {
            MemorySegment v = w.values();
            if (v.isNative()) {
                a.update(v.asByteBuffer());
                b.update(v.asByteBuffer());
                continue;
            }
            if (chunk == null) chunk = new byte[1 << 16];
            for (long at = 0; at < v.byteSize(); at += chunk.length) {
                int n = (int) Math.min(chunk.length, v.byteSize() - at);
                MemorySegment.copy(v, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
                a.update(chunk, 0, n);
                b.update(chunk, 0, n);
            }
        }
        return a.getValue() << 32 | b.getValue();
    }

    /** Keeps the {@link #KEEP} most recently used cache files of {@code folder}, and no temporary file older than an hour. */
    private static void evict(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().startsWith("weights-")).toList();
        }
        long hourAgo = System.currentTimeMillis() - 3_600_000;
        List<Path> caches = new ArrayList<>();
        for (Path p : files) {
            String name = p.getFileName().toString();
            if (name.endsWith(".bin")) caches.add(p);
            else if (name.contains(".tmp-") && modified(p) < hourAgo) Files.deleteIfExists(p);
        }
        caches.sort(Comparator.comparingLong(WeightCache::modified).reversed());
        for (Path p : caches.subList(Math.min(KEEP, caches.size()), caches.size())) Files.deleteIfExists(p);
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long align(long at) {
        return (at + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) at += ch.write(b, at);
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) throw new IOException("ended early");
            at += n;
        }
    }

}
