package googlenet.perf;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import googlenet.graph.onnx.OnnxExporter;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Whole-process timing of one-shot jobs, ours against ONNX Runtime's Java API ({@link OrtOneShot}) on the same ONNX
 * file and input: {@code googlenet run} of one 1×3×224×224 tensor and {@code googlenet classify} of one JPEG, each
 * job's runs alternating with its ONNX Runtime twin, and last our {@code run} as the first process for a model (no
 * packed weights kept yet, see {@code Options.weightCache}). Each process runs under GNU time, which gives wall time,
 * CPU time (user + system) and peak RSS; the table prints the medians and ours ÷ ONNX Runtime's.
 *
 * <p>Arguments: the repository root (for its {@code googlenet} launcher), the JDK home, the class path of this module,
 * runs per job (default 5), threads (default 2).
 */
public final class ColdStart {
    private static final Path TIME = Path.of("/usr/bin/time");

    private ColdStart() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length < 3) {
            System.err.println("usage: ColdStart ROOT JDK CLASSPATH [runs] [threads]");
            System.exit(2);
        }
        Path root = Path.of(args[0]);
        Path java = Path.of(args[1], "bin", "java");
        String classPath = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        String threads = args.length > 4 ? args[4] : "2";
        if (!Files.isExecutable(TIME)) {
            System.err.println("cold-start: needs GNU time at " + TIME + " for CPU time and peak RSS (apt-get install time)");
            System.exit(2);
        }
        Path dir = Files.createDirectories(root.resolve("perf/target/cold-start"));
        Path model = dir.resolve("d2l.onnx");
        Path input = dir.resolve("x.npy");
        Path image = dir.resolve("photo.jpg");
        OnnxExporter.write(Networks.seeded("d2l", 1), model);
        Npy.write(input, new Tensor(Shape.of(1, 3, 224, 224), Networks.image(1)));
        writeJpeg(image);

        String launcher = root.resolve("googlenet").toString();
        // Our one-shot commands keep packed weights between processes: here in a folder of their own, the timed runs
        // finding it filled (every run after a model's first), and a last job that empties its own before each run.
        Path cache = dir.resolve("weight-cache");
        Path fresh = dir.resolve("weight-cache-first-use");
        List<String> ortJava = List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                OrtOneShot.class.getName());
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        jobs.put("run, ours", List.of(launcher, "run", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("y-ours.npy").toString(), "--threads", threads));
        jobs.put("run, ONNX Runtime", concat(ortJava, "run", model.toString(), input.toString(),
                dir.resolve("y-ort.npy").toString(), threads));
        jobs.put("classify, ours", List.of(launcher, "classify", "--model", model.toString(), "--preset", "torchvision",
                "--top", "5", "--threads", threads, image.toString()));
        jobs.put("classify, ONNX Runtime", concat(ortJava, "classify", model.toString(), image.toString(), threads));
        jobs.put(FIRST_USE, jobs.get("run, ours"));

        // One untimed round first: the launcher builds the command line if it is stale, and the OS caches the files.
        for (Map.Entry<String, List<String>> job : jobs.entrySet()) measure(job.getValue(), dir, job.getKey().equals(FIRST_USE) ? fresh : cache);
        Map<String, List<double[]>> results = new LinkedHashMap<>();
        for (int r = 0; r < runs; r++) {
            for (Map.Entry<String, List<String>> job : jobs.entrySet()) {
                boolean first = job.getKey().equals(FIRST_USE);
                if (first) deleteTree(fresh);
                double[] m = measure(job.getValue(), dir, first ? fresh : cache);
                results.computeIfAbsent(job.getKey(), k -> new ArrayList<>()).add(m);
                System.err.printf("run %d/%d %-24s wall %.2f s, cpu %.2f s, peak RSS %.0f MiB%n", r + 1, runs,
                        job.getKey(), m[0], m[1], m[2]);
            }
        }
        System.out.printf("%n%-24s %10s %10s %14s   (medians of %d runs, %s thread(s), one 1×3×224×224 input; %s)%n",
                "job", "wall (s)", "CPU (s)", "peak RSS (MiB)", runs, threads, java.getParent().getParent());
        double[][] medians = new double[jobs.size()][];
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
            double[] m = new double[3];
            for (int k = 0; k < 3; k++) {
                int col = k;
                m[k] = median(e.getValue().stream().mapToDouble(v -> v[col]).toArray());
            }
            medians[i++] = m;
            System.out.printf("%-24s %10.2f %10.2f %14.0f%n", e.getKey(), m[0], m[1], m[2]);
        }
        for (int j = 0; j + 2 < medians.length; j += 2) {
            String name = results.keySet().toArray(String[]::new)[j].replace(", ours", "");
            System.out.printf("%-24s %10.2f %10.2f %14.2f   (ours ÷ ONNX Runtime)%n", name + " ratio",
                    medians[j][0] / medians[j + 1][0], medians[j][1] / medians[j + 1][1], medians[j][2] / medians[j + 1][2]);
        }
        double[] first = medians[medians.length - 1];
        System.out.printf("%-24s %10.2f %10.2f %14.2f   (ours ÷ ONNX Runtime)%n", "run first use ratio",
                first[0] / medians[1][0], first[1] / medians[1][1], first[2] / medians[1][2]);
    }

    /** Our {@code run} with no packed weights kept yet: the first process for a model. */
    private static final String FIRST_USE = "run, ours, first use";

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** Wall seconds, CPU seconds (user + system) and peak RSS in MiB of one process, from GNU time. */
    private static double[] measure(List<String> command, Path dir, Path weightCache) throws IOException, InterruptedException {
        Path report = dir.resolve("time.txt");
        List<String> timed = new ArrayList<>(List.of(TIME.toString(), "-o", report.toString(), "-f", "%e %U %S %M"));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).redirectErrorStream(true)
                .redirectOutput(dir.resolve("last-output.txt").toFile());
        builder.environment().put("GOOGLENET_CACHE", weightCache.toString());
        Process p = builder.start();
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("exit code " + code + " from " + String.join(" ", command) + ":\n"
                    + Files.readString(dir.resolve("last-output.txt"), StandardCharsets.UTF_8));
        }
        List<String> lines = Files.readAllLines(report);
        double[] v = Arrays.stream(lines.getLast().trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
        return new double[] {v[0], v[1] + v[2], v[3] / 1024};
    }

    /** A 640×480 photo-like JPEG (smooth gradients and noise), made once per run of this program. */
    private static void writeJpeg(Path file) throws IOException {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(7);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int r = Math.clamp((x * 255) / 640 + random.nextInt(-20, 21), 0, 255);
                int g = Math.clamp((y * 255) / 480 + random.nextInt(-20, 21), 0, 255);
                int b = Math.clamp(128 + (int) (60 * Math.sin(x * 0.03 + y * 0.02)) + random.nextInt(-20, 21), 0, 255);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        if (!ImageIO.write(img, "jpg", file.toFile())) throw new IOException("no JPEG writer");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}
