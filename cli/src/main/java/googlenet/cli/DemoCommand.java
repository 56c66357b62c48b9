package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.Builtins;
import googlenet.graph.models.ImageNetLabels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;

/** The main job on the builtin network: the layer walk, the summary table and one inference. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Walk the layers of the seed's network, print its summary and classify one image with seeded weights.")
final class DemoCommand implements Runnable {
    private static final Shape WALK_INPUT = Shape.of(1, 3, 227, 227);

    @Mixin
    ModelOptions model;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("== Layer walk: " + model.model + ", input " + WALK_INPUT + ", 10 classes (the seed's walk) ==");
        WalkCommand.print(out, model, WALK_INPUT);
        out.println();
        out.println("== Summary: " + model.model + ", input " + Builtins.DEFAULT_INPUT + " ==");
        SummaryCommand.print(out, model, Builtins.DEFAULT_INPUT, null, false);
        out.println();
        out.println("== One inference: reference interpreter, seeded weights (seed " + model.seed
                + "), a seeded random image ==");
        Graph graph = model.withWeights(Builtins.DEFAULT_INPUT);
        Tensor image = randomImage(Builtins.DEFAULT_INPUT, model.seed);
        long start = System.nanoTime();
        Tensor scores = ReferenceInterpreter.run(graph, image);
        double ms = (System.nanoTime() - start) / 1e6;
        out.printf("%s in %.0f ms; top 5 of %d classes:%n", scores.shape(), ms, scores.shape().dim(1));
        List<String> labels = scores.shape().dim(1) == 1000 ? ImageNetLabels.labels() : null;
        for (int i : googlenet.engine.TopK.indices(scores.data(), 5)) {
            out.printf("  %4d  %-28s %+.6f%n", i, labels == null ? "" : labels.get(i), scores.data()[i]);
        }
        out.println("(The weights are seeded, not trained: the classes are arbitrary until trained weights ship.)");
        out.println();
        out.println("== The same inference on the compiled engine (Vector API kernels, " + Runtime.getRuntime().availableProcessors()
                + " threads) ==");
        try (Model model = Model.load(graph, Options.defaults()); Session session = model.newSession(1)) {
            float[] y = new float[scores.data().length];
            long cold = System.nanoTime();
            session.run(image.data(), y);
            double coldMs = (System.nanoTime() - cold) / 1e6;
            long warm = System.nanoTime();
            model.warmUp(1);
            double warmUpMs = (System.nanoTime() - warm) / 1e6;
            long t = System.nanoTime();
            session.run(image.data(), y);
            double runMs = (System.nanoTime() - t) / 1e6;
            double maxDiff = 0;
            for (int i = 0; i < y.length; i++) maxDiff = Math.max(maxDiff, Math.abs(y[i] - scores.data()[i]));
            out.printf("first run %.0f ms (JIT cold), warm-up %.0f ms, then %.1f ms per image; max |difference| from the "
                    + "reference %.2e (max |y| %.2e); same top 5: %s%n", coldMs, warmUpMs, runMs, maxDiff, scores.maxAbs(),
                    java.util.Arrays.equals(googlenet.engine.TopK.indices(y, 5), googlenet.engine.TopK.indices(scores.data(), 5)));
        }
    }

    static Tensor randomImage(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) t.data()[i] = (float) random.nextGaussian();
        return t;
    }
}
