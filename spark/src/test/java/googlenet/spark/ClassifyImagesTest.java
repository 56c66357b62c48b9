package googlenet.spark;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit job run in-process on the tests' local session: the files 'dir/**{@literal /}*.png' finds, to Parquet. */
class ClassifyImagesTest {
    @TempDir
    static Path dir;
    static Map<String, List<SessionPredictions.Expected>> expected;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        LocalSpark.session();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ClassifyImages.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void writeNestedFolders() throws IOException {
        List<Path> files = new ArrayList<>(SampleImages.write(dir.resolve("in/a"), 12, 28));
        Path deeper = dir.resolve("in/b/c");
        Files.createDirectories(deeper);
        for (Path f : List.copyOf(files.subList(0, 5))) files.add(Files.copy(f, deeper.resolve("again-" + f.getFileName())));
        Files.writeString(dir.resolve("in/b/broken.png"), "not a PNG");
        Files.writeString(dir.resolve("in/b/notes.txt"), "not matched by *.png");
        expected = SessionPredictions.of(files);
    }

    @Test
    void classifiesEveryMatchingFileIntoParquet() {
        String output = dir.resolve("out.parquet").toString();
        Run run = run("--input", dir.resolve("in") + "/**/*.png", "--output", output, "--top", "3", "--batch", "4", "--show", "18");
        assertEquals(ClassifyImages.OK, run.code(), run.err());
        assertTrue(run.out().startsWith("classified 17 images (1 could not be read) in "), run.out());
        Map<String, Row> rows = SessionPredictions.byName(LocalSpark.session().read().parquet(output));
        assertEquals(18, rows.size());
        expected.keySet().forEach(name -> {
            assertNull(rows.get(name).get(2), name);
            SessionPredictions.assertPrediction(expected, name, rows.get(name).getList(1), 3);
        });
        SessionPredictions.Expected first = expected.get("sample-00000.png").getFirst();
        assertTrue(run.out().contains("/in/a/sample-00000.png  " + first.label() + "  " + String.format("%.3f%%", 100.0 * first.probability())), run.out());
        assertTrue(run.out().contains("/in/b/broken.png  error: "), run.out());
        assertTrue(rows.get("broken.png").getString(2).endsWith("broken.png: not an image ImageIO can read (JPEG, PNG, BMP, GIF)"),
                rows.get("broken.png").getString(2));
        Run again = run("--input", dir.resolve("in") + "/**/*.png", "--output", output);
        assertEquals(ClassifyImages.USAGE_ERROR, again.code());
        assertTrue(again.err().contains("--output " + output + " exists"), again.err());
    }

    @Test
    void helpAndMistakes() {
        Run help = run("--help");
        assertEquals(ClassifyImages.OK, help.code());
        assertTrue(help.out().startsWith("Usage: ClassifyImages --input GLOB --output OUT.parquet"), help.out());
        assertMistake("--output is required", "--input", "x/*.png");
        assertMistake("--top must be a whole number ≥ 1, got '0'", "--input", "x", "--output", "y", "--top", "0");
        assertMistake("--batch needs a value", "--input", "x", "--output", "y", "--batch");
        assertMistake("unknown option --labels", "--labels", "l.txt");
        assertMistake("--input x/**/a/*.png: after '/**/' only a file-name pattern may follow", "--input", "x/**/a/*.png", "--output", "y");
        assertMistake("--input " + dir.resolve("none") + "/*.png: ", "--input", dir.resolve("none") + "/*.png", "--output", dir.resolve("o").toString());
        assertMistake("model 'builtin:vgg': unknown builtin", "--input", dir.resolve("in") + "/**/*.png", "--output", dir.resolve("o").toString(),
                "--model", "builtin:vgg");
    }

    private static void assertMistake(String message, String... args) {
        Run run = run(args);
        assertEquals(ClassifyImages.USAGE_ERROR, run.code(), run.err());
        assertTrue(run.err().startsWith("ClassifyImages: " + message), run.err());
    }
}
