package googlenet.perf;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Conv2d;
import googlenet.kernels.FmaPeak;
import googlenet.kernels.conv.WinogradWeights;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every distinct conv shape of the d2l and torchvision GoogLeNets at 224×224 on one thread, in GFLOP/s and
 * as a percentage of the FMA peak measured in the same run; each 3×3 stride-1 shape also by Winograd F(4×4, 3×3), at
 * its effective rate (the direct convolution's mult-adds × 2 ÷ time), which can pass the peak. Totals per kind are
 * weighted by mult-adds (total mult-adds ÷ total time).
 * Arguments: [warmup iterations] [measurement iterations] [milliseconds per iteration] [shape regex]. The JVM's
 * {@code -XX:} options reach the benchmark's fork: {@code JAVA_OPTS=-XX:UseAVX=2 perf/conv-table} gives the AVX2 table.
 */
public final class ConvTable {
    private ConvTable() {
    }

    public static void main(String[] args) throws RunnerException {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int millis = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Set<String> shapes = new LinkedHashSet<>();
        for (String name : new String[]{"d2l", "torchvision"}) {
            Graph g = Builtins.build(name);
            for (Node n : g.nodes()) {
                if (n.op() instanceof Conv2d c) {
                    shapes.add(c.inChannels() + "," + c.outChannels() + "," + c.kernelH() + "," + c.strideH() + ","
                            + c.padding().top() + "," + n.inputShapes().getFirst().dim(2) + "," + n.inputShapes().getFirst().dim(3));
                }
            }
        }
        List<String> rows = new ArrayList<>();
        for (String s : shapes) {
            rows.add(s);
            if (WinogradWeights.supports(ConvBenchmark.ConvShape.parse(s).geometry())) rows.add(s + ",winograd");
        }
        // A fourth argument, a regular expression, keeps the rows whose shape matches ('.*,3,1,1,.*': the 3×3 ones).
        String only = args.length > 3 ? args[3] : null;
        if (only != null) rows.removeIf(s -> !s.matches(only));
        if (rows.isEmpty()) {
            System.err.println("conv-table: no shape matches " + only + " (the whole row must match, e.g. '.*,3,1,1,.*')");
            System.exit(2);
        }
        // This JVM's -XX options (e.g. -XX:UseAVX=2 for the 8-lane kernels) go to the benchmark's fork too.
        String[] vmFlags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:")).toArray(String[]::new);
        double peak = FmaPeak.measure(1, 500);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ConvBenchmark.class.getSimpleName())
                .param("shape", rows.toArray(String[]::new))
                .warmupIterations(warmups).warmupTime(TimeValue.milliseconds(millis))
                .measurementIterations(iterations).measurementTime(TimeValue.milliseconds(millis))
                .jvmArgsAppend(vmFlags)
                .forks(1).build()).run();
        System.out.printf("%nFMA peak (1 thread, Vector API probe): %.1f GFLOP/s; %d lanes%s%n", peak,
                googlenet.kernels.Blocking.LANES, vmFlags.length > 0 ? "; " + String.join(" ", vmFlags) : "");
        System.out.printf("%-35s %14s %10s %10s %8s%n", "conv in,out,k,s,pad,H,W[,kernel]", "mult-adds", "µs", "GFLOP/s", "% peak");
        // Per kind: direct (every row without Winograd), direct 3×3/1 alone, Winograd; mult-adds and µs summed.
        String[] kinds = {"direct, all shapes", "direct, 3×3 stride 1", "winograd, 3×3 stride 1"};
        double[] madds = new double[3];
        double[] micros = new double[3];
        double[] lowest = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            ConvBenchmark.ConvShape c = ConvBenchmark.ConvShape.parse(shape);
            long m = c.multAdds();
            double us = r.getPrimaryResult().getScore();
            double gflops = 2.0 * m / (us * 1e3);
            System.out.printf("%-35s %14d %10.1f %10.1f %7.1f%%%n", shape, m, us, gflops, 100 * gflops / peak);
            boolean threeByThree = WinogradWeights.supports(c.geometry());
            for (int k = 0; k < 3; k++) {
                boolean in = k == 2 ? c.winograd() : !c.winograd() && (k == 0 || threeByThree);
                if (!in) continue;
                madds[k] += m;
                micros[k] += us;
                lowest[k] = Math.min(lowest[k], 100 * gflops / peak);
            }
        }
        System.out.printf("%nweighted by mult-adds%n");
        for (int k = 0; k < 3; k++) {
            if (micros[k] == 0) continue;
            double gflops = 2.0 * madds[k] / (micros[k] * 1e3);
            System.out.printf("%-26s %10.1f µs %10.1f GFLOP/s %7.1f%% of peak (lowest row %.1f%%)%n", kinds[k], micros[k],
                    gflops, 100 * gflops / peak, lowest[k]);
        }
    }
}
