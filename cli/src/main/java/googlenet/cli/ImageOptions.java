package googlenet.cli;

import googlenet.engine.image.Classifier;
import googlenet.engine.image.Preset;
import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lFashion;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --preset}, {@code --crop}, {@code --resize}, {@code --labels}, {@code --max-megapixels}: how images become the
 * model's input and how its classes are named (shared by {@code classify} and {@code serve}).
 */
final class ImageOptions {
    @Option(names = "--preset", paramLabel = "NAME", description = "torchvision (RGB, ImageNet mean/std) or caffe (BGR, 0-255 minus the mean).")
    String preset;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (default: ImageNet-1k for 1000 classes).")
    Path labels;

    @Option(names = "--crop", paramLabel = "PIXELS", description = "Side of the centre crop the model sees (default: the model's input size).")
    Integer crop;

    @Option(names = "--resize", paramLabel = "PIXELS", description = "The shorter side before cropping (default: crop × 256 / 224).")
    Integer resize;

    @Option(names = "--max-megapixels", defaultValue = "50", paramLabel = "MP",
            description = "Refuse larger images, by their header, before decoding (default: ${DEFAULT-VALUE}).")
    double maxMegapixels;

    /** What a classifying command needs: the network with its weights for batches of {@code batch}, the input sized to it. */
    Classifier classifier(ModelOptions model, int batch) throws IOException {
        long maxPixels = maxPixels();
        if (model.isBuiltin() && model.builtinName().equals(D2lFashion.NAME)) {
            if (preset != null || crop != null || resize != null) {
                throw new BadInputException("builtin:" + D2lFashion.NAME + " takes images as Fashion-MNIST's (grayscale 28×28); --preset, --crop and --resize do not apply");
            }
            Classifier fashion = Classifier.fashion(model.withWeights(D2lFashion.shipped().inputShape(batch)), maxPixels);
            return labels == null ? fashion : fashion.withNames(labels(fashion.classes()));
        }
        Preset p = sizedPreset(model);
        Classifier classifier = Classifier.ofPreset(model.withWeights(Shape.of(batch, p.channels(), p.crop(), p.crop())), p, maxPixels);
        return labels == null ? classifier : classifier.withNames(labels(classifier.classes()));
    }

    /** The pixel limit, checked. */
    long maxPixels() {
        if (!(maxMegapixels > 0)) throw new BadInputException("--max-megapixels must be > 0, got " + maxMegapixels);
        return (long) (maxMegapixels * 1e6);
    }

    /** The class names: --labels, else ImageNet-1k for 1000 classes, else none. */
    List<String> labels(int classes) throws IOException {
        if (labels == null) return Classifier.defaultNames(classes);
        List<String> names = Files.readAllLines(labels).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.size() != classes) {
            throw new BadInputException("--labels " + labels + " has " + names.size() + " labels, the model has " + classes + " classes");
        }
        return names;
    }

    /** The preset by --preset or the model's kind, at the model's input size unless --crop/--resize say otherwise. */
    Preset sizedPreset(ModelOptions model) {
        Graph declared = model.isBuiltin() ? null : model.onnx();
        Preset p = preset != null ? Preset.named(preset) : model.isBuiltin() ? Preset.forBuiltin(model.builtinName()) : Preset.forOnnx(declared);
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
        int r = resize != null ? resize : p.resizeFor(c);
        if (c < 1 || r < c) throw new BadInputException("need 1 ≤ --crop ≤ --resize, got crop " + c + ", resize " + r);
        return p.withSize(r, c);
    }
}
