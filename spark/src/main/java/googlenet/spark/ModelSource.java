package googlenet.spark;

import googlenet.engine.image.Classifier;
import googlenet.engine.image.Preset;
import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Weights;
import googlenet.graph.io.SafeTensors;
import googlenet.graph.models.Builtins;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.onnx.OnnxImporter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The model as the driver read it, to be broadcast: a builtin's name or an ONNX file's bytes (read through Hadoop's
 * FileSystem, so {@code hdfs://} and {@code s3a://} paths work), and a builtin's weights (a safetensors file) when given.
 *
 * @param onnx    the ONNX file's bytes; null for a builtin
 * @param weights the safetensors file's bytes; null for a builtin's shipped or seeded weights and for ONNX models
 * @param sha256  of the name or ONNX bytes and of the weights: the executors' cache key
 */
record ModelSource(String model, String weightsPath, byte[] onnx, byte[] weights, String sha256) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final String BUILTIN = "builtin:";
    /** The weights of {@code builtin:d2l}, {@code torchvision} and {@code bvlc} when none are given (as the command line's {@code --seed 0}). */
    private static final long SEED = 0;

    static ModelSource read(String model, String weightsPath, Configuration hadoop) throws IOException {
        boolean builtin = model.startsWith(BUILTIN);
        if (builtin && !Builtins.NAMES.contains(model.substring(BUILTIN.length()))) {
            throw new IllegalArgumentException("model '" + model + "': unknown builtin; builtins are "
                    + String.join(", ", Builtins.NAMES.stream().map(n -> BUILTIN + n).toList()) + ", or give an .onnx file");
        }
        boolean hasWeights = !weightsPath.isEmpty();
        if (!builtin && hasWeights) throw new IllegalArgumentException("weights apply to builtin models; '" + model + "' brings its own");
        byte[] onnx = builtin ? null : readAll(model, hadoop);
        byte[] weights = hasWeights ? readAll(weightsPath, hadoop) : null;
        MessageDigest digest = newDigest();
        digest.update(builtin ? model.getBytes(java.nio.charset.StandardCharsets.UTF_8) : onnx);
        digest.update((byte) 0);
        if (weights != null) digest.update(weights);
        return new ModelSource(model, weightsPath, onnx, weights, HexFormat.of().formatHex(digest.digest()));
    }

    private static byte[] readAll(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        FileSystem fs = path.getFileSystem(hadoop);
        if (!fs.isFile(path)) throw new FileNotFoundException(file + ": no such file");
        long length = fs.getFileStatus(path).getLen();
        if (length > OnnxImporter.MAX_MODEL_BYTES) throw new IOException(file + ": " + length + " bytes, more than a Java array holds");
        byte[] bytes = new byte[(int) length];
        try (FSDataInputStream in = fs.open(path)) {
            in.readFully(0, bytes);
        }
        return bytes;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The network with its weights and how images become its input: {@code preset} (empty: the model's own kind)
     * at the network's input size. Throws IllegalArgumentException or IOException naming what does not fit.
     */
    Classifier classifier(String preset, long maxPixels) throws IOException {
        if (model.startsWith(BUILTIN)) return builtin(model.substring(BUILTIN.length()), preset, maxPixels);
        Graph graph = OnnxImporter.load(onnx, model);
        Preset p = preset.isEmpty() ? Preset.forOnnx(graph) : Preset.named(preset);
        Shape input = graph.inputs().getFirst().shape();
        if (input.rank() != 4 || input.dim(1) != p.channels() || input.dim(2) != input.dim(3)) {
            throw new IllegalArgumentException(model + ": input " + input + " does not take square " + p.channels() + "-channel images (preset " + p.name() + ")");
        }
        int side = input.dim(2);
        return Classifier.ofPreset(graph, p.withSize(p.resizeFor(side), side), maxPixels);
    }

    private Classifier builtin(String name, String preset, long maxPixels) throws IOException {
        Shape input = Builtins.defaultInput(name, 1);
        int defaultClasses = Builtins.defaultClasses(name);
        Graph graph;
        if (weights != null) {
            Weights given = SafeTensors.read(MemorySegment.ofArray(weights), weightsPath);
            int classes = Builtins.classesIn(Builtins.build(name, input, defaultClasses), given, defaultClasses);
            graph = Builtins.withWeights(Builtins.build(name, input, classes), given);
        } else {
            Graph structure = Builtins.build(name, input, defaultClasses);
            Weights shipped = Builtins.shippedWeights(name);
            graph = shipped != null ? structure.withWeights(shipped) : SeededWeights.apply(structure, SEED);
        }
        if (name.equals(D2lFashion.NAME)) {
            if (!preset.isEmpty()) {
                throw new IllegalArgumentException(BUILTIN + name + " takes images as Fashion-MNIST's (grayscale 28×28); a preset does not apply");
            }
            return Classifier.fashion(graph, maxPixels);
        }
        return Classifier.ofPreset(graph, preset.isEmpty() ? Preset.forBuiltin(name) : Preset.named(preset), maxPixels);
    }
}
