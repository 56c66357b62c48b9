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
    /** The plan each part runs (the whole batch's when there is one part). */
    private final Plan plan;
    private final Arena arena = Arena.ofShared();
    /** One arena per part of the batch: its images' activations (see {@link Model#newSession}). */
    private final MemorySegment[] parts;
    /** Per thread of the model (this one first, then the workers): the kernels' scratch (see Kernel#scratchBytes). */
    private final MemorySegment[] scratch;
    private final StepLoop loop;
    private final Shape inputShape;
    private final List<Shape> outputShapes;
    private final long[] outputOffsets;
    /** Floats of the input and of each output per part: a part's images are a contiguous run of the whole's. */
    private final int inputPerPart;
    private final int[] outputPerPart;
    private final AtomicBoolean inUse = new AtomicBoolean();
    private volatile String closedBecause;
    private float[] heapBuffer;

    /** A session of {@code parts} parts, each running {@code compiled} (its batch a {@code parts}-th of the session's). */
    Session(Model model, CompiledPlan compiled, int parts, WorkerPool pool) {
        this.model = model;
        this.plan = compiled.plan();
        this.parts = new MemorySegment[parts];
        for (int p = 0; p < parts; p++) this.parts[p] = arena.allocate(Math.max(plan.arenaBytes(), 64), 64);
        long scratchBytes = StepLoop.scratchBytes(compiled.kernels());
        this.scratch = new MemorySegment[pool.threads()];
        for (int i = 0; i < scratch.length; i++) scratch[i] = arena.allocate(scratchBytes, 64);
        this.loop = new StepLoop(compiled.kernels(), this.parts, scratch, pool);
        NativeMemory.allocated(nativeBytes());
        this.inputShape = wholeBatch(plan.inputShape(), parts);
        this.inputPerPart = Math.toIntExact(plan.inputShape().elements());
        List<Plan.PlainRegion> outs = List.copyOf(plan.outputs().values());
        this.outputShapes = outs.stream().map(r -> wholeBatch(r.shape(), parts)).toList();
        this.outputOffsets = outs.stream().mapToLong(Plan.PlainRegion::offset).toArray();
        this.outputPerPart = outs.stream().mapToInt(r -> Math.toIntExact(r.shape().elements())).toArray();
    }

    private static Shape wholeBatch(Shape partShape, int parts) {
        return partShape.with(0, partShape.dim(0) * parts);
    }

    private long nativeBytes() {
        return parts.length * parts[0].byteSize() + scratch.length * scratch[0].byteSize();
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
        return parts.length * plan.arenaBytes();
    }

    /**
     * Into how many parts the session splits a batch, each run whole by one thread on its own arena: the model's
     * thread count when it divides the batch, else 1 (every step shared by the threads).
     */
    public int parts() {
        return parts.length;
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
        checkLength("input", input.length, inputSize());
        checkLength("output", output.length, outputSize(0));
        begin();
        try {
            writeInput(input);
            loop.run();
            readOutput(0, output);
        } finally {
            end();
        }
    }

    /** Runs and writes every output, in {@link #outputNames()} order. */
    public void run(float[] input, float[][] outputs) {
        checkLength("input", input.length, inputSize());
        if (outputs.length != outputOffsets.length) {
            throw new IllegalArgumentException("expected " + outputOffsets.length + " output arrays " + outputNames() + ", got " + outputs.length);
        }
        for (int i = 0; i < outputs.length; i++) checkLength("output " + i, outputs[i].length, outputSize(i));
        begin();
        try {
            writeInput(input);
            loop.run();
            for (int i = 0; i < outputs.length; i++) readOutput(i, outputs[i]);
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
        checkLength("input", input.byteSize() / Float.BYTES, inputSize());
        checkLength("output", output.byteSize() / Float.BYTES, outputSize(0));
        begin();
        try {
            long in = (long) inputPerPart * Float.BYTES;
            long out = (long) outputPerPart[0] * Float.BYTES;
            for (int p = 0; p < parts.length; p++) MemorySegment.copy(input, p * in, parts[p], plan.inputOffset(), in);
            loop.run();
            for (int p = 0; p < parts.length; p++) MemorySegment.copy(parts[p], outputOffsets[0], output, p * out, out);
        } finally {
            end();
        }
    }

    /** Runs from and into float buffers (their positions are not changed). */
    public void run(FloatBuffer input, FloatBuffer output) {
        checkLength("input", input.remaining(), inputSize());
        checkLength("output", output.remaining(), outputSize(0));
        begin();
        try {
            if (heapBuffer == null) heapBuffer = new float[Math.max(inputSize(), outputSize(0))];
            input.get(input.position(), heapBuffer, 0, inputSize());
            writeInput(heapBuffer);
            loop.run();
            readOutput(0, heapBuffer);
            output.put(output.position(), heapBuffer, 0, outputSize(0));
        } finally {
            end();
        }
    }

    private int inputSize() {
        return inputPerPart * parts.length;
    }

    private int outputSize(int output) {
        return outputPerPart[output] * parts.length;
    }

    /** Copies each part's images (a contiguous run of the batch's) into its arena. */
    private void writeInput(float[] input) {
        for (int p = 0; p < parts.length; p++) {
            HeapCopy.toSegment(input, p * inputPerPart, parts[p], plan.inputOffset(), inputPerPart);
        }
    }

    private void readOutput(int output, float[] into) {
        int n = outputPerPart[output];
        for (int p = 0; p < parts.length; p++) HeapCopy.fromSegment(parts[p], outputOffsets[output], into, p * n, n);
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
        NativeMemory.freed(nativeBytes());
    }
}
