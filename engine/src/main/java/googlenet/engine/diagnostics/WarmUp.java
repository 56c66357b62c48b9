package googlenet.engine.diagnostics;

import googlenet.engine.runtime.StepLoop;
import googlenet.kernels.conv.Conv2dKernels;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings the JIT to steady state for one session's steps, within a deadline. First every conv register tile the plan
 * uses, on a scratch problem ({@link #tiles}). Then whole runs, step by step with the model's threads, measuring each
 * step's heap allocation on all of them: interpreted and C1 code box every vector, so a step that allocates has code C2
 * has not compiled yet, and it is executed {@code minRounds} more times alone before the next run (a step that a run
 * executes once would otherwise take hundreds of runs to reach C2's invocation thresholds). Ends after three whole
 * runs in a row that allocate nothing, at the deadline, or when the JIT has compiled nothing for {@link #JIT_IDLE_NANOS};
 * the result names the steps still allocating then.
 */
public final class WarmUp {
    /**
     * How long warm-up goes on while the JIT compiles nothing: a kernel that still allocates then has its final code,
     * and more runs cannot help. Long enough for a large tile's C2 compile on a loaded machine.
     */
    public static final long JIT_IDLE_NANOS = 10_000_000_000L;

    /** Steps and tiles executed, and what still allocated at the end (empty when steady). */
    public record Result(long executions, List<String> allocating) {
    }

    private WarmUp() {
    }

    /** {@code threads}: every thread the steps run on (the caller's and the model's workers). */
    public static Result run(StepLoop loop, List<Thread> threads, int minRounds, long maxNanos) {
        long deadline = System.nanoTime() + maxNanos;
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The tiles get a third of the time: one whose compiled code still allocates must not starve the runs.
        List<TileWarmUp> tiles = tiles(loop, bean, minRounds, maxNanos / 3);
        long[] ids = threads.stream().mapToLong(Thread::threadId).toArray();
        int steps = loop.steps();
        long[] bytes = new long[steps];
        long executions = 0;
        int clean = 0;
        JitProgress jit = new JitProgress();
        boolean jitIdle = false;
        while (clean < 3 && System.nanoTime() < deadline && !(jitIdle = jit.idleFor(JIT_IDLE_NANOS))) {
            try (StepLoop.Stepper stepper = loop.stepper()) {
                boolean allClean = true;
                for (int i = 0; i < steps; i++) {
                    long before = allocated(bean, ids);
                    stepper.run(i);
                    bytes[i] = allocated(bean, ids) - before;
                    allClean &= bytes[i] == 0;
                }
                executions += steps;
                clean = allClean ? clean + 1 : 0;
                for (int i = 0; i < steps && !allClean && System.nanoTime() < deadline; i++) {
                    if (bytes[i] == 0) continue;
                    for (int r = 0; r < minRounds; r++) stepper.run(i);
                    executions += minRounds;
                }
            }
        }
        List<String> allocating = new ArrayList<>();
        for (TileWarmUp t : tiles) {
            if (!t.settled()) allocating.add("register tile " + t.tile() + " on a scratch problem, after " + t.calls() + " calls");
        }
        for (int i = 0; i < steps; i++) {
            if (bytes[i] != 0) allocating.add("step " + i + " (" + loop.kernel(i).describe() + "): " + bytes[i] + " bytes");
        }
        if (jitIdle && !allocating.isEmpty()) {
            allocating.add("stopped early: the JIT compiled nothing for " + JIT_IDLE_NANOS / 1_000_000_000 + " s, so more runs would not change this");
        }
        if (clean < 3 && allocating.isEmpty()) allocating.add("the time ran out after " + clean + " of the 3 clean runs in a row it waits for");
        return new Result(executions, List.copyOf(allocating));
    }

    /** Heap bytes allocated so far by these threads (one query per thread: the array-valued query would allocate). */
    private static long allocated(com.sun.management.ThreadMXBean bean, long[] ids) {
        long sum = 0;
        for (long id : ids) sum += bean.getThreadAllocatedBytes(id);
        return sum;
    }

    /**
     * Calls every conv register tile the loop's kernels use on a small scratch problem, round-robin, until each has run
     * at least {@code minCalls} times and stopped allocating (the JIT has compiled it: interpreted and C1 code box every
     * vector), or {@code maxNanos} pass. A tile the plan runs only at a few border pixels or in one small step would
     * otherwise reach C2 long after the hot ones. Returns each tile's calls, in the order of
     * {@link Conv2dKernels#tilesUsed}.
     */
    public static List<TileWarmUp> tiles(StepLoop loop, com.sun.management.ThreadMXBean bean, int minCalls, long maxNanos) {
        List<TileWarmUp> result = new ArrayList<>();
        List<googlenet.kernels.Kernel> kernels = new ArrayList<>();
        for (int i = 0; i < loop.steps(); i++) kernels.add(loop.kernel(i));
        // A shared arena, as the session's and the weights' are: the tiles' profiles then see the same segment types.
        try (Arena scratch = Arena.ofShared()) {
            List<Conv2dKernels.TileCall> calls = Conv2dKernels.tileWarmUps(kernels, scratch);
            int[] clean = new int[calls.size()];
            int[] count = new int[calls.size()];
            long deadline = System.nanoTime() + maxNanos;
            JitProgress jit = new JitProgress();
            for (boolean pending = true; pending && System.nanoTime() < deadline && !jit.idleFor(JIT_IDLE_NANOS); ) {
                pending = false;
                for (int i = 0; i < calls.size(); i++) {
                    if (count[i] >= minCalls && clean[i] >= 3) continue;
                    long before = bean.getCurrentThreadAllocatedBytes();
                    calls.get(i).call().run();
                    count[i]++;
                    clean[i] = bean.getCurrentThreadAllocatedBytes() == before ? clean[i] + 1 : 0;
                    pending = true;
                }
            }
            for (int i = 0; i < calls.size(); i++) result.add(new TileWarmUp(calls.get(i).tile(), count[i], clean[i] >= 3));
        }
        return result;
    }

    /** One register tile's warm-up: calls made, and whether its last three calls allocated nothing. */
    public record TileWarmUp(String tile, int calls, boolean settled) {
    }
}
