package googlenet.engine;

import googlenet.engine.compile.CompiledPlan;
import googlenet.engine.diagnostics.WarmUp;
import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;
import googlenet.engine.runtime.PartArenas;
import googlenet.engine.runtime.StepLoop;
import googlenet.engine.runtime.WorkerPool;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
    private final Model model;
    /** The plan each part runs (the whole batch's when there is one part). */
    private final Plan plan;
    private final Arena arena = Arena.ofShared();
    private final PartArenas memory;
    /** Per thread of the model (this one first, then the workers): the kernels' scratch (see Kernel#scratchBytes). */
    private final MemorySegment[] scratch;
    private final StepLoop loop;
    private final Shape inputShape;
    private final List<Shape> outputShapes;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile String closedBecause;
    private float[] heapBuffer;

    /** A session of {@code parts} parts, each running {@code compiled} (its batch a {@code parts}-th of the session's). */
    Session(Model model, CompiledPlan compiled, int parts, WorkerPool pool) {
        this.model = model;
        this.plan = compiled.plan();
        this.memory = new PartArenas(arena, plan, parts);
        long scratchBytes = StepLoop.scratchBytes(compiled.kernels());
        this.scratch = new MemorySegment[pool.threads()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = arena.allocate(scratchBytes, 64);
        this.loop = new StepLoop(compiled.kernels(), plan.steps().stream().map(StepInfo::level).toList(),
                memory.segments(), scratch, pool);
        NativeMemory.allocated(nativeBytes());
        this.inputShape = plan.inputShape().with(0, plan.inputShape().dim(0) * parts);
        this.outputShapes = plan.outputs().values().stream().map(r -> r.shape().with(0, r.shape().dim(0) * parts)).toList();
    }

    private long nativeBytes() {
        return memory.bytes() + scratch.length * scratch[0].byteSize();
    }

    public Shape inputShape() {
        return inputShape;
    }

    /** Output names in the order {@link #run(float[], float[][])} fills them. */
    public List<String> outputNames() {
        return List.copyOf(plan.outputs().keySet());
    }

    public Shape outputShape(String name) {
        int i = outputNames().indexOf(name);
        if (i < 0) throw new IllegalArgumentException("no output '" + name + "'; outputs are " + outputNames());
        return outputShapes.get(i);
    }

    /** Bytes of this session's activation arenas (one per part). */
    public long arenaBytes() {
        return memory.parts() * plan.arenaBytes();
    }

    /**
     * Into how many parts the session splits a batch, each run whole by one thread on its own arena: the model's
     * thread count when it divides the batch, else 1 (every step shared by the threads).
     */
    public int parts() {
        return memory.parts();
    }

    /** Bytes of the kernels' scratch (the Winograd convolutions' transformed tiles): this much per thread of the model. */
    public long scratchBytesPerThread() {
        return scratch[0].byteSize();
    }

    /** The plan each part runs: for the whole batch when {@link #parts()} is 1, else for a part's images. */
    public Plan plan() {
        return plan;
    }

    /** Runs on {@code input} (NCHW float32, the session's input shape) and writes the first output. */
    public void run(float[] input, float[] output) {
        memory.checkInput(input.length);
        memory.checkOutput(0, output.length);
        begin();
        try {
            memory.writeInput(input);
            loop.run();
            memory.readOutput(0, output);
        } finally {
            end();
        }
    }

    /** Runs and writes every output, in {@link #outputNames()} order. */
    public void run(float[] input, float[][] outputs) {
        memory.checkInput(input.length);
        if (outputs.length != outputShapes.size()) {
            throw new IllegalArgumentException("expected " + outputShapes.size() + " output arrays " + outputNames() + ", got " + outputs.length);
        }
        for (int i = 0; i < outputs.length; i++) memory.checkOutput(i, outputs[i].length);
        begin();
        try {
            memory.writeInput(input);
            loop.run();
            for (int i = 0; i < outputs.length; i++) memory.readOutput(i, outputs[i]);
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
        memory.checkInput(input.byteSize() / Float.BYTES);
        memory.checkOutput(0, output.byteSize() / Float.BYTES);
        begin();
        try {
            memory.writeInput(input);
            loop.run();
            memory.readOutput(0, output);
        } finally {
            end();
        }
    }

    /** Runs from and into float buffers (their positions are not changed). */
    public void run(FloatBuffer input, FloatBuffer output) {
        memory.checkInput(input.remaining());
        memory.checkOutput(0, output.remaining());
        begin();
        try {
            if (heapBuffer == null) heapBuffer = new float[Math.max(memory.inputFloats(), memory.outputFloats(0))];
            input.get(input.position(), heapBuffer, 0, memory.inputFloats());
            memory.writeInput(heapBuffer);
            loop.run();
            memory.readOutput(0, heapBuffer);
            output.put(output.position(), heapBuffer, 0, memory.outputFloats(0));
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
            return new WarmUpReport(inputShape.dim(0), java.time.Duration.ofNanos(System.nanoTime() - start),
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
        return profile(rounds, false);
    }

    /**
     * As {@link #profileSteps}, but each level's fastest time (index: {@link googlenet.engine.plan.StepInfo#level()}),
     * its steps run at once as {@code run} runs them on several threads.
     */
    public long[] profileLevels(int rounds) {
        return profile(rounds, true);
    }

    private long[] profile(int rounds, boolean byLevel) {
        begin();
        try {
            return loop.profile(rounds, byLevel);
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
        NativeMemory.freed(nativeBytes());
    }
}
