package googlenet.engine.runtime;

import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * A session's run: the plan's kernels over one arena, in order, each step's tasks shared by the model's threads when
 * no other run holds them, the steps of one plan level as one step ({@link ConcurrentSteps};
 * {@code -Dgooglenet.levels=false} shares each step on its own, for comparisons). Or, for a batch split into parts (one per thread, see {@code Model#newSession}), the same
 * plan over one arena per part, each part's whole run a task of its own: no step waits for another thread, and no
 * thread reads what another wrote. Allocates nothing per run.
 */
public final class StepLoop {
    private static final boolean GROUP_LEVELS = !"false".equals(System.getProperty("googlenet.levels"));
    private final Kernel[] kernels;
    /** What a run with the workers runs: the kernels, those of one level as one {@link ConcurrentSteps}. */
    private final Kernel[] levels;
    /** One arena per part; the first is the one {@link Stepper} and {@link #profile} run on. */
    private final MemorySegment[] parts;
    private final Kernel wholeParts = new WholeParts();
    /** Per thread of the pool (the caller first, then the workers): the kernels' scratch (see Kernel#scratchBytes). */
    private final MemorySegment[] scratch;
    private final WorkerPool pool;

    public StepLoop(List<Kernel> kernels, List<Integer> levels, MemorySegment[] parts, MemorySegment[] scratch,
                    WorkerPool pool) {
        if (scratch.length != pool.threads()) {
            throw new IllegalArgumentException(scratch.length + " scratch segments for " + pool.threads() + " threads");
        }
        if (levels.size() != kernels.size()) throw new IllegalArgumentException(levels.size() + " levels for " + kernels.size() + " kernels");
        this.kernels = kernels.toArray(Kernel[]::new);
        List<Kernel> grouped = new java.util.ArrayList<>();
        for (int s = 0; s < kernels.size(); ) {
            int e = s + 1;
            while (GROUP_LEVELS && e < kernels.size() && levels.get(e).equals(levels.get(s))) e++;
            grouped.add(e - s == 1 ? kernels.get(s) : new ConcurrentSteps(kernels.subList(s, e)));
            s = e;
        }
        this.levels = grouped.toArray(Kernel[]::new);
        if (parts.length < 1) throw new IllegalArgumentException("no arena");
        this.parts = parts.clone();
        this.scratch = scratch.clone();
        this.pool = pool;
    }

    /** The scratch bytes each thread needs for these kernels: the largest kernel's, at least 64. */
    public static long scratchBytes(List<Kernel> kernels) {
        long bytes = 64;
        for (Kernel k : kernels) bytes = Math.max(bytes, k.scratchBytes());
        return bytes;
    }

    public int steps() {
        return kernels.length;
    }

    public Kernel kernel(int step) {
        return kernels[step];
    }

    /** Runs every step in order (on every part). */
    public void run() {
        boolean workers = pool.acquire();
        try {
            if (parts.length == 1) {
                for (Kernel k : workers ? levels : kernels) pool.run(k, parts[0], scratch, workers);
            } else {
                pool.run(wholeParts, parts[0], scratch, workers);
            }
        } finally {
            if (workers) pool.release();
        }
    }

    /** Task p runs every step, all its tasks, on part p's arena, on the thread that claimed it. */
    private final class WholeParts implements Kernel {
        @Override
        public int tasks() {
            return parts.length;
        }

        @Override
        public void run(MemorySegment unused, int part, MemorySegment scratch) {
            MemorySegment memory = parts[part];
            for (Kernel k : kernels) {
                int n = k.tasks();
                for (int t = 0; t < n; t++) k.run(memory, t, scratch);
            }
        }

        @Override
        public void run(MemorySegment unused, int part) {
            throw new UnsupportedOperationException("a part runs with its thread's scratch");
        }

        @Override
        public String describe() {
            return "the whole plan on each of " + parts.length + " parts of the batch";
        }
    }

    /** Steps run one at a time, the model's workers held until {@link #close()}: for warm-up and profiling. */
    public final class Stepper implements AutoCloseable {
        private final boolean workers = pool.acquire();

        public void run(int step) {
            pool.run(kernels[step], parts[0], scratch, workers);
        }

        @Override
        public void close() {
            if (workers) pool.release();
        }
    }

    public Stepper stepper() {
        return new Stepper();
    }

    /**
     * Runs the plan {@code rounds} times (on the first part's arena, with every thread) on whatever the arena holds and
     * returns each step's fastest time in nanoseconds, in plan order, or with {@code byLevel} each level's, the steps of
     * a level run at once as {@link #run} runs them (noise from other processes only adds time, so the minimum is the
     * step's own cost).
     */
    public long[] profile(int rounds, boolean byLevel) {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be ≥ 1, got " + rounds);
        Kernel[] timed = byLevel ? levels : kernels;
        long[] best = new long[timed.length];
        Arrays.fill(best, Long.MAX_VALUE);
        try (Stepper s = stepper()) {
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < timed.length; i++) {
                    long t0 = System.nanoTime();
                    pool.run(timed[i], parts[0], scratch, s.workers);
                    best[i] = Math.min(best[i], System.nanoTime() - t0);
                }
            }
        }
        return best;
    }
}
