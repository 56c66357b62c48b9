package googlenet.perf;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine test ConcurrentSessionsTest at full size: one model of a builtin network shared by T threads, each with
 * its own session, R inferences each on inputs that differ between threads and runs; every output must be bitwise the
 * single-threaded result for that input. Arguments: [network d2l] [threads 8] [runs 1000] [size 224] [model threads 2].
 * Prints progress every tenth of the runs, then the counts and the time; exits 1 on any difference.
 */
public final class ConcurrencySoak {
    private ConcurrencySoak() {
    }

    public static void main(String[] args) throws Exception {
        String network = args.length > 0 ? args[0] : "d2l";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int size = args.length > 3 ? Integer.parseInt(args[3]) : 224;
        int modelThreads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int inputs = 17;
        var graph = SeededWeights.apply(Builtins.build(network, Shape.of(1, 3, size, size), 1000), 0);
        float[][] x = new float[inputs][3 * size * size];
        float[][] expected = new float[inputs][1000];
        long start = System.nanoTime();
        try (Model single = Model.load(graph, Options.threads(1)); Session s = single.newSession(1)) {
            for (int i = 0; i < inputs; i++) {
                SplittableRandom r = new SplittableRandom(i);
                for (int k = 0; k < x[i].length; k++) x[i][k] = (float) r.nextDouble(-2, 2);
                s.run(x[i], expected[i]);
            }
        }
        System.out.printf("%s at %d×%d: %d single-threaded results in %.1f s%n", network, size, size, inputs, (System.nanoTime() - start) / 1e9);
        start = System.nanoTime();
        long began = start;
        long total = (long) threads * runs;
        long tenth = Math.max(1, total / 10);
        AtomicLong finished = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long mismatches = 0;
        long checked = 0;
        try (Model shared = Model.load(graph, Options.threads(modelThreads))) {
            List<Future<long[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    long bad = 0;
                    try (Session s = shared.newSession(1)) {
                        float[] y = new float[1000];
                        for (int i = 0; i < runs; i++) {
                            int k = (thread * 5 + i * (thread + 1)) % inputs;
                            s.run(x[k], y);
                            if (!Arrays.equals(bits(y), bits(expected[k]))) bad++;
                            long n = finished.incrementAndGet();
                            if (n % tenth == 0) System.out.printf("  %d/%d runs, %.0f s%n", n, total, (System.nanoTime() - began) / 1e9);
                        }
                    }
                    return new long[] {runs, bad};
                }));
            }
            for (Future<long[]> f : done) {
                checked += f.get()[0];
                mismatches += f.get()[1];
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d threads × %d runs on one model (%d worker threads): %d outputs checked, %d differ from the "
                + "single-threaded result, %.1f s (%.1f inferences/s)%n", threads, runs, modelThreads, checked, mismatches, seconds, checked / seconds);
        if (mismatches > 0) System.exit(1);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
