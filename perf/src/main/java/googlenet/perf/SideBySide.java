package googlenet.perf;

import googlenet.engine.diagnostics.CoreRoundTrip;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs this engine and ONNX Runtime on the same graphs with the same weights, each configuration as a pair of JMH
 * runs back to back, then prints the tables: our latency, ONNX Runtime's, the ratio (below 1 = we are faster) and
 * the core-to-core round trip probed before and after the pair ({@link CoreRoundTrip}); then the same for loading
 * the model ({@link LoadBenchmark}).
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
        // One configuration at a time, ours then ONNX Runtime's right after it, with the core-to-core round trip
        // probed before and after the pair: on a VM the host moves the vCPUs closer or further apart within minutes,
        // and multi-threaded latency follows (see the README), so the pair must run in the same window.
        Map<String, double[]> table = new LinkedHashMap<>();
        for (String model : models.split(",")) {
            for (String batch : new String[] {"1", "8"}) {
                for (String threads : new String[] {"1", "2"}) {
                    double before = CoreRoundTrip.measure(ROUND_TRIPS, 300_000_000L);
                    double ours = score(options(warmups, iterations, seconds, EngineBenchmark.class)
                            .param("model", model).param("batch", batch).param("threads", threads));
                    double ort = score(options(warmups, iterations, seconds, OnnxRuntimeBenchmark.class)
                            .param("model", model).param("batch", batch).param("threads", threads));
                    double after = CoreRoundTrip.measure(ROUND_TRIPS, 300_000_000L);
                    table.put(model + " batch " + batch + ", " + threads + " thread(s)", new double[] {ours, ort, before, after});
                }
            }
        }
        Map<String, double[]> loads = new LinkedHashMap<>();
        for (RunResult r : new Runner(options(warmups, iterations, seconds, LoadBenchmark.class).param("model", models.split(","))
                .build()).run()) {
            int column = r.getParams().getBenchmark().endsWith("onnxRuntime") ? 1 : 0;
            loads.computeIfAbsent(r.getParams().getParam("model"), k -> new double[] {Double.NaN, Double.NaN})[column] =
                    r.getPrimaryResult().getScore();
        }
        System.out.printf("%n%-36s %12s %14s %8s %22s%n", "network", "ours (ms)", "ORT (ms)", "ratio", "core round trip (ns)");
        table.forEach((k, v) -> System.out.printf("%-36s %12.2f %14.2f %8.2f %10.0f → %-10.0f%n", k, v[0], v[1], v[0] / v[1], v[2], v[3]));
        System.out.printf("%n%-36s %12s %14s %8s%n", "load: ONNX bytes to a ready session", "ours (ms)", "ORT (ms)", "ratio");
        loads.forEach((k, v) -> System.out.printf("%-36s %12.2f %14.2f %8.2f%n", k + ", batch 1, 1 thread", v[0], v[1], v[0] / v[1]));
    }

    private static final int ROUND_TRIPS = 300_000;

    private static ChainedOptionsBuilder options(int warmups, int iterations, int seconds, Class<?> benchmark) {
        return new OptionsBuilder()
                .include(benchmark.getSimpleName())
                .warmupIterations(warmups).warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(seconds))
                .forks(1);
    }

    private static double score(ChainedOptionsBuilder options) throws RunnerException {
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.size() != 1) throw new IllegalStateException("expected one result, got " + results.size());
        return results.iterator().next().getPrimaryResult().getScore();
    }
}
