package googlenet.engine.image;

import googlenet.engine.Probabilities;
import googlenet.engine.ScoredClass;
import googlenet.engine.TopK;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.ImageNetLabels;
import googlenet.graph.op.Softmax;

import java.util.Arrays;
import java.util.List;

/**
 * What classifying images with a network takes: the network with its weights, how an image becomes its input, its class
 * count, whether it ends in Softmax, and the class names (null when unnamed). Shared by the command line's
 * {@code classify} and {@code serve} and the Spark transformer, so that they cannot prepare or score images apart.
 */
public record Classifier(Graph graph, ImageInput input, int classes, boolean modelHasSoftmax, List<String> names) {
    /** {@code builtin:d2l-fashion} (the d2l structure at 1×56×56): images as Fashion-MNIST's, its ten class names. */
    public static Classifier fashion(Graph graph, long maxPixels) {
        D2lFashion fashion = D2lFashion.shipped();
        return new Classifier(graph, new FashionImages(fashion.preprocessing(), maxPixels), fashion.classes().size(), false, fashion.classes());
    }

    /** An ImageNet-style network fed by {@code preset}; named by {@link #defaultNames}. */
    public static Classifier ofPreset(Graph graph, Preset preset, long maxPixels) {
        Node output = graph.output(graph.outputs().keySet().iterator().next());
        int classes = output.shape().dim(1);
        return new Classifier(graph, new ImageInput.OfPreset(preset, maxPixels), classes, output.op() instanceof Softmax, defaultNames(classes));
    }

    /** ImageNet-1k's class names for 1000 classes, else none (null). */
    public static List<String> defaultNames(int classes) {
        return classes == ImageNetLabels.labels().size() ? ImageNetLabels.labels() : null;
    }

    public Classifier withNames(List<String> classNames) {
        return new Classifier(graph, input, classes, modelHasSoftmax, classNames);
    }

    /**
     * The top {@code k} classes of image {@code image} of the batch output {@code y}: the model's own probabilities when
     * it ends in Softmax, else softmax of its logits.
     */
    public List<ScoredClass> top(float[] y, int image, int k) {
        int from = image * classes;
        float[] p = modelHasSoftmax ? Arrays.copyOfRange(y, from, from + classes) : Probabilities.softmax(y, from, classes);
        return TopK.of(p, k);
    }

    /** The name of class {@code index}, or null when the classes are unnamed. */
    public String label(int index) {
        return names == null ? null : names.get(index);
    }
}
