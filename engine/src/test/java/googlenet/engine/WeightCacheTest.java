package googlenet.engine;

import googlenet.engine.compile.WeightCache;
import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lGoogLeNet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed weights kept between models ({@link Options#weightCache}): a model that maps them computes the bits of one
 * that packed them; a changed option or weight finds another file; a damaged file is packed again, never used.
 */
class WeightCacheTest {
    /** d2l at full width on 64×64: Winograd at 16×16, direct convolution elsewhere, a linear layer. */
    private static final Graph GRAPH = SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 64, 64), 10), 5);

    private static float[] input() {
        float[] x = new float[3 * 64 * 64];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-2, 2);
        return x;
    }

    private record Outcome(float[] y, boolean fromCache) {
    }

    private static Outcome run(Graph graph, Options options) {
        float[] y = new float[10];
        try (Model model = Model.load(graph, options); Session s = model.newSession(1)) {
            s.run(input(), y);
            return new Outcome(y, model.weightsFromCache());
        }
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + ", logit " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aMappedCacheGivesThePackedBitsAndAnotherOptionAnotherFile(@TempDir Path dir) throws IOException {
        Outcome none = run(GRAPH, Options.threads(2));
        Outcome first = run(GRAPH, Options.threads(2).withWeightCache(dir));
        assertFalse(first.fromCache(), "nothing to map yet");
        assertEquals(1, files(dir).size(), files(dir).toString());
        Outcome second = run(GRAPH, Options.threads(2).withWeightCache(dir));
        assertTrue(second.fromCache(), "the second model maps the first one's file");
        assertSameBits(none.y(), first.y(), "packed with a cache to fill");
        assertSameBits(none.y(), second.y(), "mapped from the cache");
        assertEquals(1, files(dir).size(), "a hit writes nothing: " + files(dir));

        // Options that pack otherwise: other files, and still the bits each option computes without a cache.
        for (Options other : List.of(Options.threads(2).withExact(true), Options.threads(1), Options.threads(2).withCompact(true))) {
            Outcome expected = run(GRAPH, other);
            Outcome cached = run(GRAPH, other.withWeightCache(dir));
            Outcome again = run(GRAPH, other.withWeightCache(dir));
            assertSameBits(expected.y(), cached.y(), other + " with a cache");
            assertSameBits(expected.y(), again.y(), other + " mapped");
            assertTrue(again.fromCache(), other.toString());
        }
        // Compact packing writes the same bytes as the steady one (its packers are the scalar twins): same key, same file.
        assertEquals(3, files(dir).size(), files(dir).toString());

        // Another weight: another key, packed anew.
        Graph reseeded = SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 64, 64), 10), 6);
        Outcome changed = run(reseeded, Options.threads(2).withWeightCache(dir));
        assertFalse(changed.fromCache(), "other weights must not map this model's file");
        assertSameBits(run(reseeded, Options.threads(2)).y(), changed.y(), "reseeded");
        assertNotEquals(Float.floatToRawIntBits(none.y()[0]), Float.floatToRawIntBits(changed.y()[0]));
    }

    @Test
    void aDamagedFileIsPackedAgainNotUsed(@TempDir Path dir) throws IOException {
        Options options = Options.threads(2).withWeightCache(dir);
        float[] expected = run(GRAPH, Options.threads(2)).y();
        run(GRAPH, options);
        Path file = files(dir).getFirst();
        long size = Files.size(file);
        // One flipped byte in the middle of the packed data: the checksum differs.
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(size / 2);
            int b = f.read();
            f.seek(size / 2);
            f.write(b ^ 0x40);
        }
        Outcome flipped = run(GRAPH, options);
        assertFalse(flipped.fromCache(), "a file whose checksum differs is not used");
        assertSameBits(expected, flipped.y(), "after a flipped byte");
        assertTrue(run(GRAPH, options).fromCache(), "the file was written again, whole");
        // Cut short, as a full disk might leave a file written without the rename (which it never is).
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size - 4096);
        }
        Outcome truncated = run(GRAPH, options);
        assertFalse(truncated.fromCache());
        assertSameBits(expected, truncated.y(), "after truncation");
        // Not a cache file at all.
        Files.write(file, new byte[] {1, 2, 3});
        Outcome garbage = run(GRAPH, options);
        assertFalse(garbage.fromCache());
        assertSameBits(expected, garbage.y(), "after garbage");
        assertEquals(size, Files.size(file), "rewritten whole");
    }

    @Test
    void theFolderKeepsTheFilesUsedLast(@TempDir Path dir) throws IOException {
        for (int i = 0; i < WeightCache.KEEP + 3; i++) {
            Path old = dir.resolve(String.format("weights-%016x.bin", i));
            Files.write(old, new byte[] {0});
            Files.setLastModifiedTime(old, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Path staleTemp = dir.resolve("weights-0000000000000099.bin.tmp-1");
        Files.write(staleTemp, new byte[] {0});
        Files.setLastModifiedTime(staleTemp, FileTime.fromMillis(1_000_000L));
        run(GRAPH, Options.threads(2).withWeightCache(dir));
        List<Path> left = files(dir);
        assertEquals(WeightCache.KEEP, left.size(), left.toString());
        for (int i = 0; i < 4; i++) {
            assertFalse(left.contains(dir.resolve(String.format("weights-%016x.bin", i))), "the oldest go first: " + left);
        }
        assertFalse(left.contains(staleTemp), "a temporary file from an hour ago goes");
    }

    @Test
    void anUnwritableFolderOnlyMeansNoCache(@TempDir Path dir) throws IOException {
        Path notAFolder = dir.resolve("file");
        Files.write(notAFolder, new byte[] {0});
        Outcome o = run(GRAPH, Options.threads(2).withWeightCache(notAFolder.resolve("cache")));
        assertFalse(o.fromCache());
        assertSameBits(run(GRAPH, Options.threads(2)).y(), o.y(), "without a usable folder");
    }
}
