package googlenet.cli;

import googlenet.graph.io.JsonParser;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code eval} in a child JVM, stopped with SIGINT (Ctrl-C) while it evaluates, reports exactly the images it finished:
 * its count, its correct answers and the digest of its predictions all agree with PyTorch's predictions for those images.
 */
class EvalInterruptTest {
    private static final int REPEATS = 40;

    @Test
    void ctrlCReportsTheImagesEvaluatedSoFar(@TempDir Path dir) throws Exception {
        Path shipped = Files.createDirectories(dir.resolve("shipped"));
        for (String[] f : new String[][]{{"samples-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"},
                {"samples-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}}) {
            try (InputStream in = D2lFashion.class.getResourceAsStream("d2l-fashion/" + f[0])) {
                Files.copy(in, shipped.resolve(f[1]));
            }
        }
        FashionMnist.TestSet samples = FashionMnist.readTestSet(shipped);
        int n = samples.size();
        List<?> pytorch;
        try (InputStream in = D2lFashion.class.getResourceAsStream("d2l-fashion/samples-pytorch.json")) {
            pytorch = (List<?>) ((Map<?, ?>) JsonParser.parse("samples-pytorch.json", new String(in.readAllBytes(), StandardCharsets.UTF_8))).get("predictions");
        }
        Path data = Files.createDirectories(dir.resolve("repeated"));
        writeRepeated(samples, data);

        Path out = dir.resolve("out.json");
        try (ChildCli eval = new ChildCli(out, "eval", "--data", data.toString(), "--json", "--threads", "1", "--batch", "50")) {
            String line = eval.awaitErrLine("eval:");
            assertTrue(line.contains((n * REPEATS) + " images"), line);
            Thread.sleep(1500);
            eval.interruptAndWait();
            Map<?, ?> report = (Map<?, ?>) JsonParser.parse("eval report", Files.readString(out));
            assertEquals(Boolean.TRUE, report.get("interrupted"), report.toString());
            int total = ((BigInteger) report.get("total")).intValue();
            assertTrue(total > 0 && total < n * REPEATS, "total " + total);

            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            int correct = 0;
            for (int i = 0; i < total; i++) {
                int predicted = ((BigInteger) pytorch.get(i % n)).intValue();
                digest.update((byte) predicted);
                if (predicted == samples.label(i % n)) correct++;
            }
            assertEquals(BigInteger.valueOf(correct), report.get("correct"));
            assertEquals(HexFormat.of().formatHex(digest.digest()), report.get("predictionsSha256"));
        }
    }

    /** The shipped samples {@link #REPEATS} times over, as plain (not gzip'd) IDX files. */
    private static void writeRepeated(FashionMnist.TestSet samples, Path dir) throws IOException {
        int n = samples.size();
        try (var images = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-images-idx3-ubyte")));
             var labels = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")))) {
            images.writeInt(0x803);
            images.writeInt(n * REPEATS);
            images.writeInt(FashionMnist.SIDE);
            images.writeInt(FashionMnist.SIDE);
            labels.writeInt(0x801);
            labels.writeInt(n * REPEATS);
            byte[] pixels = samples.images().data();
            for (int r = 0; r < REPEATS; r++) {
                images.write(pixels);
                for (int i = 0; i < n; i++) labels.writeByte(samples.label(i));
            }
        }
    }
}
