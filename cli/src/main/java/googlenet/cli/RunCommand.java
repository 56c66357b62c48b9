package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Runs a model on an input .npy file and writes its first output as .npy. */
@Command(name = "run", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Run a model on the input tensor in an .npy file (float32, N,C,H,W) and write the output as .npy.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--input", required = true, paramLabel = "x.npy", description = "Input tensor, float32 N,C,H,W.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "y.npy", description = "Where to write the output.")
    Path output;

    @Option(names = "--check-finite", description = "Exit with code 3 if the output holds NaN or infinity.")
    boolean checkFinite;

    @Option(names = "--reference", description = "Run the scalar reference interpreter instead of the compiled engine.")
    boolean reference;

    @Option(names = "--threads", paramLabel = "T", description = "Intra-op threads (default: available processors).")
    Integer threads;

    @Option(names = "--outputs", split = ",", paramLabel = "NAME",
            description = "Outputs to compute; the first goes to --output, each further one to <output>.<name>.npy.")
    List<String> outputs;

    @Option(names = "--dump", paramLabel = "DIR",
            description = "Write every layer's output as DIR/<node>.npy (runs the reference interpreter), to find where a model departs from PyTorch.")
    Path dump;

    @Spec
    CommandSpec spec;

    /** A node name as a file name: path separators and other awkward characters become '_'. */
    static String fileName(String node) {
        String s = node.replaceAll("[^A-Za-z0-9_.:-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }

    /** y.npy → y.aux1.npy */
    static Path sibling(Path output, String name) {
        String file = output.getFileName().toString();
        String stem = file.endsWith(".npy") ? file.substring(0, file.length() - 4) : file;
        return output.resolveSibling(stem + "." + name + ".npy");
    }

    @Override
    public Integer call() throws IOException {
        long called = System.nanoTime();
        // From the launcher's start to this command: the script, the JVM's start and class loading, the command line's
        // parsing. The launcher passes its start time (OS process start times are rounded to whole seconds here, and
        // JMX would load classes of its own inside what it measures); without it the figure is left out.
        String launched = System.getProperty("googlenet.launchedAt");
        String startFigure = launched == null ? ""
                : String.format(" start %.0f ms,", System.currentTimeMillis() - Double.parseDouble(launched) * 1000);
        Tensor x = Npy.read(input);
        Graph graph;
        try {
            graph = model.withWeights(x.shape());
        } catch (GraphException e) {
            throw new GraphException(input + ": " + e.getMessage(), e);
        }
        List<String> names = outputs == null ? List.of(graph.outputs().keySet().iterator().next()) : outputs;
        for (String n : names) graph.output(n);
        long start = System.nanoTime();
        long loaded = start;
        Map<String, Tensor> results = new LinkedHashMap<>();
        String engine;
        if (reference || dump != null) {
            engine = "reference interpreter";
            if (dump != null) Files.createDirectories(dump);
            int[] dumped = {0};
            Map<String, Tensor> all = ReferenceInterpreter.run(graph, Map.of(graph.inputs().getFirst().name(), x), (n, t) -> {
                if (dump == null) return;
                try {
                    Npy.write(dump.resolve(fileName(n.name()) + ".npy"), t);
                    dumped[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (dump != null) spec.commandLine().getOut().printf("%s: %d layer outputs written%n", dump, dumped[0]);
            for (String n : names) results.put(n, all.get(n));
        } else {
            Options options = engineOptions.applyOnce(threads == null ? Options.defaults() : Options.threads(threads),
                    x.shape().dim(0)).withOutputs(names);
            try (Model m = Model.load(graph, options); Session session = m.newSession(x.shape().dim(0))) {
                loaded = System.nanoTime();
                engine = "compiled engine, " + m.convolution() + " convolution" + (options.compact() ? ", compact kernels" : "")
                        + (m.weightsFromCache() ? ", packed weights from the cache" : "")
                        + ", " + m.threads() + " thread(s)";
                float[][] out = new float[names.size()][];
                for (int i = 0; i < out.length; i++) out[i] = new float[(int) session.outputShape(names.get(i)).elements()];
                session.run(x.data(), out);
                for (int i = 0; i < out.length; i++) results.put(names.get(i), new Tensor(session.outputShape(names.get(i)), out[i]));
            }
        }
        long ran = System.nanoTime();
        long bad = 0;
        int i = 0;
        for (var e : results.entrySet()) {
            Path file = i++ == 0 ? output : sibling(output, e.getKey());
            Npy.write(file, e.getValue());
            spec.commandLine().getOut().printf("%s: %s %s written%n", file, e.getKey(), e.getValue().shape());
            bad += NonFinite.count(e.getValue().data());
        }
        // Where a one-shot run's time goes: reading the input and the model, planning and packing the weights, the
        // inference itself (on a fresh JVM mostly waiting for the JIT), writing the outputs.
        spec.commandLine().getOut().printf("(%s, %s;%s read %.0f ms, plan and pack %.0f ms, run %.0f ms,"
                        + " write %.0f ms)%n", model.model, engine, startFigure, (start - called) / 1e6, (loaded - start) / 1e6,
                (ran - loaded) / 1e6, (System.nanoTime() - ran) / 1e6);
        if (checkFinite && bad > 0) {
            spec.commandLine().getErr().println("run: " + bad + " output values are NaN or infinite (outputs written)");
            return ExitCode.NON_FINITE;
        }
        return ExitCode.OK;
    }
}
