package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Weights;
import googlenet.graph.io.SafeTensors;
import googlenet.graph.models.Builtins;
import googlenet.graph.onnx.OnnxImporter;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code --model builtin:NAME | file.onnx}, {@code --weights}, {@code --classes}, {@code --seed}: which network, and
 * its weights.
 */
final class ModelOptions {
    static final String BUILTIN = "builtin:";

    @Option(names = "--model", defaultValue = "builtin:d2l", paramLabel = "MODEL",
            description = "builtin:d2l, builtin:torchvision, builtin:bvlc, builtin:d2l-fashion (trained on Fashion-MNIST) or an .onnx file (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--weights", paramLabel = "FILE.safetensors",
            description = "Weights of a builtin model by PyTorch state_dict names (F32 or F16; num_batches_tracked ignored).")
    Path weights;

    @Option(names = "--classes", paramLabel = "K", description = "Number of classes of a builtin model (default: 1000, or what --weights holds).")
    Integer classes;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the deterministic weights used when no weights are given (default: ${DEFAULT-VALUE}).")
    long seed;

    private Graph onnx;
    private Weights loadedWeights;

    boolean isBuiltin() {
        return model.startsWith(BUILTIN);
    }

    String builtinName() {
        if (!isBuiltin()) throw new BadInputException("--model '" + model + "': this command takes only builtin models (" + String.join(", ",
                Builtins.NAMES.stream().map(n -> BUILTIN + n).toList()) + ")");
        return model.substring(BUILTIN.length());
    }

    /** The imported ONNX model (with its weights) at its own input shape, loaded once. */
    Graph onnx() {
        if (onnx == null) {
            if (weights != null) throw new BadInputException("--weights applies to builtin models; '" + model + "' brings its own");
            if (classes != null) throw new BadInputException("--classes applies to builtin models; '" + model + "' has its own classifier");
            try {
                onnx = OnnxImporter.load(Path.of(model));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return onnx;
    }

    private Weights weights() {
        if (loadedWeights == null && weights != null) {
            try {
                loadedWeights = SafeTensors.read(weights);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loadedWeights;
    }

    /**
     * An imported model for the requested input: its own shape when the request differs only by the command's default
     * image size (so that a 112×112 model runs with {@code --shape} unset), else exactly the request.
     */
    private static Graph reshape(Graph g, Shape requested) {
        Shape own = g.inputs().getFirst().shape();
        if (own.equals(requested)) return g;
        try {
            return g.withInputShape(requested);
        } catch (GraphException e) {
            int[] r = requested.dims();
            int[] d = Builtins.DEFAULT_INPUT.dims();
            if (r.length == d.length && own.rank() == r.length && Arrays.equals(Arrays.copyOfRange(r, 1, r.length), Arrays.copyOfRange(d, 1, d.length))) {
                return g.withInputShape(own.with(0, requested.dim(0)));
            }
            throw e;
        }
    }

    /**
     * The builtin's own input when the request is the commands' default image (3×224×224) and the builtin is made for
     * another ({@code d2l-fashion}: 1×56×56), keeping the batch; else the request.
     */
    private static Shape builtinInput(String name, Shape requested) {
        Shape own = Builtins.defaultInput(name, requested.rank() == 4 ? requested.dim(0) : 1);
        boolean defaultImage = requested.rank() == 4 && requested.equals(Builtins.DEFAULT_INPUT.with(0, requested.dim(0)));
        return defaultImage ? own : requested;
    }

    /** The network's structure for this input shape. */
    Graph structure(Shape input, int defaultClasses) {
        if (!isBuiltin()) return reshape(onnx(), input);
        String name = builtinName();
        input = builtinInput(name, input);
        if (defaultClasses == Builtins.DEFAULT_CLASSES) defaultClasses = Builtins.defaultClasses(name);
        int k = classes != null ? classes : defaultClasses;
        if (classes == null && weights() != null) k = Builtins.classesIn(Builtins.build(name, input, k), weights(), k);
        return Builtins.build(name, input, k);
    }

    /**
     * Refuses an input shape the weights cannot take (a builtin's shipped weights, or {@code --weights}), as running
     * would: {@code summary} must not describe a network that {@code run} then refuses.
     */
    void checkWeightsFit(Shape input) {
        if (isBuiltin() && (weights != null || Builtins.shippedWeights(builtinName()) != null)) withWeights(input);
    }

    /** The network with its weights, ready to run. */
    Graph withWeights(Shape input) {
        Graph g = structure(input, Builtins.DEFAULT_CLASSES);
        if (!isBuiltin()) return g;
        if (weights() == null) {
            Weights shipped = Builtins.shippedWeights(builtinName());
            return shipped != null ? g.withWeights(shipped) : SeededWeights.apply(g, seed);
        }
        try {
            return Builtins.withWeights(g, weights());
        } catch (GraphException e) {
            throw new GraphException(weights + ": " + e.getMessage(), e);
        }
    }
}
