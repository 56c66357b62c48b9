package googlenet.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The committed register tiles are what their generator writes: a change to one without the other fails here (run
 * the generator from the repository root: {@code java kernels/src/test/java/googlenet/kernels/conv/Conv2dVectorTilesGenerator.java}).
 */
class GeneratedTilesTest {
    @Test
    void committedTilesEqualTheGeneratorsOutput() throws IOException {
        // Surefire runs in the module's folder.
        Path committed = Path.of("src/main/java/googlenet/kernels/conv/Conv2dVectorTiles.java");
        if (!Files.isRegularFile(committed)) fail(committed.toAbsolutePath() + " not found: run the test from the kernels module");
        String expected = Conv2dVectorTilesGenerator.generate();
        String actual = Files.readString(committed, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            String[] e = expected.split("\n", -1);
            String[] a = actual.split("\n", -1);
            int line = 0;
            while (line < Math.min(e.length, a.length) && e[line].equals(a[line])) line++;
            assertEquals(line < e.length ? e[line] : "<end of file>", line < a.length ? a[line] : "<end of file>",
                    "Conv2dVectorTiles.java differs from the generator's output at line " + (line + 1)
                            + ": run the generator (see this test's comment)");
        }
    }
}
