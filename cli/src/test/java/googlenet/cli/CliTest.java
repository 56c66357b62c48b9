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
import java.util.List;
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

    /** A missing or unreadable model, weights or input file: one line that says what is wrong with which file, exit 2. */
    @Test
    void aMissingFileIsNamedAsMissing(@TempDir Path dir) throws IOException {
        String missing = dir.resolve("missing.onnx").toString();
        for (String[] args : List.of(new String[] {"summary", "--model", missing},
                new String[] {"bench", "--model", missing, "--iterations", "1"},
                new String[] {"classify", "--model", missing, dir.resolve("x.png").toString()},
                new String[] {"summary", "--model", "builtin:d2l", "--weights", dir.resolve("w.safetensors").toString()})) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            String file = args[args.length - 1].endsWith(".safetensors") ? args[args.length - 1] : missing;
            String expected = args[0] + ": no such file: " + file;
            assertEquals(expected, r.err().strip(), String.join(" ", args));
        }
        Result folder = run("summary", "--model", dir.toString());
        assertEquals(2, folder.code(), folder.err());
        assertEquals("summary: " + dir + ": a folder, not an ONNX model file", folder.err().strip());
    }

    /** summary refuses a shape the shipped weights cannot take, as run and bench do, and describes the one they can. */
    @Test
    void summaryRefusesAnInputTheWeightsCannotTake() {
        Result wrong = run("summary", "--model", "builtin:d2l-fashion", "--shape", "1,3,10,10");
        assertEquals(2, wrong.code(), wrong.out());
        assertTrue(wrong.err().contains("weight '0.0.weight' has shape [64, 1, 7, 7], expected [64, 3, 7, 7]"), wrong.err());
        Result right = run("summary", "--model", "builtin:d2l-fashion");
        assertEquals(0, right.code(), right.err());
        assertTrue(right.out().contains("Input size (MB): 0.01"), right.out()); // 1·56·56·4 bytes
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

    /** Only the command asked for is built; help, no command and a mistyped one still see all of them. */
    @Test
    void helpListsEveryCommandAndAMistypedOneIsAUsageError() {
        List<String> all = List.of("demo", "walk", "summary", "info", "bench", "export", "graph", "plan", "run",
                "classify", "eval", "serve", "help");
        for (String[] args : new String[][] {{"--help"}, {}}) {
            Result r = run(args);
            assertEquals(0, r.code(), r.err());
            for (String c : all) assertTrue(r.out().contains("\n  " + c + " "), c + " missing from:\n" + r.out());
        }
        Result help = run("help", "classify");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: googlenet classify"), help.out());
        Result typo = run("--verbose", "runn");
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("'runn'"), typo.err());
        Result sub = run("--verbose", "walk");
        assertEquals(0, sub.code(), sub.err());
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

    /** Every kind of bad model or input file: exit code 2, one line on stderr naming the file, no stack trace. */
    @Test
    void badModelAndInputFilesAreOneLineAndExitCodeTwo(@TempDir Path dir) throws IOException {
        Path x = dir.resolve("x.npy");
        Npy.write(x, new Tensor(Shape.of(1, 3, 32, 32), new float[3 * 32 * 32]));
        Path y = dir.resolve("y.npy");
        Path onnx = dir.resolve("garbled.onnx");
        Files.write(onnx, "not a model at all, just text".getBytes());
        Path weights = dir.resolve("cut.safetensors");
        Files.write(weights, new byte[] {100, 0, 0, 0, 0, 0, 0, 0, '{'});
        Path f64 = dir.resolve("f64.npy");
        Files.write(f64, Arrays.copyOf(npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 3, 32, 32), }"), 128 + 8 * 3072));
        Path rank3 = dir.resolve("rank3.npy");
        Npy.write(rank3, new Tensor(Shape.of(3, 32, 32), new float[3 * 32 * 32]));
        String[][] cases = {
                {onnx.toString(), "run", "--model", onnx.toString(), "--input", x.toString(), "--output", y.toString()},
                {weights.toString(), "run", "--weights", weights.toString(), "--input", x.toString(), "--output", y.toString()},
                {f64.toString(), "run", "--input", f64.toString(), "--output", y.toString(), "--classes", "10"},
                {rank3.toString(), "run", "--input", rank3.toString(), "--output", y.toString(), "--classes", "10"},
        };
        for (String[] c : cases) {
            Result r = run(Arrays.copyOfRange(c, 1, c.length));
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[0]), c[0] + " not named in: " + r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
    }

    /** A version 1.0 .npy header of 128 bytes holding {@code dict}. */
    private static byte[] npyHeader(String dict) {
        String h = dict + " ".repeat(128 - 10 - 1 - dict.length()) + "\n";
        byte[] b = new byte[128];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0};
        System.arraycopy(magic, 0, b, 0, 10);
        System.arraycopy(h.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, b, 10, h.length());
        return b;
    }

    /** {@code bench --check-finite} on a model whose classifier holds a NaN weight: exit code 3, the count on stderr. */
    @Test
    void benchCheckFiniteReportsNonFiniteOutputs(@TempDir Path dir) throws IOException {
        var graph = googlenet.graph.SeededWeights.apply(googlenet.graph.models.D2lGoogLeNet.build(Shape.of(1, 3, 32, 32), 10, 8), 2);
        var tensors = new java.util.LinkedHashMap<>(graph.weights().asMap());
        float[] fc = tensors.get("5.weight").data().clone();
        fc[0] = Float.NaN; // class 0's logit becomes NaN
        tensors.put("5.weight", new Tensor(tensors.get("5.weight").shape(), fc));
        Path nan = dir.resolve("nan.onnx");
        googlenet.graph.onnx.OnnxExporter.write(graph.withWeights(googlenet.graph.Weights.NONE).withWeights(googlenet.graph.Weights.of(tensors)), nan);
        Path ok = dir.resolve("ok.onnx");
        googlenet.graph.onnx.OnnxExporter.write(graph, ok);
        Result finite = run("bench", "--model", ok.toString(), "--threads", "1", "--iterations", "3", "--check-finite");
        assertEquals(0, finite.code(), finite.err());
        Result r = run("bench", "--model", nan.toString(), "--threads", "1", "--iterations", "3", "--check-finite");
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("bench: 1 output values are NaN or infinite"), r.err());
        assertTrue(r.out().contains("3 timed runs"), "the report comes first: " + r.out());
    }

    /** A builtin whose input is not the default 3×224×224 is benchmarked on its own input, split across two threads. */
    @Test
    void benchRunsABuiltinOnItsOwnInputShape() {
        Result r = run("bench", "--model", "builtin:d2l-fashion", "--batch", "4", "--threads", "2", "--iterations", "2", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"batch\": 4,"), r.out());
        assertTrue(r.out().contains("\"batchParts\": 2,"), r.out());
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
    void planReportsArenaAndZeroCopyConcats(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("plan.svg");
        Result r = run("plan", "--model", "builtin:d2l", "--json", "--svg", svg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"concats\": 9"), r.out());
        assertTrue(r.out().contains("\"zeroCopyConcats\": 9"), r.out());
        assertTrue(r.out().contains("\"arenaBytes\": "), r.out());
        assertTrue(r.out().contains("\"steps\": ["), r.out());
        assertTrue(Files.readString(svg).startsWith("<svg"), "svg written");
        Result text = run("plan", "--model", "builtin:torchvision");
        assertTrue(text.out().contains("concats: 9 of 9 in place"), text.out());
    }

    @Test
    void compiledRunMatchesTheReferenceAndWritesEveryRequestedOutput(@TempDir Path dir) throws IOException {
        Path x = dir.resolve("x.npy");
        float[] data = new float[3 * 64 * 64];
        for (int i = 0; i < data.length; i++) data[i] = (float) Math.sin(i * 0.01);
        Npy.write(x, new Tensor(Shape.of(1, 3, 64, 64), data));
        Path fast = dir.resolve("fast.npy");
        Path ref = dir.resolve("ref.npy");
        Result a = run("run", "--model", "builtin:torchvision", "--input", x.toString(), "--output", fast.toString(),
                "--outputs", "logits,aux1", "--threads", "2");
        assertEquals(0, a.code(), a.err());
        Result b = run("run", "--model", "builtin:torchvision", "--input", x.toString(), "--output", ref.toString(),
                "--outputs", "logits,aux1", "--reference");
        assertEquals(0, b.code(), b.err());
        for (String[] pair : new String[][]{{"fast.npy", "ref.npy"}, {"fast.aux1.npy", "ref.aux1.npy"}}) {
            float[] f = Npy.read(dir.resolve(pair[0])).data();
            float[] g = Npy.read(dir.resolve(pair[1])).data();
            float max = 0;
            for (float v : g) max = Math.max(max, Math.abs(v));
            for (int i = 0; i < f.length; i++) assertTrue(Math.abs(f[i] - g[i]) <= 1e-5f * max + 1e-6f, pair[0] + "[" + i + "]");
        }
    }

    @Test
    void exportWritesAnOnnxFileAndGraphPrintsDot(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("d2l.onnx");
        Result r = run("export", "--model", "builtin:d2l", "--shape", "1,3,64,64", "--onnx", onnx.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.size(onnx) > 6_998_552L * 4, "the weights are in the file");
        Result bad = run("export", "--model", "builtin:torchvision", "--outputs", "logits,aux1", "--onnx", dir.resolve("t.onnx").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("aux1.avgpool"), bad.err());
        Result dot = run("graph", "--model", "builtin:d2l", "--dot");
        assertEquals(0, dot.code(), dot.err());
        assertTrue(dot.out().startsWith("digraph"), dot.out());
        assertEquals(9, dot.out().split("subgraph cluster_", -1).length - 1, "one cluster per Inception block");
    }

    @Test
    void runsOnnxFilesAndDumpsEveryLayer(@TempDir Path dir) throws IOException {
        googlenet.graph.Graph g = googlenet.graph.SeededWeights.apply(
                googlenet.graph.models.Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10), 5);
        Path onnx = dir.resolve("d2l.onnx");
        googlenet.graph.onnx.OnnxExporter.write(g, onnx, 17, true);
        Tensor x = new Tensor(Shape.of(2, 3, 64, 64), new float[2 * 3 * 64 * 64]);
        for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) Math.sin(i * 0.01);
        Path xf = dir.resolve("x.npy");
        Npy.write(xf, x);
        Tensor expected = googlenet.engine.reference.ReferenceInterpreter.run(g.withInputShape(x.shape()), x);

        Path y = dir.resolve("y.npy");
        Result r = run("run", "--model", onnx.toString(), "--input", xf.toString(), "--output", y.toString());
        assertEquals(0, r.code(), r.err());
        Tensor got = Npy.read(y);
        assertEquals(expected.shape(), got.shape());
        for (int i = 0; i < got.data().length; i++) {
            assertEquals(expected.data()[i], got.data()[i], 1e-5 * expected.maxAbs() + 1e-6);
        }

        Path dump = dir.resolve("dump");
        r = run("run", "--model", onnx.toString(), "--input", xf.toString(), "--output", y.toString(), "--dump", dump.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(dump.resolve("x.npy")));
        assertTrue(Files.exists(dump.resolve("0.0.npy")));
        assertTrue(Files.exists(dump.resolve("2.0.concat.npy")));
        assertEquals(Shape.of(2, 10), Npy.read(dump.resolve("5.npy")).shape());

        r = run("run", "--model", onnx.toString(), "--weights", "w.safetensors", "--input", xf.toString(), "--output", y.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--weights applies to builtin models"), r.err());

        r = run("summary", "--model", onnx.toString());
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void builtinsTakeSafetensorsWeights(@TempDir Path dir) throws IOException {
        googlenet.graph.Graph g = googlenet.graph.SeededWeights.apply(
                googlenet.graph.models.Builtins.build("torchvision", Shape.of(1, 3, 64, 64), 10), 9);
        Path w = dir.resolve("tv.safetensors");
        // torchvision's state_dict without the auxiliary classifiers (aux_logits=False)
        java.util.Map<String, Tensor> noAux = new java.util.LinkedHashMap<>(g.weights().asMap());
        noAux.keySet().removeIf(k -> k.startsWith("aux"));
        googlenet.graph.io.SafeTensors.write(w, googlenet.graph.Weights.of(noAux));
        Tensor x = new Tensor(Shape.of(1, 3, 64, 64), new float[3 * 64 * 64]);
        for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) Math.cos(i * 0.003);
        Path xf = dir.resolve("x.npy");
        Npy.write(xf, x);
        Path y = dir.resolve("y.npy");
        Result r = run("run", "--model", "builtin:torchvision", "--weights", w.toString(), "--input", xf.toString(),
                "--output", y.toString(), "--reference");
        assertEquals(0, r.code(), r.err());
        Tensor expected = googlenet.engine.reference.ReferenceInterpreter.run(g.keepOutputs(java.util.List.of("logits")), x);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.data(), Npy.read(y).data());

        Files.write(w, new byte[] {1, 2, 3});
        r = run("run", "--model", "builtin:torchvision", "--weights", w.toString(), "--input", xf.toString(), "--output", y.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(w.toString()) && r.err().contains("too short"), r.err());
    }
}
