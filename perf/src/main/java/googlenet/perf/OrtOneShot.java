package googlenet.perf;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import googlenet.engine.image.ImagePreprocessor;
import googlenet.engine.image.Preset;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * ONNX Runtime's side of {@link ColdStart}: the one-shot jobs a user would write on its Java API, one per process, with
 * what our command line does around the inference.
 * <ul>
 *   <li>{@code run MODEL.onnx x.npy y.npy THREADS}: session creation (all graph optimizations), one run, the first
 *       output written as .npy — {@code googlenet run}.</li>
 *   <li>{@code classify MODEL.onnx IMAGE THREADS}: the engine's own decode and torchvision preprocessing (the same code
 *       {@code googlenet classify} runs), session creation, one run, softmax, the top 5 printed.</li>
 * </ul>
 */
public final class OrtOneShot {
    private OrtOneShot() {
    }

    public static void main(String[] args) throws IOException, OrtException {
        if (args.length < 4) usage();
        String job = args[0];
        Path model = Path.of(args[1]);
        switch (job) {
            case "run" -> {
                if (args.length != 5) usage();
                Tensor x = Npy.read(Path.of(args[2]));
                float[] y = infer(model, x.shape(), x.data(), Integer.parseInt(args[4]));
                Npy.write(Path.of(args[3]), new Tensor(Shape.of(1, y.length), y));
                System.out.println(args[3] + ": logits (1, " + y.length + ") written");
            }
            case "classify" -> {
                if (args.length != 4) usage();
                Path image = Path.of(args[2]);
                float[] x = new float[3 * 224 * 224];
                new ImagePreprocessor(Preset.TORCHVISION).load(image, x, 0);
                float[] logits = infer(model, Shape.of(1, 3, 224, 224), x, Integer.parseInt(args[3]));
                double max = IntStream.range(0, logits.length).mapToDouble(i -> logits[i]).max().orElseThrow();
                double[] p = IntStream.range(0, logits.length).mapToDouble(i -> Math.exp(logits[i] - max)).toArray();
                double sum = Arrays.stream(p).sum();
                System.out.println(image);
                IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> -p[i])).limit(5)
                        .forEach(i -> System.out.printf("  %4d  %.4f%n", i, p[i] / sum));
            }
            default -> usage();
        }
    }

    private static float[] infer(Path model, Shape shape, float[] x, int threads) throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(Files.readAllBytes(model), options);
                 OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x),
                         Arrays.stream(shape.dims()).asLongStream().toArray());
                 OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), input))) {
                return ((float[][]) r.get(0).getValue())[0];
            }
        }
    }

    private static void usage() {
        System.err.println("usage: OrtOneShot run MODEL.onnx x.npy y.npy THREADS | classify MODEL.onnx IMAGE THREADS");
        System.exit(2);
    }
}
