package googlenet.cli;

import googlenet.engine.image.ImagePreprocessor;
import googlenet.engine.image.Preset;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.models.Builtins;
import googlenet.graph.models.ImageNetLabels;
import googlenet.graph.onnx.OnnxExporter;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code classify} on tiny ONNX models. The expected classes come from the reference interpreter on the preprocessed
 * images (the preprocessing itself is checked against PIL in the engine's tests), with softmax and ranking done here.
 */
class ClassifyCliTest {
    static final Pattern JSON_ENTRY = Pattern.compile("\\{\"index\": (\\d+), \"label\": (null|\"[^\"]*\"), \"probability\": ([-0-9.eE]+)}");
    private static final Pattern JSON_IMAGE = Pattern.compile("\"image\": \"([^\"]+)\"");

    private static Path image(Path dir, String name, int width, int height, int seed) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (x * 7 + y * 3 + seed * 40) & 0xFF, g = (x * y + seed * 17) & 0xFF, b = (255 - x * 5 + seed * 90) & 0xFF;
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    /** d2l at 64×64 with 10 classes, input "x", ending in a Linear: classify applies softmax. */
    static Graph d2l() {
        return SeededWeights.apply(Builtins.build("d2l", Shape.of(1, 3, 64, 64), 10), 5);
    }

    /** A tiny net whose input is named data_0 (so caffe is the default preset), ending in Softmax over 1000 classes. */
    private static Graph softmaxNet() {
        GraphBuilder b = new GraphBuilder("tiny_caffe");
        String x = b.input("data_0", Shape.of(1, 3, 32, 32));
        x = b.add("conv", Conv2d.of(3, 8, 3, 1, 1), x);
        x = b.add("relu", new Relu(), x);
        x = b.add("pool", new GlobalAvgPool(), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("fc", Linear.of(8, 1000), x);
        x = b.add("prob", new Softmax(), x);
        return SeededWeights.apply(b.output("prob", x).build(), 11);
    }

    record Expected(int index, double probability) {
    }

    /** The top k of one image, by the reference interpreter, softmax (unless the model has one) and a sort done here. */
    static List<Expected> expected(Graph g, Preset preset, Path image, boolean softmax, int k) throws IOException {
        float[] x = new float[preset.imageSize()];
        new ImagePreprocessor(preset).load(image, x, 0);
        Tensor y = ReferenceInterpreter.run(g, new Tensor(Shape.of(1, 3, preset.crop(), preset.crop()), x));
        double[] p = new double[y.data().length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = softmax ? Math.exp(y.data()[i]) : y.data()[i];
            sum += p[i];
        }
        double total = softmax ? sum : 1;
        return IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble((Integer i) -> -p[i]))
                .limit(k).map(i -> new Expected(i, p[i] / total)).toList();
    }

    private static List<List<String[]>> parseJson(String out) {
        List<List<String[]>> images = new ArrayList<>();
        for (String part : out.split("\"image\": ")) {
            if (!part.startsWith("\"")) continue;
            List<String[]> entries = new ArrayList<>();
            Matcher m = JSON_ENTRY.matcher(part);
            while (m.find()) entries.add(new String[]{m.group(1), m.group(2), m.group(3)});
            images.add(entries);
        }
        return images;
    }

    @Test
    void printsTheTopClassesWithSoftmaxProbabilitiesInBatches(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("d2l.onnx");
        OnnxExporter.write(d2l(), onnx);
        List<Path> images = List.of(image(dir, "a.png", 97, 75, 1), image(dir, "b.png", 50, 80, 2), image(dir, "c.png", 64, 64, 3));
        Path labels = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n");
        Preset preset = Preset.TORCHVISION.withSize(73, 64); // the model's own 64, resized in proportion: 64·256/224

        List<String> args = new ArrayList<>(List.of("classify", "--model", onnx.toString(), "--top", "3", "--batch", "2",
                "--threads", "1", "--labels", labels.toString(), "--json"));
        images.forEach(p -> args.add(p.toString()));
        CliTest.Result json = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, json.code(), json.err());
        List<List<String[]>> got = parseJson(json.out());
        assertEquals(3, got.size(), json.out());
        Matcher names = JSON_IMAGE.matcher(json.out());
        for (int i = 0; i < images.size(); i++) {
            assertTrue(names.find());
            assertEquals(images.get(i).toString(), names.group(1));
            List<Expected> want = expected(d2l(), preset, images.get(i), true, 3);
            for (int j = 0; j < 3; j++) {
                String[] e = got.get(i).get(j);
                assertEquals(want.get(j).index(), Integer.parseInt(e[0]), images.get(i) + " rank " + j);
                assertEquals("\"" + List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
                        .get(want.get(j).index()) + "\"", e[1]);
                assertEquals(want.get(j).probability(), Double.parseDouble(e[2]), 1e-5);
            }
        }

        args.remove("--json");
        CliTest.Result text = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, text.code(), text.err());
        List<String> lines = text.out().lines().toList();
        assertEquals(12, lines.size(), text.out());
        assertEquals(images.get(1).toString(), lines.get(4));
        List<Expected> b = expected(d2l(), preset, images.get(1), true, 3);
        assertTrue(lines.get(5).matches(" +\\d+\\.\\d{3}% +" + b.get(0).index() + " +\\w+"), lines.get(5));
        double percent = Double.parseDouble(lines.get(5).strip().split("%")[0]);
        assertEquals(100 * b.get(0).probability(), percent, 0.0011);
    }

    @Test
    void usesTheModelsSoftmaxAndCaffePresetForDataZeroInputs(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("tiny.onnx");
        OnnxExporter.write(softmaxNet(), onnx);
        Path img = image(dir, "wide.png", 120, 40, 4);
        CliTest.Result r = CliTest.run("classify", "--model", onnx.toString(), "--json", "--top", "2", img.toString());
        assertEquals(0, r.code(), r.err());
        List<Expected> want = expected(softmaxNet(), Preset.CAFFE.withSize(36, 32), img, false, 2);
        List<String[]> got = parseJson(r.out()).getFirst();
        for (int j = 0; j < 2; j++) {
            assertEquals(want.get(j).index(), Integer.parseInt(got.get(j)[0]));
            assertEquals("\"" + ImageNetLabels.labels().get(want.get(j).index()) + "\"", got.get(j)[1], "ImageNet labels for 1000 classes");
            assertEquals(want.get(j).probability(), Double.parseDouble(got.get(j)[2]), 1e-6);
        }
    }

    @Test
    void badImagesAreOneLineErrorsAfterTheImagesBefore(@TempDir Path dir) throws IOException {
        Path onnx = dir.resolve("d2l.onnx");
        OnnxExporter.write(d2l(), onnx);
        Path good = image(dir, "good.png", 70, 70, 1);
        Path corrupt = Files.write(dir.resolve("corrupt.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x12});
        CliTest.Result r = CliTest.run("classify", "--model", onnx.toString(), "--batch", "4", good.toString(), corrupt.toString(), good.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> !l.startsWith("WARNING")).count(), r.err());
        assertTrue(r.err().startsWith("classify: " + corrupt), r.err());
        assertEquals(good.toString(), r.out().lines().findFirst().orElseThrow(), "the image before is printed");
        assertEquals(6, r.out().lines().count(), r.out());

        CliTest.Result missing = CliTest.run("classify", "--model", onnx.toString(), dir.resolve("none.png").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("none.png"), missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());

        Path labels = Files.writeString(dir.resolve("three.txt"), "a\nb\nc\n");
        CliTest.Result mismatch = CliTest.run("classify", "--model", onnx.toString(), "--labels", labels.toString(), good.toString());
        assertEquals(2, mismatch.code());
        assertEquals("classify: --labels " + labels + " has 3 labels, the model has 10 classes", mismatch.err().strip());

        CliTest.Result preset = CliTest.run("classify", "--model", onnx.toString(), "--preset", "keras", good.toString());
        assertEquals(2, preset.code());
        assertTrue(preset.err().contains("unknown preset 'keras'"), preset.err());
    }

    @Test
    void helpNamesTheOptions() {
        CliTest.Result r = CliTest.run("classify", "--help");
        assertEquals(0, r.code());
        for (String option : List.of("--preset", "--top", "--json", "--labels", "--batch", "--threads", "--max-megapixels")) {
            assertTrue(r.out().contains(option), option);
        }
    }
}
