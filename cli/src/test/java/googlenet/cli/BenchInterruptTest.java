package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lGoogLeNet;
import googlenet.graph.onnx.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code bench} in a child JVM, stopped with SIGINT (Ctrl-C) during its timed runs, prints what it measured so far. */
class BenchInterruptTest {
    @Test
    void ctrlCPrintsWhatWasMeasuredSoFar(@TempDir Path dir) throws Exception {
        String modulePath = System.getProperty("jdk.module.path");
        assumeTrue(modulePath != null, "runs on the module path, as Surefire runs this module's tests");
        Graph tiny = SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 32, 32), 10, 8), 1);
        Path model = dir.resolve("tiny.onnx");
        OnnxExporter.write(tiny, model);
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=googlenet.engine,googlenet.kernels", "--sun-misc-unsafe-memory-access=allow",
                "-p", modulePath, "-m", "googlenet.cli/googlenet.cli.Main",
                "bench", "--model", model.toString(), "--threads", "1", "--iterations", "100000000"));
        Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile()).start();
        try {
            BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
            StringBuilder said = new StringBuilder();
            for (String line; (line = err.readLine()) != null; ) {
                said.append(line).append('\n');
                if (line.startsWith("bench: timing")) break;
            }
            assertTrue(said.toString().contains("bench: timing 100000000 runs"), said.toString());
            Thread.sleep(1500);
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bench did not stop on SIGINT");
            String out = Files.readString(dir.resolve("out.txt"));
            assertTrue(out.contains("timed runs (interrupted)") && out.contains("latency ms:") && out.contains("images/s"), out);
            int runs = Integer.parseInt(out.replaceAll("(?s).*thread\\(s\\), (\\d+) timed runs.*", "$1"));
            assertTrue(runs > 0 && runs < 100000000, out);
        } finally {
            p.destroyForcibly();
        }
    }
}
