package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Probabilities;
import googlenet.engine.Session;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.FashionMnist;
import googlenet.graph.models.FashionPreprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The main job: the seed's layer walk, the summary of the shipped network, and real predictions — Fashion-MNIST test
 * images classified by {@code builtin:d2l-fashion} on the compiled engine, checked against the reference interpreter,
 * shown in the terminal and drawn as a picture.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Walk the layers of the seed's network, summarize builtin:d2l-fashion (the d2l network trained on Fashion-MNIST)",
                "and classify shipped Fashion-MNIST test images with it; the images and labels are drawn to --grid."})
final class DemoCommand implements Callable<Integer> {
    private static final Shape WALK_INPUT = Shape.of(1, 3, 227, 227);

    @Option(names = "--images", defaultValue = "12", paramLabel = "N", description = "Test images to classify, 1 to 500 (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--grid", defaultValue = "googlenet-demo.svg", paramLabel = "FILE.svg",
            description = "Where to draw the images with their true and predicted labels (default: ${DEFAULT-VALUE}).")
    Path grid;

    @Spec
    CommandSpec spec;

    private static ModelOptions builtin(String name) {
        ModelOptions m = new ModelOptions();
        m.model = ModelOptions.BUILTIN + name;
        return m;
    }

    @Override
    public Integer call() throws IOException {
        if (images < 1 || images > 500) throw new BadInputException("--images must be 1 to 500, got " + images);
        PrintWriter out = spec.commandLine().getOut();
        out.println("== Layer walk: builtin:d2l, input " + WALK_INPUT + ", 10 classes (the seed's walk) ==");
        WalkCommand.print(out, builtin("d2l"), WALK_INPUT);
        out.println();

        D2lFashion fashion = D2lFashion.shipped();
        Shape input = fashion.inputShape(images);
        out.println("== Summary: builtin:" + D2lFashion.NAME + ", input " + input.with(0, 1) + " (the d2l network trained on Fashion-MNIST) ==");
        SummaryCommand.print(out, builtin(D2lFashion.NAME), input.with(0, 1), null, false);
        out.println();

        FashionMnist.TestSet samples = fashion.samples().first(images);
        FashionPreprocessing pre = fashion.preprocessing();
        float[] table = pre.table();
        float[] x = new float[images * pre.outputFloats()];
        for (int i = 0; i < images; i++) pre.apply(table, samples.images().data(), i, x, i * pre.outputFloats());
        Graph graph = fashion.graph(images);
        List<String> classes = fashion.classes();
        int k = classes.size();
        out.println("== " + images + " Fashion-MNIST test images (shipped samples) on the compiled engine, "
                + Runtime.getRuntime().availableProcessors() + " threads ==");
        float[] y = new float[images * k];
        double coldMs;
        double warmMs;
        try (Model model = Model.load(graph, Options.defaults()); Session session = model.newSession(images)) {
            long t = System.nanoTime();
            session.run(x, y);
            coldMs = (System.nanoTime() - t) / 1e6;
            model.warmUp(images);
            t = System.nanoTime();
            session.run(x, y);
            warmMs = (System.nanoTime() - t) / 1e6;
        }
        List<FashionGridSvg.Item> items = new ArrayList<>();
        int correct = 0;
        out.printf("  %3s  %-12s %-12s %s%n", "#", "true", "predicted", "probability");
        for (int i = 0; i < images; i++) {
            int predicted = Evaluation.argmax(y, i * k, k);
            double p = Probabilities.softmax(y, i * k, k)[predicted];
            String truth = classes.get(samples.label(i));
            boolean right = predicted == samples.label(i);
            if (right) correct++;
            out.printf("  %3d  %-12s %-12s %5.1f %%  %s%n", i, truth, classes.get(predicted), 100 * p, right ? "right" : "WRONG");
            items.add(new FashionGridSvg.Item(Arrays.copyOfRange(samples.images().data(), i * 784, (i + 1) * 784), truth, classes.get(predicted), p));
        }
        out.printf("%d of %d right. %d images: first run %.0f ms (JIT cold), after warm-up %.1f ms (%.2f ms per image).%n",
                correct, images, images, coldMs, warmMs, warmMs / images);

        Tensor reference = ReferenceInterpreter.run(graph, new Tensor(input, x));
        double maxDiff = 0;
        boolean samePredictions = true;
        for (int i = 0; i < images; i++) {
            samePredictions &= Evaluation.argmax(y, i * k, k) == Evaluation.argmax(reference.data(), i * k, k);
            for (int c = 0; c < k; c++) maxDiff = Math.max(maxDiff, Math.abs(y[i * k + c] - reference.data()[i * k + c]));
        }
        out.printf("Reference interpreter (scalar, NCHW, double accumulation): %s predictions, max |logit difference| %.2e (max |logit| %.2e).%n",
                samePredictions ? "the same" : "DIFFERENT", maxDiff, reference.maxAbs());
        out.printf("PyTorch on the whole test set with these weights: %.2f %% (%d/%d); ./googlenet eval checks the engine gives the same.%n",
                100 * fashion.testAccuracy(), fashion.testCorrect(), fashion.testTotal());
        Path parent = grid.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(grid, FashionGridSvg.render("builtin:" + D2lFashion.NAME + " on " + images + " Fashion-MNIST test images: "
                + correct + " right", items));
        out.println("Images with their labels: " + grid.toAbsolutePath());
        return ExitCode.OK;
    }

    static Tensor randomImage(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) t.data()[i] = (float) random.nextGaussian();
        return t;
    }
}
