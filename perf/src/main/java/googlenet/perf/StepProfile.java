package googlenet.perf;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one batch-1 run of a network goes, step by step, on one thread: the plan's kernels run in order on an arena
 * of the plan's size, after a long warm-up; each step's fastest time over many rounds (noise from other processes
 * only adds time), totals per op, and the fastest whole run beside the sum of the steps.
 * Arguments: [network] [warm-up seconds] [rounds]; defaults d2l 20 30.
 */
public final class StepProfile {
    private StepProfile() {
    }

    public static void main(String[] args) {
        String network = args.length > 0 ? args[0] : "d2l";
        double warm = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        try (Model model = Model.load(Networks.seeded(network, 1), Options.threads(1));
             Session session = model.newSession(1);
             Arena arena = Arena.ofConfined()) {
            Plan plan = session.plan();
            Kernel[] kernels = plan.kernels();
            MemorySegment memory = arena.allocate(Math.max(64, plan.arenaBytes()), 64);
            long end = System.nanoTime() + (long) (warm * 1e9);
            while (System.nanoTime() < end) runAll(kernels, memory);
            long[] best = new long[kernels.length];
            Arrays.fill(best, Long.MAX_VALUE);
            long bestRun = Long.MAX_VALUE;
            for (int r = 0; r < rounds; r++) {
                long run0 = System.nanoTime();
                for (int s = 0; s < kernels.length; s++) {
                    long t0 = System.nanoTime();
                    Kernel k = kernels[s];
                    for (int t = 0; t < k.tasks(); t++) k.run(memory, t);
                    best[s] = Math.min(best[s], System.nanoTime() - t0);
                }
                bestRun = Math.min(bestRun, System.nanoTime() - run0);
            }
            Map<String, double[]> byOp = new TreeMap<>();
            long sum = 0;
            System.out.printf("%-4s %9s  %-28s %s%n", "step", "µs", "node", "kernel");
            for (int s = 0; s < kernels.length; s++) {
                StepInfo info = plan.steps().get(s);
                String op = kernels[s].describe().split(" ")[0];
                if (op.equals("conv")) op = "conv " + kernels[s].describe().split(" ")[1].replaceAll("/.*", "");
                double[] o = byOp.computeIfAbsent(op, x -> new double[2]);
                o[0] += best[s] / 1e3;
                o[1]++;
                sum += best[s];
                System.out.printf("%-4d %9.1f  %-28s %s%n", s, best[s] / 1e3, info.node(), kernels[s].describe());
            }
            System.out.printf("%n%-14s %6s %10s %7s%n", "kernel", "steps", "µs", "share");
            for (Map.Entry<String, double[]> e : byOp.entrySet()) {
                System.out.printf("%-14s %6.0f %10.1f %6.1f%%%n", e.getKey(), e.getValue()[1], e.getValue()[0],
                        100 * e.getValue()[0] * 1e3 / sum);
            }
            System.out.printf("sum of fastest steps %.2f ms; fastest whole run %.2f ms (%d rounds after %.0f s warm-up)%n",
                    sum / 1e6, bestRun / 1e6, rounds, warm);
        }
    }

    private static void runAll(Kernel[] kernels, MemorySegment memory) {
        for (Kernel k : kernels) {
            for (int t = 0; t < k.tasks(); t++) k.run(memory, t);
        }
    }
}
