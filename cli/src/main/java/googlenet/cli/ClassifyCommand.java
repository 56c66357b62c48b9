package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Probabilities;
import googlenet.engine.ScoredClass;
import googlenet.engine.Session;
import googlenet.engine.TopK;
import googlenet.engine.image.ImagePreprocessor;
import googlenet.engine.image.Preset;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.ImageNetLabels;
import googlenet.graph.op.Softmax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Classify JPEG/PNG images: the top-k classes with their probabilities.",
                "Default preset: caffe for builtin:bvlc and ONNX models whose input is named data_0, torchvision otherwise.",
                "builtin:d2l-fashion takes any image as Fashion-MNIST's: grayscale, 28x28, inverted when its border is light.",
                "The crop is the model's input size (224 for builtins; an ONNX model's own size), the resize in proportion (256 for 224)."})
final class ClassifyCommand implements Callable<Integer> {
    private static final String CAFFE_INPUT = "data_0";

    @Mixin
    ModelOptions model;

    @Option(names = "--preset", paramLabel = "NAME", description = "torchvision (RGB, ImageNet mean/std) or caffe (BGR, 0-255 minus the mean).")
    String preset;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "Classes to print per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print a JSON array of {image, top: [{index, label, probability}]}.")
    boolean json;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (default: ImageNet-1k for 1000 classes).")
    Path labels;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B", description = "Images per run (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", paramLabel = "T", description = "Intra-op threads (default: available processors).")
    Integer threads;

    @Option(names = "--crop", paramLabel = "PIXELS", description = "Side of the centre crop the model sees (default: the model's input size).")
    Integer crop;

    @Option(names = "--resize", paramLabel = "PIXELS", description = "The shorter side before cropping (default: crop × 256 / 224).")
    Integer resize;

    @Option(names = "--max-megapixels", defaultValue = "50", paramLabel = "MP",
            description = "Refuse larger images, by their header, before decoding (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

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
        if (!(maxMegapixels > 0)) throw new BadInputException("--max-megapixels must be > 0, got " + maxMegapixels);
        boolean fashion = model.isBuiltin() && model.builtinName().equals(D2lFashion.NAME);
        Preset p = fashion ? null : sizedPreset();
        int b = Math.min(batch, images.size());
        Graph graph = model.withWeights(fashion ? D2lFashion.shipped().inputShape(b) : Shape.of(b, p.channels(), p.crop(), p.crop()));
        Node output = graph.output(graph.outputs().keySet().iterator().next());
        boolean probabilities = output.op() instanceof Softmax;
        int classes = output.shape().dim(1);
        List<String> names = fashion && labels == null ? D2lFashion.shipped().classes() : labels(classes);
        ImagePreprocessor preprocessor = fashion ? null : new ImagePreprocessor(p, (long) (maxMegapixels * 1e6));
        FashionImages fashionImages = fashion ? new FashionImages(D2lFashion.shipped().preprocessing(), (long) (maxMegapixels * 1e6)) : null;
        int imageSize = fashion ? fashionImages.imageSize() : p.imageSize();
        PrintWriter out = spec.commandLine().getOut();
        Progress progress = new Progress(spec.commandLine().getErr());
        List<Map<String, Object>> jsonResults = new ArrayList<>();
        String error = null;
        Options options = threads == null ? Options.defaults() : Options.threads(threads);
        try (Model m = Model.load(graph, options)) {
            Map<Integer, Session> sessions = new HashMap<>();
            int done = 0;
            while (done < images.size() && error == null) {
                int n = Math.min(b, images.size() - done);
                float[] x = new float[n * imageSize];
                int decoded = 0;
                for (; decoded < n; decoded++) {
                    try {
                        if (fashion) fashionImages.load(images.get(done + decoded), x, decoded);
                        else preprocessor.load(images.get(done + decoded), x, decoded);
                    } catch (IOException e) {
                        error = e.getMessage();
                        break;
                    }
                }
                if (decoded == 0) break;
                Session s = sessions.computeIfAbsent(decoded, m::newSession);
                float[] y = new float[decoded * classes];
                s.run(decoded == n ? x : Arrays.copyOf(x, decoded * imageSize), y);
                progress.done();
                for (int i = 0; i < decoded; i++) {
                    Classified c = classify(images.get(done + i), y, i * classes, classes, probabilities);
                    if (json) jsonResults.add(toJson(c, names));
                    else print(out, c, names);
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

    private Classified classify(Path image, float[] y, int from, int classes, boolean probabilities) {
        float[] scores = probabilities ? Arrays.copyOfRange(y, from, from + classes) : Probabilities.softmax(y, from, classes);
        return new Classified(image, TopK.of(scores, top));
    }

    private static String label(List<String> names, int index) {
        return names == null ? null : names.get(index);
    }

    private static void print(PrintWriter out, Classified c, List<String> names) {
        out.println(c.image());
        for (ScoredClass s : c.top()) {
            String label = label(names, s.index());
            out.printf("  %7.3f%%  %4d  %s%n", 100.0 * s.score(), s.index(), label == null ? "" : label);
        }
    }

    private static Map<String, Object> toJson(Classified c, List<String> names) {
        List<Map<String, Object>> top = new ArrayList<>();
        for (ScoredClass s : c.top()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", s.index());
            entry.put("label", label(names, s.index()));
            entry.put("probability", s.score());
            top.add(entry);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("image", c.image().toString());
        result.put("top", top);
        return result;
    }

    /** The class names: --labels, else ImageNet-1k for 1000 classes, else none. */
    private List<String> labels(int classes) throws IOException {
        if (labels == null) return classes == ImageNetLabels.labels().size() ? ImageNetLabels.labels() : null;
        List<String> names = Files.readAllLines(labels).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.size() != classes) {
            throw new BadInputException("--labels " + labels + " has " + names.size() + " labels, the model has " + classes + " classes");
        }
        return names;
    }

    /** The preset by --preset or the model's kind, at the model's input size unless --crop/--resize say otherwise. */
    private Preset sizedPreset() {
        Graph declared = model.isBuiltin() ? null : model.onnx();
        Preset p = preset != null ? Preset.named(preset)
                : model.isBuiltin() ? (model.builtinName().equals("bvlc") ? Preset.CAFFE : Preset.TORCHVISION)
                : declared.inputs().getFirst().name().equals(CAFFE_INPUT) ? Preset.CAFFE : Preset.TORCHVISION;
        int side = p.crop();
        if (declared != null) {
            Shape own = declared.inputs().getFirst().shape();
            if (own.rank() != 4 || own.dim(1) != p.channels()) {
                throw new BadInputException(model.model + ": input " + own + " does not take " + p.channels() + "-channel images (preset " + p.name() + ")");
            }
            side = own.dim(2);
            if (own.dim(3) != side && crop == null) throw new BadInputException(model.model + ": input " + own + " is not square; give --crop");
        }
        int c = crop != null ? crop : side;
        int r = resize != null ? resize : (int) ((long) c * p.resize() / p.crop());
        if (c < 1 || r < c) throw new BadInputException("need 1 ≤ --crop ≤ --resize, got crop " + c + ", resize " + r);
        return p.withSize(r, c);
    }
}
