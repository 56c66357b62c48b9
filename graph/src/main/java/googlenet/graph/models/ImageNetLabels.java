package googlenet.graph.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The 1000 ImageNet-1k class names in the index order of torchvision's and the ONNX model zoo's models. */
public final class ImageNetLabels {
    private static final List<String> LABELS = load();

    private ImageNetLabels() {
    }

    public static List<String> labels() {
        return LABELS;
    }

    private static List<String> load() {
        try (InputStream in = ImageNetLabels.class.getResourceAsStream("imagenet-classes.txt")) {
            if (in == null) throw new IllegalStateException("imagenet-classes.txt missing from the googlenet.graph module");
            List<String> labels = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank()).toList();
            if (labels.size() != 1000) throw new IllegalStateException("imagenet-classes.txt has " + labels.size() + " labels, expected 1000");
            return labels;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
