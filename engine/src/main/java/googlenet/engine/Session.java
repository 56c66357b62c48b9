package googlenet.engine;

import googlenet.engine.compile.CompiledPlan;
import googlenet.engine.diagnostics.WarmUp;
import googlenet.engine.plan.Plan;
import googlenet.engine.runtime.StepLoop;
import googlenet.engine.runtime.WorkerPool;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.kernels.layout.HeapCopy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.FloatBuffer;
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

    private final Model model;
    private final Plan plan;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    /** Per thread of the model (this one first, then the workers): the kernels' scratch (see Kernel#scratchBytes). */
    private final MemorySegment[] scratch;
    private final StepLoop loop;
    private final long[] outputOffsets;
    private final int[] outputSizes;
    private final int inputSize;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile String closedBecause;
    private float[] heapBuffer;

    Session(Model model, CompiledPlan compiled, WorkerPool pool) {
        this.model = model;
        this.plan = compiled.plan();
        this.memory = arena.allocate(Math.max(plan.arenaBytes(), 64), 64);
        long scratchBytes = StepLoop.scratchBytes(compiled.kernels());
        this.scratch = new MemorySegment[pool.threads()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = arena.allocate(scratchBytes, 64);
        this.loop = new StepLoop(compiled.kernels(), memory, scratch, pool);
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
            loop.run();
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
            loop.run();
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
            loop.run();
            MemorySegment.copy(memory, outputOffsets[0], output, 0, (long) outputSizes[0] * Float.BYTES);
        } finally {
            end();
        }
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
            loop.run();
            HeapCopy.fromSegment(memory, outputOffsets[0], heapBuffer, outputSizes[0]);
            output.put(output.position(), heapBuffer, 0, outputSizes[0]);
        } finally {
            end();
        }
    }

    /** Brings the JIT to steady state for this session's steps (see {@link WarmUp}). */
    WarmUpReport warmUp(int minRounds, long maxNanos) {
        long start = System.nanoTime();
        begin();
        try {
            List<Thread> threads = new java.util.ArrayList<>(model.workerThreads());
            threads.add(Thread.currentThread());
            WarmUp.Result r = WarmUp.run(loop, threads, minRounds, maxNanos);
            return new WarmUpReport(plan.inputShape().dim(0), java.time.Duration.ofNanos(System.nanoTime() - start),
                    r.executions(), r.allocating());
        } finally {
            end();
        }
    }

    /**
     * Where a run's time goes: runs the plan {@code rounds} times on whatever the arena holds, with the model's threads
     * as {@code run} uses them, and returns each step's fastest time in nanoseconds, in plan order (noise from other
     * processes only adds time, so the minimum is the step's own cost).
     */
    public long[] profileSteps(int rounds) {
        begin();
        try {
            return loop.profile(rounds);
        } finally {
            end();
        }
    }

    /** The steps' kernels, for warm-up's bookkeeping and tests. */
    StepLoop loop() {
        return loop;
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
