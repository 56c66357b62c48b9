package googlenet.cli;

import googlenet.cli.CliTest.Result;
import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import googlenet.graph.models.Builtins;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static googlenet.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --exact}: direct convolution everywhere instead of Winograd for the 3×3 stride-1 ones. */
class ExactCliTest {
    private static final Shape INPUT = Shape.of(1, 3, 64, 64);

    @Test
    void everyCommandThatRunsTheEngineListsExactInItsHelp() {
        for (String command : new String[]{"run", "bench", "classify", "eval", "serve", "plan"}) {
            Result r = run(command, "--help");
            assertEquals(0, r.code(), command + ": " + r.err());
            assertTrue(r.out().contains("--exact") && r.out().contains("Direct convolution everywhere (no Winograd)"),
                    command + " --help: " + r.out());
        }
    }

    @Test
    void benchJsonSaysWhichConvolution() {
        // 64×64: d2l's first 3×3 convolution has a 16×16 output, 16 tiles of 4×4, enough for Winograd.
        String[] args = {"bench", "--shape", "1,3,64,64", "--classes", "10", "--threads", "1", "--iterations", "3", "--json"};
        Result winograd = run(args);
        assertEquals(0, winograd.code(), winograd.err());
        assertTrue(winograd.out().contains("\"convolution\": \"winograd\""), winograd.out());
        Result direct = run(with(args, "--exact"));
        assertEquals(0, direct.code(), direct.err());
        assertTrue(direct.out().contains("\"convolution\": \"direct\""), direct.out());
    }

    @Test
    void runExactIsTheDirectEnginesBitsAndCloseToWinograd(@TempDir Path dir) throws IOException {
        Tensor x = new Tensor(INPUT, new float[(int) INPUT.elements()]);
        for (int i = 0; i < x.data().length; i++) x.data()[i] = (float) Math.sin(i * 0.01);
        Path xf = dir.resolve("x.npy");
        Npy.write(xf, x);
        Path yw = dir.resolve("winograd.npy");
        Path yd = dir.resolve("direct.npy");
        String[] args = {"run", "--model", "builtin:d2l", "--classes", "10", "--seed", "3", "--threads", "2", "--input", xf.toString()};
        Result w = run(with(args, "--output", yw.toString()));
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("winograd convolution"), w.out());
        Result d = run(with(args, "--output", yd.toString(), "--exact"));
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("direct convolution"), d.out());
        float[] winograd = Npy.read(yw).data();
        float[] direct = Npy.read(yd).data();

        var graph = SeededWeights.apply(Builtins.build("d2l", INPUT, 10), 3);
        float[] expected;
        try (Model m = Model.load(graph, Options.threads(2).withExact(true)); Session s = m.newSession(1)) {
            assertEquals("direct", m.convolution());
            expected = new float[(int) s.outputShape(s.outputNames().getFirst()).elements()];
            s.run(x.data(), expected);
        }
        assertArrayEquals(expected, direct, "run --exact is the direct engine's output, bit for bit");

        assertFalse(Arrays.equals(winograd, direct), "Winograd changes the last bits");
        float max = 0;
        for (float v : direct) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < direct.length; i++) {
            assertTrue(Math.abs(winograd[i] - direct[i]) <= 1e-5f * max + 1e-6f, "[" + i + "]: " + winograd[i] + " vs " + direct[i]);
        }
    }

    @Test
    void planCountsWinogradConvolutions() {
        Result w = run("plan", "--model", "builtin:d2l");
        assertEquals(0, w.code(), w.err());
        assertTrue(w.out().contains("winograd F(4×4,3×3)"), w.out());
        // Counted from the graph: every conv, and the 3×3 stride-1 ones whose output has at least 16 tiles of 4×4.
        var graph = Builtins.build("d2l");
        long convs = graph.nodes().stream().filter(n -> n.op() instanceof googlenet.graph.op.Conv2d).count();
        long winograd = graph.nodes().stream().filter(n -> n.op() instanceof googlenet.graph.op.Conv2d c
                && c.kernelH() == 3 && c.kernelW() == 3 && c.strideH() == 1 && c.strideW() == 1
                && ((n.shape().dim(2) + 3) / 4) * ((n.shape().dim(3) + 3) / 4) >= 16).count();
        assertEquals(57, convs);
        assertEquals(8, winograd, "d2l at 224: the 3×3 convolutions at 56², 28² and 14²");
        assertTrue(w.out().contains("winograd convolutions: " + winograd + " of " + convs), w.out());
        Result d = run("plan", "--model", "builtin:d2l", "--exact", "--json");
        assertEquals(0, d.code(), d.err());
        assertTrue(d.out().contains("\"convolutions\": " + convs + ",") && d.out().contains("\"winogradConvolutions\": 0,"), d.out());
    }

    private static String[] with(String[] args, String... more) {
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
