package googlenet.spark;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Probabilities;
import googlenet.engine.Session;
import googlenet.engine.image.FashionImages;
import googlenet.engine.image.ImageDecoder;
import googlenet.graph.models.D2lFashion;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The independent expectation of the Spark tests: builtin:d2l-fashion on a plain batch-1 Session per image file, all
 * classes ranked by softmax probability (ties by index), compared with the Spark output bit for bit.
 */
final class SessionPredictions {
    static final int CLASSES = 10;

    record Expected(int index, String label, float probability) {
    }

    private SessionPredictions() {
    }

    /** Per file name: every class, most probable first. */
    static Map<String, List<Expected>> of(List<Path> files) throws IOException {
        Map<String, List<Expected>> expected = new HashMap<>();
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
        return expected;
    }

    /** Rows whose first column is a path, by the path's file name. */
    static Map<String, Row> byName(Dataset<Row> rows) {
        Map<String, Row> named = new HashMap<>();
        for (Row r : rows.collectAsList()) named.put(r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1), r);
        return named;
    }

    static void assertPrediction(Map<String, List<Expected>> expected, String name, List<Row> actual, int k) {
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
}
