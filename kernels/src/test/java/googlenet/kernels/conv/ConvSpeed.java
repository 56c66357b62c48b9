package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.util.SplittableRandom;

/**
 * Timing harness (not a test): GFLOP/s (2 × mult-adds / time) of the convolution kernels on one thread on GoogLeNet's
 * heavy shapes at their real sizes, warm-up then best of N, and the bytes allocated by a loop over {@code run}. The
 * last column, in parentheses, is GFLOP/s by this thread's CPU time: less disturbed by other processes on a busy
 * machine (repeat runs anyway and take the best).
 * Run with the test classpath: {@code java --add-modules jdk.incubator.vector -cp ... googlenet.kernels.conv.ConvSpeed
 * [vector|scalar|both] [filter]}.
 */
public final class ConvSpeed {
    private ConvSpeed() {
    }

    record Shape(String name, ConvGeometry g, int h, int w) {
    }

    static final Shape[] SHAPES = {
        new Shape("3x3 64→192 56²", ConvGeometry.of(64, 192, 3, 1, 1), 56, 56),
        new Shape("3x3 128→192 28²", ConvGeometry.of(128, 192, 3, 1, 1), 28, 28),
        new Shape("3x3 96→208 14²", ConvGeometry.of(96, 208, 3, 1, 1), 14, 14),
        new Shape("3x3 160→320 7²", ConvGeometry.of(160, 320, 3, 1, 1), 7, 7),
        new Shape("5x5 32→96 28²", ConvGeometry.of(32, 96, 5, 1, 2), 28, 28),
        new Shape("5x5 48→128 7²", ConvGeometry.of(48, 128, 5, 1, 2), 7, 7),
        new Shape("1x1 192→64 28²", ConvGeometry.of(192, 64, 1, 1, 0), 28, 28),
        new Shape("1x1 832→384 7²", ConvGeometry.of(832, 384, 1, 1, 0), 7, 7),
        new Shape("7x7/2 3→64 224²", ConvGeometry.of(3, 64, 7, 2, 3), 224, 224),
    };

    public static void main(String[] args) throws ReflectiveOperationException {
        String mode = args.length > 0 ? args[0] : "vector";
        String filter = args.length > 1 ? args[1] : "";
        // Reflection: the kernels module (which the tests are patched into) does not read java.management.
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        // CPU time of this thread: on a busy machine, time spent descheduled does not count against the kernel.
        Method cpu = Class.forName("java.lang.management.ThreadMXBean").getMethod("getCurrentThreadCpuTime");
        System.out.printf("%-20s %-8s %10s %10s %8s  %s%n", "shape", "kernel", "ms", "GFLOP/s", "alloc B", "describe (GFLOP/s by thread CPU time)");
        for (Shape s : SHAPES) {
            if (!s.name().contains(filter)) {
                continue;
            }
            for (String kind : new String[] {"vector", "scalar"}) {
                if (!mode.equals("both") && !mode.equals(kind)) {
                    continue;
                }
                try (Arena arena = Arena.ofConfined()) {
                    ConvGeometry g = s.g();
                    SplittableRandom r = new SplittableRandom(1);
                    float[] wt = new float[g.outChannels() * g.inChannelsPerGroup() * g.kernelH() * g.kernelW()];
                    float[] bias = new float[g.outChannels()];
                    for (int i = 0; i < wt.length; i++) {
                        wt[i] = (float) r.nextDouble(-0.1, 0.1);
                    }
                    for (int i = 0; i < bias.length; i++) {
                        bias[i] = (float) r.nextDouble(-0.1, 0.1);
                    }
                    PackedConvWeights packed = PackedConvWeights.pack(g, wt, bias, arena);
                    BlockedTensor in = BlockedTensor.dense(0, 1, g.inChannels(), s.h(), s.w());
                    BlockedTensor out = BlockedTensor.dense(in.end(), 1, g.outChannels(), g.outHeight(s.h()), g.outWidth(s.w()));
                    MemorySegment seg = arena.allocate(out.end(), 64);
                    for (long off = 0; off < in.end(); off += Float.BYTES) {
                        seg.set(ValueLayout.JAVA_FLOAT_UNALIGNED, off, (float) r.nextDouble(-1, 1));
                    }
                    Kernel k = kind.equals("vector") ? Conv2dKernels.create(g, packed, true, in, out)
                            : Conv2dKernels.createScalar(g, packed, true, in, out);
                    double flops = 2.0 * g.multAdds(s.h(), s.w());
                    int reps = kind.equals("vector") ? Math.max(3, (int) (2e9 / flops)) : 1;
                    int warm = kind.equals("vector") ? Math.max(20, (int) (6e10 / flops)) : 1;
                    for (int i = 0; i < warm; i++) {
                        runAll(k, seg);
                    }
                    long best = Long.MAX_VALUE;
                    long bestCpu = Long.MAX_VALUE;
                    for (int round = 0; round < 10; round++) {
                        long c0 = (long) cpu.invoke(threads);
                        long t0 = System.nanoTime();
                        for (int i = 0; i < reps; i++) {
                            runAll(k, seg);
                        }
                        best = Math.min(best, (System.nanoTime() - t0) / reps);
                        bestCpu = Math.min(bestCpu, ((long) cpu.invoke(threads) - c0) / reps);
                    }
                    long probe = (long) allocated.invoke(threads);
                    long probeCost = (long) allocated.invoke(threads) - probe;
                    long allocBefore = (long) allocated.invoke(threads);
                    for (int i = 0; i < reps; i++) {
                        runAll(k, seg);
                    }
                    long alloc = (long) allocated.invoke(threads) - allocBefore - probeCost;
                    System.out.printf("%-20s %-8s %10.3f %10.1f %8d  %s (%.1f)%n", s.name(), kind, best / 1e6, flops / best,
                            alloc, k.describe(), flops / bestCpu);
                }
            }
        }
    }

    private static void runAll(Kernel k, MemorySegment seg) {
        for (int t = 0; t < k.tasks(); t++) {
            k.run(seg, t);
        }
    }
}
