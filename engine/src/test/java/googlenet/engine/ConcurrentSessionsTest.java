package googlenet.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One model shared by 8 threads, each with its own session, 1000 inferences each on inputs that differ between
 * threads and runs: every output is bitwise the result a single-threaded model gives for that input.
 * tools/concurrency-soak does the same on builtin:d2l at 224×224.
 */
class ConcurrentSessionsTest {
    private static final int THREADS = 8;
    private static final int RUNS = 1000;
    private static final int INPUTS = 61; // prime, so each thread meets the inputs in its own order

    @Test
    void eightThreadsEachWithASessionMatchTheSingleThreadedResults() throws Exception {
        float[][] inputs = new float[INPUTS][];
        float[][] expected = new float[INPUTS][TinyD2l.CLASSES];
        try (Model single = Model.load(TinyD2l.graph(3), Options.threads(1)); Session s = single.newSession(1)) {
            for (int i = 0; i < INPUTS; i++) {
                inputs[i] = TinyD2l.input(i);
                s.run(inputs[i], expected[i]);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (Model shared = Model.load(TinyD2l.graph(3), Options.threads(2))) {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int checked = 0;
                    try (Session s = shared.newSession(1)) {
                        float[] y = new float[TinyD2l.CLASSES];
                        for (int i = 0; i < RUNS; i++) {
                            int k = (thread * 17 + i * (thread + 1)) % INPUTS;
                            s.run(inputs[k], y);
                            int[] want = bits(expected[k]);
                            int[] got = bits(y);
                            assertArrayEquals(want, got, () -> "thread " + thread + ", input " + k);
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) total += f.get();
            assertEquals(THREADS * RUNS, total);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Float.floatToRawIntBits(v[i]);
        return b;
    }
}
