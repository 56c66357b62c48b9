package googlenet.spark;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Probabilities;
import googlenet.engine.Session;
import googlenet.engine.image.FashionImages;
import googlenet.engine.image.ImageDecoder;
import googlenet.graph.models.D2lFashion;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transformer in local mode on the 500 shipped Fashion-MNIST samples written as PNG files, one corrupt file among
 * them: each prediction against a plain batch-1 Session on the same decoded image, bit for bit.
 */
class ImageClassifierTest {
    private static final int CLASSES = 10;
    @TempDir
    static Path dir;
    static Path images;
    static Path corrupt;
    /** Per file name: the expected classes, most probable first. */
    static Map<String, List<Expected>> expected;

    record Expected(int index, String label, float probability) {
    }

    @BeforeAll
    static void writeImagesAndExpectations() throws IOException {
        images = dir.resolve("images");
        List<Path> files = SampleImages.write(images, 500, 28);
        byte[] png = Files.readAllBytes(files.getFirst());
        corrupt = images.resolve("corrupt.png");
        Files.write(corrupt, Arrays.copyOf(png, png.length / 2));
        expected = new HashMap<>();
        D2lFashion fashion = D2lFashion.shipped();
        FashionImages input = new FashionImages(fashion.preprocessing(), ImageDecoder.DEFAULT_MAX_PIXELS);
        try (Model model = Model.load(fashion.graph(1), Options.threads(1)); Session session = model.newSession(1)) {
            float[] x = new float[input.imageSize()];
            float[] y = new float[CLASSES];
            for (Path f : files) {
                input.load(f, x, 0);
                session.run(x, y);
                float[] p = Probabilities.softmax(y);
                List<Expected> ranked = IntStream.range(0, CLASSES).boxed()
                        .sorted(Comparator.<Integer>comparingDouble(c -> -p[c]).thenComparing(c -> c))
                        .map(c -> new Expected(c, fashion.classes().get(c), p[c])).toList();
                expected.put(f.getFileName().toString(), ranked);
            }
        }
    }

    static Dataset<Row> files(Path folder) {
        return LocalSpark.session().read().format("binaryFile").load(folder.toString());
    }

    /** Rows of path, prediction, error by file name. */
    static Map<String, Row> byName(Dataset<Row> classified) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : classified.select("path", "prediction", "error").collectAsList()) {
            rows.put(r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r);
        }
        return rows;
    }

    static void assertPrediction(String name, List<Row> actual, int k) {
        List<Expected> want = expected.get(name).subList(0, k);
        assertEquals(k, actual.size(), name);
        for (int i = 0; i < k; i++) {
            Row c = actual.get(i);
            Expected e = want.get(i);
            assertEquals(e.index(), c.getInt(0), name + " class " + i);
            assertEquals(e.label(), c.getString(1), name + " label " + i);
            assertEquals(Float.floatToRawIntBits(e.probability()), Float.floatToRawIntBits(c.getFloat(2)),
                    name + " probability " + i + ": " + e.probability() + " vs " + c.getFloat(2));
        }
    }

    @Test
    void everySampleIsClassifiedAsAPlainSessionClassifiesItAndTheCorruptFileGetsItsError() {
        ImageClassifier classifier = new ImageClassifier().setTopK(CLASSES).setBatchSize(16);
        Dataset<Row> input = files(images);
        assertTrue(input.rdd().getNumPartitions() > 2, "several tasks per slot: " + input.rdd().getNumPartitions());
        Map<String, Row> rows = byName(classifier.transform(input));
        assertEquals(501, rows.size());
        for (String name : expected.keySet()) {
            Row r = rows.get(name);
            assertNull(r.get(2), name);
            assertPrediction(name, r.getList(1), CLASSES);
        }
        Row bad = rows.get("corrupt.png");
        assertNull(bad.get(1));
        assertTrue(bad.getString(2).startsWith(bad.getString(0) + ": corrupt"), bad.getString(2));
        assertEquals(1L, classifier.badImages().value());
    }
}
