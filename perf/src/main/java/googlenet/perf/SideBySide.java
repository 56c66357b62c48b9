package googlenet.perf;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs this engine and ONNX Runtime on the same graphs with the same weights in one JMH run, then prints
 * the tables: our latency, ONNX Runtime's, and the ratio (below 1 = we are faster); then the same for loading the
 * model ({@link LoadBenchmark}).
 * Arguments: [warmup iterations] [measurement iterations] [seconds per iteration] [models, comma-separated].
 */
public final class SideBySide {
    private SideBySide() {
    }

    public static void main(String[] args) throws RunnerException {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String models = args.length > 3 ? args[3] : "d2l,torchvision";
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(EngineBenchmark.class.getSimpleName())
                .include(OnnxRuntimeBenchmark.class.getSimpleName())
                .include(LoadBenchmark.class.getSimpleName())
                .param("model", models.split(","))
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .forks(1);
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, double[]> table = new TreeMap<>();
        Map<String, double[]> loads = new TreeMap<>();
        for (RunResult r : results) {
            var p = r.getParams();
            if (p.getBenchmark().contains(LoadBenchmark.class.getSimpleName())) {
                int column = p.getBenchmark().endsWith("onnxRuntime") ? 1 : 0;
                loads.computeIfAbsent(p.getParam("model"), k -> new double[]{Double.NaN, Double.NaN})[column] = r.getPrimaryResult().getScore();
                continue;
            }
            String key = p.getParam("model") + " batch " + p.getParam("batch") + ", " + p.getParam("threads") + " thread(s)";
            int column = p.getBenchmark().contains("OnnxRuntime") ? 1 : 0;
            table.computeIfAbsent(key, k -> new double[]{Double.NaN, Double.NaN})[column] = r.getPrimaryResult().getScore();
        }
        System.out.printf("%n%-36s %12s %14s %8s%n", "network", "ours (ms)", "ORT (ms)", "ratio");
        table.forEach((k, v) -> System.out.printf("%-36s %12.2f %14.2f %8.2f%n", k, v[0], v[1], v[0] / v[1]));
        System.out.printf("%n%-36s %12s %14s %8s%n", "load: ONNX bytes to a ready session", "ours (ms)", "ORT (ms)", "ratio");
        loads.forEach((k, v) -> System.out.printf("%-36s %12.2f %14.2f %8.2f%n", k + ", batch 1, 1 thread", v[0], v[1], v[0] / v[1]));
    }
}
