package googlenet.perf;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Conv2d;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FmaPeak;
import googlenet.kernels.Kernel;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.conv.ConvGeometry;
import googlenet.kernels.conv.PackedConvWeights;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Every distinct conv shape of the d2l GoogLeNet at 224×224 on one thread, all in one JVM: a long round-robin
 * warm-up (every tile method is shared by many shapes, so this reaches steady state where a fork per shape, as
 * {@link ConvTable} does, may still measure the JIT on a busy machine), then rounds in which each shape runs a few
 * times and the fastest single run counts (noise from other processes only ever adds time). The FMA probe runs
 * before and after (best of short rounds); the table gives GFLOP/s, % of the probe, per kernel class, and the d2l network's conv total.
 * Arguments: [warm-up seconds] [rounds]; defaults 20 and 15.
 */
public final class ConvSweep {
    private ConvSweep() {
    }

    private record Case(String shape, ConvGeometry g, int h, int w, int uses, Kernel kernel, MemorySegment memory) {
        long multAdds() {
            return g.multAdds(h, w);
        }

        String kind() {
            return g.kernelH() + "x" + g.kernelW() + (g.strideH() > 1 ? "/" + g.strideH() : "");
        }

        void run() {
            for (int t = 0; t < kernel.tasks(); t++) kernel.run(memory, t);
        }
    }

    /** The FMA probe on one thread, best of several short rounds (a long round on a busy machine reads low). */
    private static double probe() {
        double best = 0;
        for (int i = 0; i < 6; i++) best = Math.max(best, FmaPeak.measure(1, 20));
        return best;
    }

    public static void main(String[] args) {
        double warmSeconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        Map<String, Integer> uses = new LinkedHashMap<>();
        Graph graph = Builtins.build("d2l");
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Conv2d c) {
                String key = c.inChannels() + "," + c.outChannels() + "," + c.kernelH() + "," + c.strideH() + ","
                        + c.padding().top() + "," + n.inputShapes().getFirst().dim(2) + "," + n.inputShapes().getFirst().dim(3);
                uses.merge(key, 1, Integer::sum);
            }
        }
        List<Case> cases = new ArrayList<>();
        Arena arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(1);
        for (Map.Entry<String, Integer> e : uses.entrySet()) {
            int[] p = Arrays.stream(e.getKey().split(",")).mapToInt(Integer::parseInt).toArray();
            ConvGeometry g = ConvGeometry.of(p[0], p[1], p[2], p[3], p[4]);
            float[] weights = new float[p[1] * p[0] * p[2] * p[2]];
            for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextDouble(-0.1, 0.1);
            PackedConvWeights packed = PackedConvWeights.pack(g, weights, new float[p[1]], arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, p[0], p[5], p[6]);
            long inBytes = BlockedTensor.bytes(1, p[0], p[5], p[6]);
            BlockedTensor out = BlockedTensor.dense(inBytes, 1, p[1], g.outHeight(p[5]), g.outWidth(p[6]));
            MemorySegment memory = arena.allocate(out.end(), 64);
            for (long i = 0; i < inBytes / 4; i++) memory.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble());
            cases.add(new Case(e.getKey(), g, p[5], p[6], e.getValue(), Conv2dKernels.create(g, packed, true, in, out), memory));
        }
        double peakBefore = probe();
        long warmEnd = System.nanoTime() + (long) (warmSeconds * 1e9);
        int warmRounds = 0;
        while (System.nanoTime() < warmEnd) {
            for (Case c : cases) c.run();
            warmRounds++;
        }
        long[] best = new long[cases.size()];
        Arrays.fill(best, Long.MAX_VALUE);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                int reps = (int) Math.clamp(20_000_000L / c.multAdds(), 2, 50);
                for (int k = 0; k < reps; k++) {
                    long t0 = System.nanoTime();
                    c.run();
                    best[i] = Math.min(best[i], System.nanoTime() - t0);
                }
            }
        }
        double peak = Math.max(peakBefore, probe());
        System.out.printf("warm-up %d rounds of every shape in %.0f s; FMA peak (1 thread, probe) %.1f GFLOP/s (%.1f before)%n",
                warmRounds, warmSeconds, peak, peakBefore);
        System.out.printf("%-22s %4s %12s %9s %9s %7s  %s%n", "in,out,k,s,pad,H,W", "uses", "mult-adds", "µs", "GFLOP/s", "%peak", "kernel");
        Map<String, double[]> byKind = new TreeMap<>();
        double networkUs = 0;
        double networkMadds = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            double us = best[i] / 1e3;
            double gflops = 2.0 * c.multAdds() / (us * 1e3);
            System.out.printf("%-22s %4d %12d %9.1f %9.1f %6.1f%%  %s%n", c.shape(), c.uses(), c.multAdds(), us, gflops,
                    100 * gflops / peak, c.kernel().describe());
            double[] k = byKind.computeIfAbsent(c.kind(), x -> new double[2]);
            k[0] += c.uses() * (double) c.multAdds();
            k[1] += c.uses() * us;
            networkUs += c.uses() * us;
            networkMadds += c.uses() * (double) c.multAdds();
        }
        System.out.printf("%nd2l batch 1, by kernel (weighted by uses):%n%-8s %14s %10s %9s %7s%n", "kernel", "mult-adds", "ms", "GFLOP/s", "%peak");
        for (Map.Entry<String, double[]> e : byKind.entrySet()) {
            double gflops = 2.0 * e.getValue()[0] / (e.getValue()[1] * 1e3);
            System.out.printf("%-8s %14.0f %10.2f %9.1f %6.1f%%%n", e.getKey(), e.getValue()[0], e.getValue()[1] / 1e3,
                    gflops, 100 * gflops / peak);
        }
        double gflops = 2.0 * networkMadds / (networkUs * 1e3);
        System.out.printf("%-8s %14.0f %10.2f %9.1f %6.1f%%%n", "all", networkMadds, networkUs / 1e3, gflops, 100 * gflops / peak);
        arena.close();
    }
}
