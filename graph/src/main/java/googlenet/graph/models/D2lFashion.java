package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.Weights;
import googlenet.graph.io.FormatException;
import googlenet.graph.io.Idx;
import googlenet.graph.io.JsonParser;
import googlenet.graph.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code builtin:d2l-fashion}: the d2l network (1 input channel, 10 classes) with the weights {@code tools/train_fashion.py}
 * trained on Fashion-MNIST, shipped as resources beside this class ({@code d2l-fashion/weights.safetensors} and
 * {@code d2l-fashion/model.json}, which records the preprocessing and PyTorch's test-set results).
 */
public final class D2lFashion {
    public static final String NAME = "d2l-fashion";
    private static final String DIR = NAME + "/";
    private static volatile D2lFashion shipped;

    private final Weights weights;
    private final FashionPreprocessing preprocessing;
    private final List<String> classes;
    private final double testAccuracy;
    private final int testCorrect;
    private final int testTotal;
    private final String testPredictionsSha256;

    private D2lFashion(Weights weights, Map<?, ?> meta, String source) throws FormatException {
        this.weights = weights;
        Map<?, ?> pre = object(meta, "preprocessing", source);
        List<?> input = list(meta, "input", source);
        int side = number(input.get(input.size() - 1), "input", source).intValueExact();
        if (side % FashionMnist.SIDE != 0) throw new FormatException(source + ": input side " + side + " is not a multiple of 28");
        this.preprocessing = new FashionPreprocessing(number(pre.get("mean"), "mean", source).doubleValue(),
                number(pre.get("std"), "std", source).doubleValue(), side / FashionMnist.SIDE);
        this.classes = list(meta, "classes", source).stream().map(Object::toString).toList();
        this.testAccuracy = number(meta.get("testAccuracy"), "testAccuracy", source).doubleValue();
        this.testCorrect = number(meta.get("testCorrect"), "testCorrect", source).intValueExact();
        this.testTotal = number(meta.get("testTotal"), "testTotal", source).intValueExact();
        this.testPredictionsSha256 = String.valueOf(meta.get("testPredictionsSha256"));
    }

    /** The shipped model, read from the module's resources on first use. */
    public static D2lFashion shipped() {
        D2lFashion m = shipped;
        if (m == null) {
            synchronized (D2lFashion.class) {
                m = shipped;
                if (m == null) shipped = m = load();
            }
        }
        return m;
    }

    private static D2lFashion load() {
        String metaName = DIR + "model.json";
        String weightsName = DIR + "weights.safetensors";
        try (InputStream metaIn = open(metaName); InputStream weightsIn = open(weightsName)) {
            String json = new String(metaIn.readAllBytes(), StandardCharsets.UTF_8);
            if (!(JsonParser.parse(metaName, json) instanceof Map<?, ?> meta)) throw new FormatException(metaName + ": not a JSON object");
            return new D2lFashion(SafeTensors.read(MemorySegment.ofArray(weightsIn.readAllBytes()), weightsName), meta, metaName);
        } catch (IOException e) {
            throw new UncheckedIOException("builtin:" + NAME + ": cannot read its shipped resources", e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = D2lFashion.class.getResourceAsStream(name);
        if (in == null) throw new IOException(name + " is missing from the googlenet.graph module");
        return in;
    }

    /**
     * The first test images of Fashion-MNIST (500), shipped beside the weights so that the demo and the tests have real
     * images without the dataset; {@code tools/make_fashion_fixtures.py} writes them with PyTorch's predictions.
     */
    public FashionMnist.TestSet samples() {
        String images = DIR + "samples-images-idx3-ubyte.gz";
        String labels = DIR + "samples-labels-idx1-ubyte.gz";
        try (InputStream i = open(images); InputStream l = open(labels)) {
            return FashionMnist.testSet(Idx.read(images, i), Idx.read(labels, l));
        } catch (IOException e) {
            throw new UncheckedIOException("builtin:" + NAME + ": cannot read its shipped samples", e);
        }
    }

    /** The input shape for {@code batch} images: batch × 1 × 56 × 56. */
    public Shape inputShape(int batch) {
        return Shape.of(batch, 1, preprocessing.outputSide(), preprocessing.outputSide());
    }

    /** The d2l graph with the shipped weights, for {@code batch} images. */
    public Graph graph(int batch) {
        return structure(inputShape(batch)).withWeights(weights);
    }

    /** The d2l graph for this input shape, without weights. */
    public Graph structure(Shape input) {
        return D2lGoogLeNet.build(input, classes.size());
    }

    public Weights weights() {
        return weights;
    }

    public FashionPreprocessing preprocessing() {
        return preprocessing;
    }

    public List<String> classes() {
        return classes;
    }

    /** PyTorch's accuracy on the 10,000 test images with the shipped weights (a fraction). */
    public double testAccuracy() {
        return testAccuracy;
    }

    public int testCorrect() {
        return testCorrect;
    }

    public int testTotal() {
        return testTotal;
    }

    /** SHA-256 (hex) of PyTorch's test predictions, one byte each in test-set order. */
    public String testPredictionsSha256() {
        return testPredictionsSha256;
    }

    private static Map<?, ?> object(Map<?, ?> m, String key, String source) throws FormatException {
        if (m.get(key) instanceof Map<?, ?> o) return o;
        throw new FormatException(source + ": '" + key + "' is not an object");
    }

    private static List<?> list(Map<?, ?> m, String key, String source) throws FormatException {
        if (m.get(key) instanceof List<?> l && !l.isEmpty()) return l;
        throw new FormatException(source + ": '" + key + "' is not a non-empty array");
    }

    private static BigDecimal number(Object v, String key, String source) throws FormatException {
        if (v instanceof BigInteger i) return new BigDecimal(i);
        if (v instanceof BigDecimal d) return d;
        throw new FormatException(source + ": '" + key + "' is not a number: " + v);
    }
}
