package example;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.ScoredClass;
import googlenet.engine.Session;
import googlenet.engine.image.Classifier;
import googlenet.engine.image.ImageDecoder;
import googlenet.graph.Graph;
import googlenet.graph.models.Builtins;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies images with {@code builtin:d2l-fashion} (the d2l GoogLeNet trained on Fashion-MNIST, weights shipped in
 * the library) and prints each image's top 3 classes. Usage: {@code java --add-modules jdk.incubator.vector
 * --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp ... example.Embed IMAGE...}
 */
public final class Embed {
    private Embed() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: example.Embed IMAGE...");
            System.exit(2);
        }
        for (String line : classify(args)) System.out.println(line);
    }

    /** One line per image: its path, then its top 3 classes with their probabilities. */
    public static List<String> classify(String... images) throws IOException {
        int batch = images.length;
        String name = "d2l-fashion";
        Graph graph = Builtins.build(name, Builtins.defaultInput(name, batch), Builtins.defaultClasses(name))
                .withWeights(Builtins.shippedWeights(name));
        Classifier classifier = Classifier.fashion(graph, ImageDecoder.DEFAULT_MAX_PIXELS);
        float[] input = new float[batch * classifier.input().imageSize()];
        for (int i = 0; i < batch; i++) classifier.input().load(Path.of(images[i]), input, i);
        float[] output = new float[batch * classifier.classes()];
        try (Model model = Model.load(graph, Options.threads(1));
             Session session = model.newSession(batch)) {         // the session's batch is the number of images
            session.run(input, output);
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            StringBuilder line = new StringBuilder(images[i]).append(':');
            for (ScoredClass c : classifier.top(output, i, 3)) {
                line.append(String.format("  %s %.1f%%", classifier.label(c.index()), 100 * c.score()));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
