package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.ScoredClass;
import googlenet.engine.Session;
import googlenet.engine.image.Classifier;
import googlenet.engine.image.ImageInput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Images to top-k labels: preprocessed by a preset, run in batches on the compiled engine, probabilities by softmax
 * (or the model's own Softmax). Stops at the first image it cannot read, after printing the ones before it.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = {"Classify JPEG/PNG images: the top-k classes with their probabilities.",
                "Default preset: caffe for builtin:bvlc and ONNX models whose input is named data_0, torchvision otherwise.",
                "The crop is the model's input size (224 for builtins; an ONNX model's own size), the resize in proportion (256 for 224)."})
final class ClassifyCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engineOptions;

    @Mixin
    ImageOptions imageOptions;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Classes to print per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print a JSON array of {image, top: [{index, label, probability}]}.")
    boolean json;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "T", description = "Intra-op threads (default: available processors).")
    Integer threads;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG or PNG files.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    private record Classified(Path image, List<ScoredClass> top) {
    }

    @Override
    public Integer call() throws IOException {
        if (top < 1) throw new BadInputException("--top must be ≥ 1, got " + top);
        if (batch < 1) throw new BadInputException("--batch must be ≥ 1, got " + batch);
        int b = Math.min(batch, images.size());
        Classifier classifier = imageOptions.classifier(model, b);
        ImageInput input = classifier.input();
        int classes = classifier.classes();
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        List<Map<String, Object>> jsonResults = new ArrayList<>();
        String error = null;
        Options options = engineOptions.applyOnce(threads == null ? Options.defaults() : Options.threads(threads), images.size());
        try (Model m = Model.load(classifier.graph(), options)) {
            Map<Integer, Session> sessions = new HashMap<>();
            int done = 0;
            while (done < images.size() && error == null) {
                int n = Math.min(b, images.size() - done);
                float[] x = new float[n * input.imageSize()];
                int decoded = 0;
                for (; decoded < n; decoded++) {
                    try {
                        input.load(images.get(done + decoded), x, decoded);
                    } catch (IOException e) {
                        error = e.getMessage();
                        break;
                    }
                }
                if (decoded == 0) break;
                Session s = sessions.computeIfAbsent(decoded, m::newSession);
                float[] y = new float[decoded * classes];
                s.run(decoded == n ? x : Arrays.copyOf(x, decoded * input.imageSize()), y);
                progress.done();
                for (int i = 0; i < decoded; i++) {
                    Classified c = new Classified(images.get(done + i), classifier.top(y, i, top));
                    if (json) jsonResults.add(toJson(c, classifier));
                    else print(out, c, classifier);
                }
                out.flush();
                done += decoded;
                if (images.size() > b) progress.step(done, images.size());
            }
            progress.done();
            sessions.values().forEach(Session::close);
        }
        if (json) out.println(Json.write(jsonResults));
        if (error != null) {
            spec.commandLine().getErr().println("classify: " + error);
            return ExitCode.BAD_INPUT;
        }
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, Classified c, Classifier classifier) {
        out.println(c.image());
        for (ScoredClass s : c.top()) {
            String label = classifier.label(s.index());
            out.printf("  %7.3f%%  %4d  %s%n", 100.0 * s.score(), s.index(), label == null ? "" : label);
        }
    }

    private static Map<String, Object> toJson(Classified c, Classifier classifier) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", c.image().toString());
        result.put("top", ClassScores.json(c.top(), classifier));
        return result;
    }
}
