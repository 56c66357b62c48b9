package googlenet.kernels;

import java.util.concurrent.CountDownLatch;

/**
 * Measures this machine's fused multiply-add peak in GFLOP/s with the Vector API: independent FMA chains
 * on registers (no memory traffic), the ceiling any conv kernel here can approach. 0 when the scalar
 * fallback is active.
 */
public final class FmaPeak {
    private FmaPeak() {
    }

    /** GFLOP/s over {@code threads} threads, best of a few rounds of about {@code millis} ms each. */
    public static double measure(int threads, int millis) {
        if (!Blocking.VECTOR) return 0;
        long warm = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < warm) VectorLoop.run(200); // until C2 has compiled the loop
        double best = 0;
        for (int round = 0; round < 3; round++) best = Math.max(best, once(threads, millis));
        return best;
    }

    private static double once(int threads, int millis) {
        long[] flops = new long[threads];
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        for (int t = 0; t < threads; t++) {
            int id = t;
            workers[t] = Thread.ofPlatform().daemon().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long n = 0;
                while (System.nanoTime() < deadline) n += VectorLoop.run(20_000);
                flops[id] = n;
            });
        }
        long t0 = System.nanoTime();
        start.countDown();
        long total = 0;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            total += flops[t];
        }
        return total / ((System.nanoTime() - t0) / 1e9) / 1e9;
    }

    /** Only loaded when the incubator module is present. */
    private static final class VectorLoop {
        private static final jdk.incubator.vector.VectorSpecies<Float> S = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        static volatile float sink;

        /** 12 independent accumulator chains (enough to cover FMA latency × 2 ports); returns the flops done. */
        static long run(int iterations) {
            var a = jdk.incubator.vector.FloatVector.broadcast(S, 1.0001f);
            var b = jdk.incubator.vector.FloatVector.broadcast(S, 0.9999f);
            var c0 = jdk.incubator.vector.FloatVector.zero(S);
            var c1 = c0; var c2 = c0; var c3 = c0; var c4 = c0; var c5 = c0;
            var c6 = c0; var c7 = c0; var c8 = c0; var c9 = c0; var c10 = c0; var c11 = c0;
            for (int i = 0; i < iterations; i++) {
                c0 = a.fma(b, c0); c1 = a.fma(b, c1); c2 = a.fma(b, c2); c3 = a.fma(b, c3);
                c4 = a.fma(b, c4); c5 = a.fma(b, c5); c6 = a.fma(b, c6); c7 = a.fma(b, c7);
                c8 = a.fma(b, c8); c9 = a.fma(b, c9); c10 = a.fma(b, c10); c11 = a.fma(b, c11);
            }
            sink = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                    .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
            return 2L * 12 * S.length() * iterations;
        }
    }
}
