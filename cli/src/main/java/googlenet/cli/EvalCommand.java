package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.WarmUpReport;
import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.FashionMnist;
import googlenet.graph.models.FashionPreprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Accuracy of a Fashion-MNIST classifier on the test set, with the preprocessing {@code d2l-fashion} was trained with.
 * Stopped with Ctrl-C, it prints what it has evaluated so far.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Evaluate a Fashion-MNIST classifier (default builtin:d2l-fashion) on the test set: accuracy, per-class accuracy,",
                "confusion matrix, images/s, and whether its predictions equal PyTorch's."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz] (default: " + "/usr/share/datasets/fashion-mnist" + ", Debian's dataset-fashion-mnist).")
    Path data;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate the first N test images only.")
    Integer limit;

    @Option(names = "--threads", paramLabel = "T", description = "Intra-op threads (default: available processors).")
    Integer threads;

    @Option(names = "--batch", defaultValue = "50", paramLabel = "B", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--json", description = "Print a JSON object instead of the report.")
    boolean json;

    /**
     * Set once the model is warmed up; read by the report, also from the Ctrl-C hook. Null when the evaluation was short
     * enough to run without one (see {@link #ONCE_IMAGES}).
     */
    private volatile WarmUpReport warmUp;

    /**
     * Up to this many images, eval runs on the compact kernels without a JIT warm-up: the warm-up takes 6–7 s for d2l
     * on this 2-vCPU machine, while the compact kernels cost a few milliseconds more per 224×224 image.
     */
    static final int ONCE_IMAGES = 256;

    @Option(names = "--svg", paramLabel = "cm.svg", description = "Also draw the confusion matrix as an SVG picture.")
    Path svg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (spec.commandLine().getParseResult().matchedOption("--model") == null) model.model = ModelOptions.BUILTIN + D2lFashion.NAME;
        if (batch < 1) throw new BadInputException("--batch must be ≥ 1, got " + batch);
        if (limit != null && limit < 1) throw new BadInputException("--limit must be ≥ 1, got " + limit);
        Path dir = data != null ? data : FashionMnist.DEBIAN_DIR;
        if (data == null && !FashionMnist.present(dir)) throw new BadInputException("no Fashion-MNIST test set: " + FashionMnist.HOW_TO_GET);
        FashionMnist.TestSet testSet = FashionMnist.readTestSet(dir);
        if (limit != null) testSet = testSet.first(limit);
        int n = testSet.size();
        int b = Math.min(batch, n);

        Graph graph = model.withWeights(Shape.of(b, 3, 224, 224));
        Shape in = graph.inputs().getFirst().shape();
        int side = in.dim(3);
        if (in.rank() != 4 || in.dim(1) != 1 || in.dim(2) != side || side % FashionMnist.SIDE != 0) {
            throw new BadInputException(model.model + ": input " + in + "; eval needs N×1×S×S with S a multiple of 28 (Fashion-MNIST's 28×28 grayscale)");
        }
        D2lFashion shipped = D2lFashion.shipped();
        FashionPreprocessing pre = new FashionPreprocessing(shipped.preprocessing().mean(), shipped.preprocessing().std(), side / FashionMnist.SIDE);
        List<String> classes = shipped.classes();
        Progress progress = new Progress(spec.commandLine().getErr());
        Evaluation eval = new Evaluation(classes);
        long[] elapsedNanos = {0};
        Thread onInterrupt = new Thread(() -> report(eval, elapsedNanos[0], true));
        // A short evaluation skips the warm-up and runs the compact kernels (the same bits): see ONCE_IMAGES.
        boolean once = n <= ONCE_IMAGES;
        Options options = engineOptions.apply(threads == null ? Options.defaults() : Options.threads(threads)).withCompact(once);
        try (Model m = Model.load(graph, options); Session session = m.newSession(b)) {
            int k = (int) session.outputShape(session.outputNames().getFirst()).dim(1);
            if (k != classes.size()) throw new BadInputException(model.model + ": " + k + " classes; Fashion-MNIST has " + classes.size());
            if (!once) {
                progress.message("warming up (JIT)…");
                warmUp = m.warmUp(b);
            }
            float[] table = pre.table();
            float[] x = new float[b * pre.outputFloats()];
            float[] y = new float[b * k];
            byte[] pixels = testSet.images().data();
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            progress.done();
            spec.commandLine().getErr().println("eval: " + n + " images in batches of " + b + "; Ctrl-C stops and prints what was evaluated so far");
            spec.commandLine().getErr().flush();
            long start = System.nanoTime();
            for (int first = 0; first < n; first += b) {
                int count = Math.min(b, n - first);
                for (int i = 0; i < b; i++) pre.apply(table, pixels, first + Math.min(i, count - 1), x, i * pre.outputFloats());
                session.run(x, y);
                synchronized (eval) {
                    for (int i = 0; i < count; i++) eval.add(testSet.label(first + i), Evaluation.argmax(y, i * k, k));
                    elapsedNanos[0] = System.nanoTime() - start;
                }
                progress.step(first + count, n);
            }
            progress.done();
        } finally {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        }
        report(eval, elapsedNanos[0], false);
        if (svg != null) {
            Files.writeString(svg, ConfusionMatrixSvg.render(classes, eval.confusion(),
                    model.model + " on Fashion-MNIST: " + eval.correct() + "/" + eval.total() + " correct"));
            if (!json) spec.commandLine().getOut().println("confusion matrix: " + svg);
        }
        return ExitCode.OK;
    }

    private void report(Evaluation eval, long elapsedNanos, boolean interrupted) {
        synchronized (eval) {
            PrintWriter out = spec.commandLine().getOut();
            double imagesPerSecond = elapsedNanos == 0 ? 0 : eval.total() / (elapsedNanos / 1e9);
            boolean shippedModel = model.model.equals(ModelOptions.BUILTIN + D2lFashion.NAME) && model.weights == null;
            D2lFashion shipped = D2lFashion.shipped();
            boolean wholeTestSet = eval.total() == shipped.testTotal();
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("model", model.model);
            r.putAll(eval.toJson());
            r.put("imagesPerSecond", Math.round(imagesPerSecond * 10) / 10.0);
            r.put("interrupted", interrupted);
            if (warmUp != null) {
                r.put("warmUpMs", warmUp.took().toMillis());
                r.put("warmUpSteady", warmUp.steady());
            }
            if (shippedModel && wholeTestSet) {
                r.put("pytorchAccuracy", shipped.testAccuracy());
                r.put("pytorchPredictionsSha256", shipped.testPredictionsSha256());
                r.put("matchesPytorch", shipped.testPredictionsSha256().equals(eval.predictionsSha256()));
            }
            if (json) {
                out.println(Json.write(r));
                out.flush();
                return;
            }
            out.printf("%s on Fashion-MNIST: %d/%d correct, accuracy %.2f %%%s%n", model.model, eval.correct(), eval.total(),
                    100 * eval.accuracy(), interrupted ? " (interrupted)" : "");
            out.printf("throughput: %.1f images/s%n", imagesPerSecond);
            if (warmUp != null) {
                out.printf("JIT warm-up: %d ms (%s)%n", warmUp.took().toMillis(),
                        warmUp.steady() ? "steady" : "stopped before steady state: see the warning above");
            }
            out.printf("predictions SHA-256: %s%n", eval.predictionsSha256());
            if (shippedModel && wholeTestSet) {
                boolean same = shipped.testPredictionsSha256().equals(eval.predictionsSha256());
                out.printf("PyTorch: %d/%d correct (%.2f %%); predictions %s%n", shipped.testCorrect(), shipped.testTotal(),
                        100 * shipped.testAccuracy(), same ? "identical (same SHA-256)" : "DIFFER (SHA-256 " + shipped.testPredictionsSha256() + ")");
            }
            out.println();
            printConfusion(out, eval);
            out.flush();
        }
    }

    private static void printConfusion(PrintWriter out, Evaluation eval) {
        List<String> classes = eval.classes();
        long[][] m = eval.confusion();
        double[] perClass = eval.perClassAccuracy();
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        out.printf("%-12s", "");
        for (int c = 0; c < classes.size(); c++) out.printf("%6d", c);
        out.printf("  %s%n", "accuracy");
        for (int r = 0; r < classes.size(); r++) {
            out.printf("%d %-10s", r, abbreviate(classes.get(r)));
            for (long v : m[r]) out.printf("%6d", v);
            out.printf("  %s%n", Double.isNaN(perClass[r]) ? "-" : String.format("%.1f %%", 100 * perClass[r]));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 10 ? s : s.substring(0, 10);
    }
}
