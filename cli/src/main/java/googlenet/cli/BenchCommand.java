package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.WarmUpReport;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.kernels.FmaPeak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Latency and throughput of the compiled engine: cold first result, warm load, warm-up, then timed runs.
 * Stopped with Ctrl-C, it prints what it measured so far.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Measure latency (min/median/p99), images/s, GFLOP/s, %% of the FMA peak and heap bytes per run.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape of one image batch (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--batch", paramLabel = "B", description = "Batch size (default: N of --shape).")
    Integer batch;

    @Option(names = "--threads", paramLabel = "T", description = "Intra-op threads (default: available processors).")
    Integer threads;

    @Option(names = "--iterations", defaultValue = "50", paramLabel = "N", description = "Timed runs (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--json", description = "Print a JSON object instead of the report.")
    boolean json;

    @Option(names = "--check-finite", description = "Exit with code 3 if the output holds NaN or infinity.")
    boolean checkFinite;

    @Spec
    CommandSpec spec;

    /** Taken before the timed runs, so that a report from the Ctrl-C hook does not touch a model being closed. */
    private long arenaBytes;
    private int batchParts;

    @Override
    public Integer call() {
        if (iterations < 1) throw new BadInputException("--iterations must be ≥ 1, got " + iterations);
        Shape requested = batch == null ? shape : shape.with(0, batch);
        int b = requested.dim(0);
        Options options = engineOptions.apply(threads == null ? Options.defaults() : Options.threads(threads));
        Progress progress = new Progress(spec.commandLine().getErr());

        long coldStart = System.nanoTime();
        Graph graph = model.withWeights(requested);
        // A builtin with an input of its own (d2l-fashion's 1×56×56) takes it in place of the default shape.
        Shape input = graph.inputs().getFirst().shape();
        Model m = Model.load(graph, options);
        Session session = m.newSession(b);
        float[] x = DemoCommand.randomImage(input, model.seed).data();
        float[] y = new float[(int) session.outputShape(session.outputNames().getFirst()).elements()];
        session.run(x, y);
        double firstResultMs = (System.nanoTime() - coldStart) / 1e6;

        long loadStart = System.nanoTime();
        try (Model again = Model.load(graph, options); Session s2 = again.newSession(b)) {
            s2.arenaBytes();
        }
        double loadMs = (System.nanoTime() - loadStart) / 1e6;

        progress.message("warming up (JIT)…");
        WarmUpReport warmUp = m.warmUp(b);

        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Thread> threadsToCount = new ArrayList<>(m.workerThreads());
        threadsToCount.add(Thread.currentThread());
        long[] ids = threadsToCount.stream().mapToLong(Thread::threadId).toArray();
        double[] latencies = new double[iterations];
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger(); // read by the Ctrl-C hook
        long[] heap = {0};
        arenaBytes = session.arenaBytes();
        batchParts = session.parts();
        progress.done();
        // Always said (not only on a terminal): a user and a test can tell the timed runs, which Ctrl-C reports, have begun.
        spec.commandLine().getErr().println("bench: timing " + iterations + " runs; Ctrl-C stops and prints what was measured so far");
        spec.commandLine().getErr().flush();
        Thread onInterrupt = new Thread(() -> {
            int n = done.get();
            progress.done();
            if (n < iterations) report(partial(latencies, n), b, m, heap[0], n, loadMs, firstResultMs, warmUp, true);
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try {
            for (int i = 0; i < iterations; i++) {
                long heapBefore = allocated(bean, ids); // around the run only: the progress bar allocates its text
                long t = System.nanoTime();
                session.run(x, y);
                latencies[i] = (System.nanoTime() - t) / 1e6;
                heap[0] += allocated(bean, ids) - heapBefore;
                done.set(i + 1);
                progress.step(i + 1, iterations);
            }
            progress.done();
            report(latencies, b, m, heap[0], iterations, loadMs, firstResultMs, warmUp, false);
        } finally {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
            session.close();
            m.close();
        }
        long bad = NonFinite.count(y);
        if (checkFinite && bad > 0) {
            spec.commandLine().getErr().println("bench: " + bad + " output values are NaN or infinite");
            return ExitCode.NON_FINITE;
        }
        return ExitCode.OK;
    }

    private static double[] partial(double[] latencies, int n) {
        return Arrays.copyOf(latencies, n);
    }

    private void report(double[] latencies, int b, Model m, long heapBytes, int runs, double loadMs, double firstResultMs,
                        WarmUpReport warmUp, boolean interrupted) {
        PrintWriter out = spec.commandLine().getOut();
        if (latencies.length == 0) {
            out.println("bench: stopped before the first timed run");
            out.flush();
            return;
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        double min = sorted[0];
        double median = sorted[sorted.length / 2];
        double p99 = sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)];
        long multAdds = m.compiledGraph().multAdds();
        double gflops = 2.0 * multAdds / (median / 1e3) / 1e9;
        double peak = FmaPeak.measure(m.threads(), 200);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.model);
        r.put("batch", b);
        r.put("threads", m.threads());
        r.put("convolution", m.convolution());
        r.put("batchParts", batchParts);
        r.put("runs", runs);
        r.put("interrupted", interrupted);
        r.put("latencyMs", Map.of("min", round(min), "median", round(median), "p99", round(p99)));
        r.put("imagesPerSecond", round(b / (median / 1e3)));
        r.put("gflops", round(gflops));
        r.put("fmaPeakGflops", round(peak));
        r.put("fmaPeakPercent", peak > 0 ? round(100 * gflops / peak) : null);
        r.put("heapBytesPerRun", runs == 0 ? 0 : heapBytes / runs);
        r.put("loadMs", round(loadMs));
        r.put("firstResultMs", round(firstResultMs));
        r.put("warmUpMs", warmUp.took().toMillis());
        r.put("warmUpSteady", warmUp.steady());
        r.put("arenaBytes", arenaBytes);
        r.put("weightBytes", m.weightBytes());
        if (json) {
            out.println(Json.write(r));
        } else {
            out.printf("%s, batch %d, %d thread(s)%s, %d timed runs%s%n", model.model, b, m.threads(),
                    batchParts > 1 ? " (a part of " + b / batchParts + " images each)" : "", runs, interrupted ? " (interrupted)" : "");
            out.printf("convolution:     %s%n", m.convolution());
            out.printf("latency ms:      min %.3f  median %.3f  p99 %.3f%n", min, median, p99);
            out.printf("throughput:      %.1f images/s%n", b / (median / 1e3));
            out.printf("compute:         %.1f GFLOP/s (%.1f%% of the %.1f GFLOP/s FMA peak on %d thread(s))%n", gflops,
                    peak > 0 ? 100 * gflops / peak : 0, peak, m.threads());
            out.printf("heap per run:    %d bytes (all threads)%n", runs == 0 ? 0 : heapBytes / runs);
            out.printf("load (warm JVM): %.1f ms;  first result (cold JVM): %.1f ms;  JIT warm-up: %d ms (%s)%n", loadMs, firstResultMs,
                    warmUp.took().toMillis(), warmUp.steady() ? "steady" : "stopped before steady state: see the warning above");
            out.printf("memory:          arena %,d bytes, weights %,d bytes%n", arenaBytes, m.weightBytes());
        }
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long allocated(com.sun.management.ThreadMXBean bean, long[] ids) {
        long s = 0;
        for (long id : ids) s += bean.getThreadAllocatedBytes(id);
        return s;
    }
}
