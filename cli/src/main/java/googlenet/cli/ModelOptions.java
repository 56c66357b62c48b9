package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import picocli.CommandLine.Option;

/** {@code --model builtin:NAME}, {@code --classes}, {@code --seed}: which network, and its weights. */
final class ModelOptions {
    static final String BUILTIN = "builtin:";

    @Option(names = "--model", defaultValue = "builtin:d2l", paramLabel = "MODEL",
            description = "builtin:d2l, builtin:torchvision or builtin:bvlc (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--classes", paramLabel = "K", description = "Number of classes (default: 1000).")
    Integer classes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the deterministic weights used when no weights are given (default: ${DEFAULT-VALUE}).")
    long seed;

    String builtinName() {
        if (!model.startsWith(BUILTIN)) {
            throw new BadInputException("--model '" + model + "': only builtin models (" + String.join(", ",
                    Builtins.NAMES.stream().map(n -> BUILTIN + n).toList()) + ") are supported so far");
        }
        return model.substring(BUILTIN.length());
    }

    /** The network's structure for this input shape. */
    Graph structure(Shape input, int defaultClasses) {
        return Builtins.build(builtinName(), input, classes == null ? defaultClasses : classes);
    }

    /** The network with its weights, ready to run. */
    Graph withWeights(Shape input) {
        return SeededWeights.apply(structure(input, Builtins.DEFAULT_CLASSES), seed);
    }
}
