package googlenet.perf;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Conv2d;
import googlenet.kernels.FmaPeak;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every distinct conv shape of the d2l and torchvision GoogLeNets at 224×224 on one thread, in GFLOP/s and
 * as a percentage of the FMA peak measured in the same run.
 * Arguments: [warmup iterations] [measurement iterations] [milliseconds per iteration].
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
        double peak = FmaPeak.measure(1, 500);
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(ConvBenchmark.class.getSimpleName())
                .param("shape", shapes.toArray(String[]::new))
                .warmupIterations(warmups).warmupTime(TimeValue.milliseconds(millis))
                .measurementIterations(iterations).measurementTime(TimeValue.milliseconds(millis))
                .forks(1).build()).run();
        System.out.printf("%nFMA peak (1 thread, Vector API probe): %.1f GFLOP/s%n", peak);
        System.out.printf("%-26s %14s %10s %10s %8s%n", "conv in,out,k,s,pad,H,W", "mult-adds", "µs", "GFLOP/s", "% peak");
        for (RunResult r : results) {
            String shape = r.getParams().getParam("shape");
            long madds = ConvBenchmark.ConvShape.parse(shape).multAdds();
            double us = r.getPrimaryResult().getScore();
            double gflops = 2.0 * madds / (us * 1e3);
            System.out.printf("%-26s %14d %10.1f %10.1f %7.1f%%%n", shape, madds, us, gflops, 100 * gflops / peak);
        }
    }
}
