package googlenet.perf;

import googlenet.engine.diagnostics.CoreRoundTrip;
import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;
import googlenet.kernels.FmaPeak;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where one batch-1 run of a network goes, step by step, on 1 thread and on T threads: after a long warm-up each
 * step's fastest time over many rounds ({@link Session#profileSteps}; noise from other processes only adds time), the
 * speed-up per step, totals per kernel kind, and where T threads lose against a perfect split (t1 / T); the FMA
 * probe's own T-thread scaling before and after, the ceiling for the network's.
 * Arguments: [network] [warm-up seconds] [rounds] [threads]; defaults d2l 20 30 2.
 */
public final class StepProfile {
    private static final int ROUND_TRIPS = 200_000;

    private StepProfile() {
    }

    public static void main(String[] args) {
        String network = args.length > 0 ? args[0] : "d2l";
        double warm = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        double[] probeBefore = probeScaling(threads);
        long[][] oneThread = profile(network, 1, warm, rounds);
        long[] one = oneThread[0];
        double tripBefore = CoreRoundTrip.measure(ROUND_TRIPS, 300_000_000L);
        long[][] manyThreads = threads == 1 ? oneThread : profile(network, threads, warm, rounds);
        long[] many = manyThreads[0];
        long levelsT = java.util.Arrays.stream(manyThreads[1]).sum();
        double tripAfter = CoreRoundTrip.measure(ROUND_TRIPS, 300_000_000L);
        double[] probeAfter = probeScaling(threads);
        try (Model model = Model.load(Networks.seeded(network, 1), Options.threads(1))) {
            Plan plan = model.plan(1);
            Map<String, double[]> byOp = new TreeMap<>();
            long sum1 = 0;
            long sumT = 0;
            System.out.printf("%-4s %9s %9s %6s %9s  %-24s %s%n", "step", "1 thr µs", threads + " thr µs", "×", "lost µs", "node", "kernel");
            for (int s = 0; s < plan.steps().size(); s++) {
                StepInfo info = plan.steps().get(s);
                String kernel = info.kernel();
                String op = kernel.split(" ")[0];
                if (op.equals("conv")) op = "conv " + kernel.split(" ")[1].replaceAll("/.*", "")
                        + (kernel.contains("winograd") ? " wino" : "");
                double lost = (many[s] - one[s] / (double) threads) / 1e3;
                double[] o = byOp.computeIfAbsent(op, x -> new double[4]);
                o[0]++;
                o[1] += one[s] / 1e3;
                o[2] += many[s] / 1e3;
                o[3] += lost;
                sum1 += one[s];
                sumT += many[s];
                System.out.printf("%-4d %9.1f %9.1f %6.2f %9.1f  %-24s %s%n", s, one[s] / 1e3, many[s] / 1e3,
                        one[s] / (double) many[s], lost, info.node(), kernel);
            }
            System.out.printf("%n%-14s %6s %10s %10s %7s %10s%n", "kernel", "steps", "1 thr µs", threads + " thr µs", "share", "lost µs");
            for (Map.Entry<String, double[]> e : byOp.entrySet()) {
                double[] o = e.getValue();
                System.out.printf("%-14s %6.0f %10.1f %10.1f %6.1f%% %10.1f%n", e.getKey(), o[0], o[1], o[2], 100 * o[1] * 1e3 / sum1, o[3]);
            }
            System.out.printf("sum of fastest steps: %.2f ms on 1 thread, %.2f ms on %d (×%.2f; a perfect split: %.2f ms); %d rounds after %.0f s warm-up%n",
                    sum1 / 1e6, sumT / 1e6, threads, sum1 / (double) sumT, sum1 / 1e6 / threads, rounds, warm);
            double probe = Math.max(probeBefore[1] / probeBefore[0], probeAfter[1] / probeAfter[0]);
            System.out.printf("levels (a level's steps at once, as a run shares them): %d, fastest sum %.2f ms on %d thread(s)"
                            + " (×%.2f of the steps' 1-thread sum = %.2f of the probe's best scaling)%n",
                    manyThreads[1].length, levelsT / 1e6, threads, sum1 / (double) levelsT, sum1 / (double) levelsT / probe);
            System.out.printf("FMA probe: %.1f GFLOP/s on 1 thread, %.1f on %d (×%.2f) before; %.1f, %.1f (×%.2f) after;"
                            + " network ×%.2f = %.2f of the probe's best scaling%n",
                    probeBefore[0], probeBefore[1], threads, probeBefore[1] / probeBefore[0], probeAfter[0], probeAfter[1],
                    probeAfter[1] / probeAfter[0], sum1 / (double) sumT, sum1 / (double) sumT / probe);
            // Far-apart vCPUs (a round trip of 300 ns and more) make every step's hand-off and every line one core reads
            // from the other slower: compare scaling only between runs with similar round trips.
            System.out.printf("core round trip around the %d-thread profile: %.0f ns before, %.0f ns after%n", threads,
                    tripBefore, tripAfter);
        }
    }

    /** The FMA probe's GFLOP/s on 1 thread and on {@code threads}, best of short rounds of each, interleaved. */
    private static double[] probeScaling(int threads) {
        double one = 0;
        double many = 0;
        for (int i = 0; i < 4; i++) {
            one = Math.max(one, FmaPeak.measure(1, 50));
            many = Math.max(many, FmaPeak.measure(threads, 50));
        }
        return new double[] {one, many};
    }

    /** Each step's fastest time, then each level's. */
    private static long[][] profile(String network, int threads, double warmSeconds, int rounds) {
        try (Model model = Model.load(Networks.seeded(network, 1), Options.threads(threads));
             Session session = model.newSession(1)) {
            model.warmUp(1);
            float[] x = new float[(int) session.inputShape().elements()];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.01);
            float[] y = new float[(int) session.outputShape(session.outputNames().getFirst()).elements()];
            long end = System.nanoTime() + (long) (warmSeconds * 1e9);
            while (System.nanoTime() < end) session.run(x, y);
            return new long[][] {session.profileSteps(rounds), session.profileLevels(rounds)};
        }
    }
}
