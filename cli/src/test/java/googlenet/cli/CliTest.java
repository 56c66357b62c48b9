package googlenet.cli;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands run in-process, as a user would type them. */
class CliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void walkPrintsTheSeedsTwentyTwoLines() {
        Result r = run("walk");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(22, lines.length);
        assertEquals("Conv2d output shape: (1, 64, 114, 114)", lines[0]);
        assertEquals("Inception output shape: (1, 256, 29, 29)", lines[8]);
        assertEquals("AdaptiveAvgPool2d output shape: (1, 1024, 1, 1)", lines[19]);
        assertEquals("Flatten output shape: (1, 1024)", lines[20]);
        assertEquals("Linear output shape: (1, 10)", lines[21]);
    }

    @Test
    void summaryPrintsTheTotals() {
        Result r = run("summary", "--model", "builtin:d2l");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Total params: 6,998,552"), r.out());
        assertTrue(r.out().contains("Total mult-adds (G): 1.583"), r.out());
        assertTrue(r.out().contains("Input size (MB): 0.60"), r.out()); // 3·224·224·4 bytes
    }

    @Test
    void summaryJsonCountsAuxiliaryHeadsOnlyWhenAsked() {
        Result plain = run("summary", "--model", "builtin:torchvision", "--json");
        assertEquals(0, plain.code(), plain.err());
        assertTrue(plain.out().contains("\"totalParams\": 6624904"), plain.out());
        Result aux = run("summary", "--model", "builtin:torchvision", "--outputs", "logits,aux1,aux2", "--json");
        assertTrue(aux.out().contains("\"totalParams\": 13004888"), aux.out());
        Result d2l = run("summary", "--json");
        assertTrue(d2l.out().contains("\"multAdds\": 1582671872"), d2l.out());
    }

    @Test
    void runWritesTheOutputAndChecksFiniteness(@TempDir Path dir) throws IOException {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        float[] data = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < data.length; i++) data[i] = (i % 17) / 17f;
        Npy.write(x, new Tensor(Shape.of(2, 3, 32, 32), data));
        Result r = run("run", "--model", "builtin:d2l", "--input", x.toString(), "--output", y.toString(),
                "--classes", "10", "--check-finite");
        assertEquals(0, r.code(), r.err());
        Tensor out = Npy.read(y);
        assertEquals(Shape.of(2, 10), out.shape());

        Arrays.fill(data, Float.NaN);
        Npy.write(x, new Tensor(Shape.of(2, 3, 32, 32), data));
        Result nan = run("run", "--input", x.toString(), "--output", y.toString(), "--classes", "10", "--check-finite");
        assertEquals(3, nan.code(), nan.err());
        assertTrue(nan.err().contains("NaN or infinite"), nan.err());
        assertTrue(Files.exists(y), "the output is written before the check");
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo(@TempDir Path dir) throws IOException {
        Result shape = run("walk", "--shape", "1,3,0,5");
        assertEquals(2, shape.code());
        Result missing = run("run", "--input", dir.resolve("none.npy").toString(), "--output", dir.resolve("y.npy").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.npy"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        Path bad = dir.resolve("bad.npy");
        Files.write(bad, new byte[]{1, 2, 3});
        Result garbled = run("run", "--input", bad.toString(), "--output", dir.resolve("y.npy").toString());
        assertEquals(2, garbled.code());
        assertTrue(garbled.err().contains("bad.npy"), garbled.err());
        assertFalse(garbled.err().contains("\tat "), "no stack trace without --verbose");
        Result unknown = run("summary", "--model", "builtin:resnet");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown builtin model 'resnet'"), unknown.err());
        Result option = run("walk", "--frobnicate");
        assertEquals(2, option.code());
        Result small = run("summary", "--model", "builtin:torchvision", "--shape", "1,3,2,2");
        assertEquals(2, small.code());
        assertTrue(small.err().contains("maxpool1"), small.err());
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.npy");
        Files.write(bad, new byte[]{1, 2, 3});
        Result r = run("run", "--verbose", "--input", bad.toString(), "--output", dir.resolve("y.npy").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void topKOrdersByScore() {
        assertEquals("[3, 1, 0]", Arrays.toString(TopK.indices(new float[]{0.1f, 0.5f, -1f, 0.9f}, 3)));
        assertEquals("[0, 1]", Arrays.toString(TopK.indices(new float[]{2f, 2f}, 2)), "ties: lower index first");
        assertEquals("[2]", Arrays.toString(TopK.indices(new float[]{1f, 2f, 3f}, 1)));
    }
}
