package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lGoogLeNet;
import googlenet.graph.onnx.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench} in a child JVM, stopped with SIGINT (Ctrl-C) during its timed runs, prints what it measured so far. */
class BenchInterruptTest {
    @Test
    void ctrlCPrintsWhatWasMeasuredSoFar(@TempDir Path dir) throws Exception {
        Graph tiny = SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 32, 32), 10, 8), 1);
        Path model = dir.resolve("tiny.onnx");
        OnnxExporter.write(tiny, model);
        Path out = dir.resolve("out.txt");
        try (ChildCli bench = new ChildCli(out, "bench", "--model", model.toString(), "--threads", "1", "--iterations", "100000000")) {
            String line = bench.awaitErrLine("bench: timing");
            assertTrue(line.contains("bench: timing 100000000 runs"), line);
            Thread.sleep(1500);
            bench.interruptAndWait();
            String report = Files.readString(out);
            assertTrue(report.contains("timed runs (interrupted)") && report.contains("latency ms:") && report.contains("images/s"), report);
            int runs = Integer.parseInt(report.replaceAll("(?s).*thread\\(s\\), (\\d+) timed runs.*", "$1"));
            assertTrue(runs > 0 && runs < 100000000, report);
        }
    }
}
