package googlenet.engine;

import googlenet.engine.plan.Plan;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.layout.HeapCopy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One arena of activations for one batch size, and the loop over the plan's steps. A session may be
 * handed from one thread to another, but two threads must not run it at once: a second concurrent
 * {@code run} fails fast with {@link IllegalStateException}. After warm-up a run allocates nothing on the
 * Java heap. Close it to free its arena; any use after that raises {@link IllegalStateException}. Closing its
 * {@link Model} closes it too, after a run in progress has finished.
 *
 * <p>Inputs are float32 NCHW of {@link #inputShape()}: an array, buffer or segment of another length, a segment whose
 * byte size is not a whole number of floats, or a {@link Tensor} of another rank or shape fails with
 * {@link IllegalArgumentException} saying what was expected and what was given.
 */
public final class Session implements AutoCloseable {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final Model model;
    private final Plan plan;
    private final Kernel[] kernels;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    /** Per thread of the model (this one first, then the workers): the kernels' scratch (see Kernel#scratchBytes). */
    private final MemorySegment[] scratch;
    private final long[] outputOffsets;
    private final int[] outputSizes;
    private final int inputSize;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile String closedBecause;
    private float[] heapBuffer;

    Session(Model model, Plan plan) {
        this.model = model;
        this.plan = plan;
        this.kernels = plan.kernels();
        this.memory = arena.allocate(Math.max(plan.arenaBytes(), 64), 64);
        long scratchBytes = 64;
        for (Kernel k : kernels) scratchBytes = Math.max(scratchBytes, k.scratchBytes());
        this.scratch = new MemorySegment[model.threads()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = arena.allocate(scratchBytes, 64);
        NativeMemory.allocated(memory.byteSize() + scratch.length * scratchBytes);
        this.inputSize = Math.toIntExact(plan.inputShape().elements());
        List<Plan.PlainRegion> outs = List.copyOf(plan.outputs().values());
        this.outputOffsets = outs.stream().mapToLong(Plan.PlainRegion::offset).toArray();
        this.outputSizes = outs.stream().mapToInt(r -> Math.toIntExact(r.shape().elements())).toArray();
    }

    public Shape inputShape() {
        return plan.inputShape();
    }

    /** Output names in the order {@link #run(float[], float[][])} fills them. */
    public List<String> outputNames() {
        return List.copyOf(plan.outputs().keySet());
    }

    public Shape outputShape(String name) {
        Plan.PlainRegion r = plan.outputs().get(name);
        if (r == null) throw new IllegalArgumentException("no output '" + name + "'; outputs are " + outputNames());
        return r.shape();
    }

    /** Bytes of this session's activation arena. */
    public long arenaBytes() {
        return plan.arenaBytes();
    }

    /** Bytes of the kernels' scratch (the Winograd convolutions' transformed tiles): this much per thread of the model. */
    public long scratchBytesPerThread() {
        return scratch[0].byteSize();
    }

    public Plan plan() {
        return plan;
    }

    /** Runs on {@code input} (NCHW float32, the session's input shape) and writes the first output. */
    public void run(float[] input, float[] output) {
        checkLength("input", input.length, inputSize);
        checkLength("output", output.length, outputSizes[0]);
        begin();
        try {
            HeapCopy.toSegment(input, memory, plan.inputOffset(), inputSize);
            execute();
            HeapCopy.fromSegment(memory, outputOffsets[0], output, outputSizes[0]);
        } finally {
            end();
        }
    }

    /** Runs and writes every output, in {@link #outputNames()} order. */
    public void run(float[] input, float[][] outputs) {
        checkLength("input", input.length, inputSize);
        if (outputs.length != outputOffsets.length) {
            throw new IllegalArgumentException("expected " + outputOffsets.length + " output arrays " + outputNames() + ", got " + outputs.length);
        }
        for (int i = 0; i < outputs.length; i++) checkLength("output " + i, outputs[i].length, outputSizes[i]);
        begin();
        try {
            HeapCopy.toSegment(input, memory, plan.inputOffset(), inputSize);
            execute();
            for (int i = 0; i < outputs.length; i++) {
                HeapCopy.fromSegment(memory, outputOffsets[i], outputs[i], outputSizes[i]);
            }
        } finally {
            end();
        }
    }

    /** Runs on a tensor of exactly {@link #inputShape()} and writes the first output. */
    public void run(Tensor input, float[] output) {
        Shape expected = inputShape();
        if (!input.shape().equals(expected)) {
            throw new IllegalArgumentException("input: expected shape " + expected + " (rank " + expected.rank() + ", N×C×H×W), got "
                    + input.shape() + " (rank " + input.shape().rank() + ")");
        }
        run(input.data(), output);
    }

    /** Runs from and into native or heap segments of float32 (native byte order). */
    public void run(MemorySegment input, MemorySegment output) {
        checkFloats("input", input);
        checkFloats("output", output);
        if (output.isReadOnly()) throw new IllegalArgumentException("output: the segment is read-only");
        checkLength("input", input.byteSize() / Float.BYTES, inputSize);
        checkLength("output", output.byteSize() / Float.BYTES, outputSizes[0]);
        begin();
        try {
            MemorySegment.copy(input, 0, memory, plan.inputOffset(), (long) inputSize * Float.BYTES);
            execute();
            MemorySegment.copy(memory, outputOffsets[0], output, 0, (long) outputSizes[0] * Float.BYTES);
        } finally {
            end();
        }
    }

    /** The classes of the plan's kernels, for {@link InternedConstants}. */
    java.util.Set<Class<?>> kernelClasses() {
        java.util.Set<Class<?>> classes = new java.util.LinkedHashSet<>();
        for (Kernel k : kernels) classes.add(k.getClass());
        return classes;
    }

    /** Runs from and into float buffers (their positions are not changed). */
    public void run(FloatBuffer input, FloatBuffer output) {
        checkLength("input", input.remaining(), inputSize);
        checkLength("output", output.remaining(), outputSizes[0]);
        begin();
        try {
            if (heapBuffer == null) heapBuffer = new float[Math.max(inputSize, outputSizes[0])];
            input.get(input.position(), heapBuffer, 0, inputSize);
            HeapCopy.toSegment(heapBuffer, memory, plan.inputOffset(), inputSize);
            execute();
            HeapCopy.fromSegment(memory, outputOffsets[0], heapBuffer, outputSizes[0]);
            output.put(output.position(), heapBuffer, 0, outputSizes[0]);
        } finally {
            end();
        }
    }

    /**
     * How long warm-up goes on while the JIT compiles nothing: a kernel that still allocates then has its final code,
     * and more runs cannot help. Long enough for a large tile's C2 compile on a loaded machine.
     */
    static final long JIT_IDLE_NANOS = 10_000_000_000L;

    /**
     * Brings the JIT to steady state, within {@code maxNanos} in all. First every conv register tile the plan uses, on a
     * scratch problem ({@link #warmUpTiles}). Then whole runs, step by step with the model's threads, measuring each
     * step's heap allocation on all of them: interpreted and C1 code box every vector, so a step that allocates has code
     * C2 has not compiled yet, and it is executed {@code minRounds} more times alone before the next run (a step that a
     * run executes once would otherwise take hundreds of runs to reach C2's invocation thresholds). Ends after three
     * whole runs in a row that allocate nothing, at the deadline, or when the JIT has compiled nothing for
     * {@link #JIT_IDLE_NANOS}; the report names the steps still allocating then.
     */
    WarmUpReport warmUp(int minRounds, long maxNanos) {
        long start = System.nanoTime();
        long deadline = start + maxNanos;
        begin();
        try {
            var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            // The tiles get a third of the time: one whose compiled code still allocates must not starve the runs.
            List<TileWarmUp> tiles = warmUpTiles(bean, minRounds, maxNanos / 3);
            List<Thread> threads = new java.util.ArrayList<>(model.workerThreads());
            threads.add(Thread.currentThread());
            long[] ids = threads.stream().mapToLong(Thread::threadId).toArray();
            WorkerPool pool = model.pool();
            long[] bytes = new long[kernels.length];
            long executions = 0;
            int clean = 0;
            JitProgress jit = new JitProgress();
            boolean jitIdle = false;
            while (clean < 3 && System.nanoTime() < deadline && !(jitIdle = jit.idleFor(JIT_IDLE_NANOS))) {
                boolean workers = pool.acquire();
                try {
                    boolean allClean = true;
                    for (int i = 0; i < kernels.length; i++) {
                        long before = allocated(bean, ids);
                        pool.run(kernels[i], memory, scratch, workers);
                        bytes[i] = allocated(bean, ids) - before;
                        allClean &= bytes[i] == 0;
                    }
                    executions += kernels.length;
                    clean = allClean ? clean + 1 : 0;
                    for (int i = 0; i < kernels.length && !allClean && System.nanoTime() < deadline; i++) {
                        if (bytes[i] == 0) continue;
                        for (int r = 0; r < minRounds; r++) pool.run(kernels[i], memory, scratch, workers);
                        executions += minRounds;
                    }
                } finally {
                    if (workers) pool.release();
                }
            }
            List<String> allocating = new java.util.ArrayList<>();
            for (TileWarmUp t : tiles) {
                if (!t.settled()) allocating.add("register tile " + t.tile() + " on a scratch problem, after " + t.calls() + " calls");
            }
            for (int i = 0; i < kernels.length; i++) {
                if (bytes[i] != 0) allocating.add("step " + i + " (" + kernels[i].describe() + "): " + bytes[i] + " bytes");
            }
            if (jitIdle && !allocating.isEmpty()) {
                allocating.add("stopped early: the JIT compiled nothing for " + JIT_IDLE_NANOS / 1_000_000_000 + " s, so more runs would not change this");
            }
            if (clean < 3 && allocating.isEmpty()) allocating.add("the time ran out after " + clean + " of the 3 clean runs in a row it waits for");
            return new WarmUpReport(plan.inputShape().dim(0), java.time.Duration.ofNanos(System.nanoTime() - start),
                    executions, allocating);
        } finally {
            end();
        }
    }

    /** Heap bytes allocated so far by these threads (one query per thread: the array-valued query would allocate). */
    private static long allocated(com.sun.management.ThreadMXBean bean, long[] ids) {
        long sum = 0;
        for (long id : ids) sum += bean.getThreadAllocatedBytes(id);
        return sum;
    }

    /**
     * Calls every conv register tile the plan uses on a small scratch problem, round-robin, until each has run at least
     * {@code minCalls} times and stopped allocating (the JIT has compiled it: interpreted and C1 code box every vector),
     * or {@code maxNanos} pass. A tile the plan runs only at a few border pixels or in one small step would otherwise
     * reach C2 long after the hot ones. Returns each tile's calls, in the order of {@link Conv2dKernels#tilesUsed}.
     */
    List<TileWarmUp> warmUpTiles(com.sun.management.ThreadMXBean bean, int minCalls, long maxNanos) {
        List<TileWarmUp> result = new java.util.ArrayList<>();
        // A shared arena, as the session's and the weights' are: the tiles' profiles then see the same segment types.
        try (Arena scratch = Arena.ofShared()) {
            List<Conv2dKernels.TileCall> tiles = Conv2dKernels.tileWarmUps(Arrays.asList(kernels), scratch);
            int[] clean = new int[tiles.size()];
            int[] count = new int[tiles.size()];
            long deadline = System.nanoTime() + maxNanos;
            JitProgress jit = new JitProgress();
            for (boolean pending = true; pending && System.nanoTime() < deadline && !jit.idleFor(JIT_IDLE_NANOS); ) {
                pending = false;
                for (int i = 0; i < tiles.size(); i++) {
                    if (count[i] >= minCalls && clean[i] >= 3) continue;
                    long before = bean.getCurrentThreadAllocatedBytes();
                    tiles.get(i).call().run();
                    count[i]++;
                    clean[i] = bean.getCurrentThreadAllocatedBytes() == before ? clean[i] + 1 : 0;
                    pending = true;
                }
            }
            for (int i = 0; i < tiles.size(); i++) result.add(new TileWarmUp(tiles.get(i).tile(), count[i], clean[i] >= 3));
        }
        return result;
    }

    /** One register tile's warm-up: calls made, and whether its last three calls allocated nothing. */
    record TileWarmUp(String tile, int calls, boolean settled) {
    }

    /**
     * Where a run's time goes: runs the plan {@code rounds} times on whatever the arena holds, with the model's threads
     * as {@code run} uses them, and returns each step's fastest time in nanoseconds, in plan order (noise from other
     * processes only adds time, so the minimum is the step's own cost).
     */
    public long[] profileSteps(int rounds) {
        if (rounds < 1) throw new IllegalArgumentException("rounds must be ≥ 1, got " + rounds);
        long[] best = new long[kernels.length];
        Arrays.fill(best, Long.MAX_VALUE);
        begin();
        try {
            WorkerPool pool = model.pool();
            boolean workers = pool.acquire();
            try {
                for (int r = 0; r < rounds; r++) {
                    for (int s = 0; s < kernels.length; s++) {
                        long t0 = System.nanoTime();
                        pool.run(kernels[s], memory, scratch, workers);
                        best[s] = Math.min(best[s], System.nanoTime() - t0);
                    }
                }
            } finally {
                if (workers) pool.release();
            }
        } finally {
            end();
        }
        return best;
    }

    private void execute() {
        WorkerPool pool = model.pool();
        boolean workers = pool.acquire();
        try {
            for (Kernel k : kernels) pool.run(k, memory, scratch, workers);
        } finally {
            if (workers) pool.release();
        }
    }

    private void begin() {
        if (!inUse.compareAndSet(false, true)) {
            String why = closedBecause;
            // A closing model holds the flag before it marks the session closed: report the closing, not a second thread.
            if (why == null && model.isClosed()) why = "session is closed: its model was closed";
            throw new IllegalStateException(why != null ? why : "session is already running on another thread; use one session per thread");
        }
        String why = closedBecause;
        if (why != null) {
            inUse.set(false);
            throw new IllegalStateException(why);
        }
    }

    private void end() {
        inUse.set(false);
    }

    private static void checkFloats(String what, MemorySegment s) {
        if (s.byteSize() % Float.BYTES != 0) {
            throw new IllegalArgumentException(what + ": " + s.byteSize() + " bytes is not a whole number of float32 values");
        }
    }

    private static void checkLength(String what, long actual, long expected) {
        if (actual != expected) throw new IllegalArgumentException(what + ": expected " + expected + " floats, got " + actual);
    }

    @Override
    public void close() {
        if (closedBecause != null) return;
        if (!inUse.compareAndSet(false, true)) {
            if (closedBecause != null || model.isClosed()) return; // closed, or being closed by its model
            throw new IllegalStateException("cannot close a session while it runs");
        }
        free("session is closed");
        model.forget(this);
    }

    /** Closes the session for its closing model: waits for a run in progress to end first. */
    void closeWithModel() {
        while (!inUse.compareAndSet(false, true)) {
            if (closedBecause != null) return;
            Thread.onSpinWait();
            Thread.yield();
        }
        free("session is closed: its model was closed");
    }

    /** Called holding {@code inUse}, which stays taken: no run can start again. */
    private void free(String because) {
        closedBecause = because;
        arena.close();
        NativeMemory.freed(memory.byteSize() + scratch.length * scratch[0].byteSize());
    }
}
