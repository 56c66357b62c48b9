package googlenet.perf;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input packing of 1×3×224×224 and every max-pool shape of the d2l GoogLeNet, each against a plain copy of its
 * input's bytes, in one JMH run on one thread; prints µs and kernel / copy. Arguments: [warmup iterations]
 * [measurement iterations] [milliseconds per iteration] [variants: vector, scalar or both] [a regex the cases must
 * contain, e.g. "pack|,14,"]; defaults 3 5 500 vector, every case.
 */
public final class LayoutTable {
    /** d2l's max-pools: four 3×3 /2 between stages, the 3×3 /1 pool branch of each inception block. */
    static final String[] POOLS = {
        "64,112,112,3,2,1", "192,56,56,3,2,1", "480,28,28,3,2,1", "832,14,14,3,2,1",
        "192,28,28,3,1,1", "256,28,28,3,1,1", "480,14,14,3,1,1", "512,14,14,3,1,1", "528,14,14,3,1,1",
        "832,7,7,3,1,1",
    };

    private LayoutTable() {
    }

    public static void main(String[] args) throws RunnerException {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int millis = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        String variants = args.length > 3 ? args[3] : "vector";
        java.util.regex.Pattern only = java.util.regex.Pattern.compile(args.length > 4 ? args[4] : "");
        List<String> cases = new ArrayList<>();
        for (String v : variants.equals("both") ? new String[]{"vector", "scalar"} : new String[]{variants}) {
            cases.add("pack,3,224,224," + v);
            for (String p : POOLS) cases.add("maxpool," + p + "," + v);
        }
        cases.removeIf(c -> !only.matcher(c).find());
        OptionsBuilder options = new OptionsBuilder();
        if (System.getProperty("prof") != null) options.addProfiler(System.getProperty("prof")); // e.g. -Dprof=gc
        Collection<RunResult> results = new Runner(options
                .include(LayoutBenchmark.class.getName())
                .param("shape", cases.toArray(String[]::new))
                .warmupIterations(warmups).warmupTime(TimeValue.milliseconds(millis))
                .measurementIterations(iterations).measurementTime(TimeValue.milliseconds(millis))
                .forks(1).build()).run();
        Map<String, double[]> byCase = new LinkedHashMap<>();
        for (String c : cases) byCase.put(c, new double[4]);
        for (RunResult r : results) {
            double[] row = byCase.get(r.getParams().getParam("shape"));
            int at = r.getPrimaryResult().getLabel().equals("kernel") ? 0 : 2;
            row[at] = r.getPrimaryResult().getScore();
            row[at + 1] = r.getPrimaryResult().getScoreError();
        }
        System.out.printf("%n%-40s %11s %8s %11s %8s %8s%n", "case (C,H,W[,k,s,pad])", "kernel µs", "±", "copy µs", "±",
                "k/copy");
        for (Map.Entry<String, double[]> e : byCase.entrySet()) {
            double[] v = e.getValue();
            System.out.printf("%-40s %11.2f %8.2f %11.2f %8.2f %8.2f%n", e.getKey(), v[0], v[1], v[2], v[3], v[0] / v[2]);
        }
    }
}
