package googlenet.spark;

import googlenet.graph.SeededWeights;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.OnnxExporter;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
    private static final int CLASSES = SessionPredictions.CLASSES;
    @TempDir
    static Path dir;
    static Path images;
    static Path corrupt;
    static Map<String, List<SessionPredictions.Expected>> expected;

    @BeforeAll
    static void writeImagesAndExpectations() throws IOException {
        images = dir.resolve("images");
        List<Path> files = SampleImages.write(images, 500, 28);
        byte[] png = Files.readAllBytes(files.getFirst());
        corrupt = images.resolve("corrupt.png");
        Files.write(corrupt, Arrays.copyOf(png, png.length / 2));
        expected = SessionPredictions.of(files);
    }

    static Dataset<Row> files(Path folder) {
        return LocalSpark.session().read().format("binaryFile").load(folder.toString());
    }

    /** Rows of path, prediction, error by file name. */
    static Map<String, Row> byName(Dataset<Row> classified) {
        return SessionPredictions.byName(classified.select("path", "prediction", "error"));
    }

    static void assertPrediction(String name, List<Row> actual, int k) {
        SessionPredictions.assertPrediction(expected, name, actual, k);
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

    @Test
    void eachExecutorJvmCompilesTheModelOnceForAllTasksAndJobs() {
        ExecutorModels.closeAll();
        int before = ExecutorModels.loads();
        ImageClassifier classifier = new ImageClassifier().setTopK(1).setBatchSize(8);
        Dataset<Row> input = files(images);
        assertEquals(501, classifier.transform(input).count());
        assertEquals(501, classifier.transform(input).filter("error is null").count() + 1);
        assertEquals(1, ExecutorModels.loads() - before, "one model for " + 2 * input.rdd().getNumPartitions() + " tasks in two jobs");
    }

    @Test
    void theImageSourcesStructIsClassifiedAsTheFilesBytes() throws IOException {
        Path few = dir.resolve("few");
        Files.createDirectories(few);
        for (int i = 0; i < 20; i++) Files.copy(images.resolve(String.format("sample-%05d.png", i)), few.resolve(String.format("sample-%05d.png", i)));
        Files.copy(corrupt, few.resolve("corrupt.png"));
        Dataset<Row> structs = LocalSpark.session().read().format("image").load(few.toString());
        Map<String, Row> rows = SessionPredictions.byName(new ImageClassifier().setInputCol("image").setTopK(3).transform(structs)
                .select("image.origin", "prediction", "error"));
        assertEquals(21, rows.size());
        for (var entry : rows.entrySet()) {
            String name = entry.getKey();
            Row r = entry.getValue();
            if (name.equals("corrupt.png")) {
                assertNull(r.get(1));
                assertTrue(r.getString(2).contains("not decoded by Spark's image source"), r.getString(2));
            } else {
                assertNull(r.get(2), name);
                assertPrediction(name, r.getList(1), 3);
            }
        }
    }

    @Test
    void aPipelineHoldingTheClassifierSavesAndLoads() throws IOException {
        ImageClassifier classifier = new ImageClassifier().setTopK(2).setBatchSize(4).setThreads(1).setOutputCol("top").setErrorCol("why");
        Dataset<Row> input = files(images).limit(12);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[]{classifier}).fit(input);
        String path = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        ImageClassifier stage = (ImageClassifier) loaded.stages()[0];
        assertEquals(classifier.uid(), stage.uid());
        assertEquals(classifier.extractParamMap().toString(), stage.extractParamMap().toString());
        Map<String, Row> rows = SessionPredictions.byName(loaded.transform(input).select("path", "top", "why"));
        assertEquals(12, rows.size());
        rows.forEach((name, r) -> {
            if (name.equals("corrupt.png")) assertNotNull(r.get(2));
            else assertPrediction(name, r.getList(1), 2);
        });
    }

    @Test
    void anOnnxFileReadThroughHadoopGivesWhatTheSameBuiltinGives() throws IOException {
        Path onnx = dir.resolve("d2l.onnx");
        OnnxExporter.write(SeededWeights.apply(Builtins.build("d2l"), 0), onnx, OnnxExporter.DEFAULT_OPSET, true);
        Dataset<Row> input = files(images).filter("path not like '%corrupt.png'").limit(6);
        ImageClassifier builtin = new ImageClassifier().setModel("builtin:d2l").setTopK(5).setBatchSize(4);
        ImageClassifier file = builtin.copy(new ParamMap()).setModel(onnx.toUri().toString());
        List<Row> a = builtin.transform(input).select("path", "prediction").sort("path").collectAsList();
        List<Row> b = file.transform(input).select("path", "prediction").sort("path").collectAsList();
        assertEquals(6, a.size());
        assertEquals(a, b);
    }

    @Test
    void mistakesAreNamedBeforeAnyTaskRuns() {
        Dataset<Row> input = files(images);
        var noColumn = assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setInputCol("bytes").transform(input));
        assertTrue(noColumn.getMessage().contains("input column 'bytes' is not among the columns"), noColumn.getMessage());
        var wrongType = assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setInputCol("length").transform(input));
        assertTrue(wrongType.getMessage().contains("input column 'length' is bigint; it must be binary"), wrongType.getMessage());
        var taken = assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setOutputCol("path").transform(input));
        assertTrue(taken.getMessage().contains("outputCol 'path' is already a column"), taken.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setModel("builtin:alexnet").transform(input));
        assertTrue(unknown.getMessage().contains("model 'builtin:alexnet': unknown builtin"), unknown.getMessage());
        var missing = assertThrows(java.io.UncheckedIOException.class, () -> new ImageClassifier().setModel(dir.resolve("none.onnx").toString()).transform(input));
        assertTrue(missing.getMessage().contains("none.onnx: no such file"), missing.getMessage());
        var preset = assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setPreset("caffe").transform(input));
        assertTrue(preset.getMessage().contains("a preset does not apply"), preset.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ImageClassifier().setBatchSize(0));
    }
}
