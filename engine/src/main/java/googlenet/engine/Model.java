package googlenet.engine;

import googlenet.engine.compile.CompiledPlan;
import googlenet.engine.compile.EngineKernels;
import googlenet.engine.compile.PlanBuilder;
import googlenet.engine.compile.passes.Passes;
import googlenet.engine.diagnostics.InternedConstants;
import googlenet.engine.plan.Plan;
import googlenet.engine.runtime.StepLoop;
import googlenet.engine.runtime.WorkerPool;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A compiled network: the graph after the inference passes, its weights packed once into native memory,
 * a plan per batch size (made on first use and cached) and the worker threads.
 *
 * <p>Thread contract: a {@code Model} is immutable and thread-safe; share one across the service. Each
 * thread that runs inferences uses its own {@link Session} (or takes one from a pool): a session may move
 * between threads but must not be used by two at once.
 *
 * <p>Closing the model waits for runs in progress to finish, then closes every session still open (freeing their
 * arenas), stops the workers and frees the packed weights. Afterwards {@code newSession}, {@code plan} and every run of
 * its sessions throw {@link IllegalStateException}; closing a session again does nothing. Native memory held by models
 * and sessions is counted in {@link NativeMemory}.
 */
public final class Model implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Model.class.getName());
    /** The most time {@link #warmUp} takes. */
    public static final long WARM_UP_SECONDS = 60;
    private static final boolean BATCH_SPLIT = !"false".equals(System.getProperty("googlenet.batchSplit"));

    private final Graph compiled;
    private final Arena weightsArena = Arena.ofShared();
    private final EngineKernels kernels;
    private final WorkerPool pool;
    /** {@link #keepsImagesApart} of the compiled graph: whether a batch may run as parts. */
    private final boolean imagesApart;
    private final Map<Integer, CompiledPlan> plans = new ConcurrentHashMap<>();
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Kept for the string table, which holds its entries weakly (see {@link InternedConstants}). */
    private volatile List<String> internedConstants = List.of();

    private Model(Graph graph, Options options) {
        if (!graph.hasWeights()) throw new GraphException("graph '" + graph.name() + "' has no weights");
        List<String> outputs = options.outputs().isEmpty() ? List.of(graph.outputs().keySet().iterator().next()) : options.outputs();
        this.compiled = Passes.run(graph, Passes.inference(outputs));
        this.kernels = new EngineKernels(compiled, weightsArena, options.exact(), options.threads(), options.compact(),
                options.weightCache());
        this.pool = new WorkerPool(options.threads(), "googlenet-" + graph.name());
        this.imagesApart = keepsImagesApart(compiled);
        NativeMemory.allocated(kernels.weightBytes());
        LOG.log(Level.DEBUG, () -> "compiled " + graph.name() + ": " + compiled.nodes().size() + " nodes, "
                + kernels.weightBytes() + " weight bytes, " + options.threads() + " threads");
    }

    /** Compiles a graph that carries its weights. */
    public static Model load(Graph graph, Options options) {
        return new Model(graph, options);
    }

    /** Loads an ONNX model file (weights included) and compiles it. */
    public static Model load(java.nio.file.Path onnxFile, Options options) throws java.io.IOException {
        return load(googlenet.graph.onnx.OnnxImporter.load(onnxFile), options);
    }

    /** Loads an ONNX model from a stream ({@code name} names it in errors) and compiles it. */
    public static Model load(java.io.InputStream onnx, String name, Options options) throws java.io.IOException {
        return load(googlenet.graph.onnx.OnnxImporter.load(onnx, name), options);
    }

    /**
     * Loads an ONNX model from its bytes ({@code name} names it in errors) and compiles it. The bytes are read in
     * place, not copied (the weights are packed straight from them), and the model keeps reading them (a linear
     * layer's weights, for one, are packed when the first session is made): they must not change while the model is
     * open, as if they were a mapped file.
     */
    public static Model load(byte[] onnx, String name, Options options) throws java.io.IOException {
        return load(googlenet.graph.onnx.OnnxImporter.load(onnx, name), options);
    }

    /**
     * Loads an ONNX model shipped as a resource, found as {@code anchor.getResourceAsStream(name)} finds it: a name
     * without a leading '/' is relative to the anchor's package. In a named module the resource's package must be
     * open to {@code googlenet.engine} (or the name must not map to a package, e.g. {@code /META-INF/model.onnx}).
     */
    public static Model loadResource(Class<?> anchor, String name, Options options) throws java.io.IOException {
        try (java.io.InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException("no resource '" + name + "' next to " + anchor.getName()
                        + " (in a named module, open its package to googlenet.engine)");
            }
            return load(in, name, options);
        }
    }

    /** A builtin network ({@code d2l}, {@code torchvision}, {@code bvlc}) at 224×224, 1000 classes, with seeded weights. */
    public static Model builtin(String name, long seed, Options options) {
        return load(SeededWeights.apply(Builtins.build(name), seed), options);
    }

    /**
     * A session for batches of {@code batch} images; the plan for that batch size is made once and cached. When the
     * model's thread count (2 or more) divides the batch, the session splits each batch into that many parts of
     * consecutive images, and each thread runs the whole plan of a part on an arena of its own: no step waits for the
     * other threads and no thread reads what another wrote (d2l at batch 8 on two threads: about 6 % faster than every
     * step shared, docs/performance.md). Every image's outputs are the same bits either way. {@code
     * -Dgooglenet.batchSplit=false} shares every step instead, for comparisons.
     */
    public Session newSession(int batch) {
        int parts = partsOf(batch);
        Session s = new Session(this, compiledPlan(batch / parts), parts, pool);
        sessions.add(s);
        if (closed.get()) { // closed while the session was made: close() may not have seen it
            s.closeWithModel();
            checkOpen();
        }
        return s;
    }

    private int partsOf(int batch) {
        int threads = pool.threads();
        return threads > 1 && batch % threads == 0 && BATCH_SPLIT && imagesApart ? threads : 1;
    }

    /**
     * Whether every node computes each image from that image alone, with the batch as the first dimension of every
     * tensor: then a batch's parts can run apart. Only a Flatten at another axis than 1 and a Concat along the batch
     * mix images (Softmax and Linear act on rows of N×K).
     */
    private static boolean keepsImagesApart(Graph g) {
        return g.nodes().stream().map(Node::op).noneMatch(op -> op instanceof Flatten f && f.axis() != 1
                || op instanceof Concat c && c.axis() == 0);
    }

    /** A session closed by its user no longer needs closing with the model. */
    void forget(Session s) {
        sessions.remove(s);
    }

    /**
     * Brings the JIT to steady state for this batch size, so that the first real inference runs at full speed and
     * allocates nothing: the Vector API boxes every vector, and runs slowly, until C2 has compiled the code. Calls every
     * conv register tile the plan uses on a scratch problem, then runs the plan, executing again each step that still
     * allocates, until three runs in a row allocate nothing on any of the model's threads, or {@value #WARM_UP_SECONDS} s
     * pass (then it logs a warning naming the steps). Takes a few seconds; a service calls it once at start.
     */
    public WarmUpReport warmUp(int batch) {
        try (Session s = newSession(batch)) {
            WarmUpReport report = s.warmUp(20, WARM_UP_SECONDS * 1_000_000_000L);
            // The public run methods too: their first call resolves constants and links the method handles of their
            // copies (about 4–7 KB of garbage in the first run after a warm-up that ran only the steps).
            float[] x = new float[Math.toIntExact(s.inputShape().elements())];
            float[][] outputs = s.outputNames().stream()
                    .map(name -> new float[Math.toIntExact(s.outputShape(name).elements())]).toArray(float[][]::new);
            for (int r = 0; r < 3; r++) {
                s.run(x, outputs[0]);
                s.run(x, outputs);
            }
            internConstants(s);
            LOG.log(report.steady() ? Level.DEBUG : Level.WARNING, report::toString);
            return report;
        }
    }

    /** Interns the string constants of the code the session's runs execute (added to those of earlier warm-ups). */
    private void internConstants(Session s) {
        List<Class<?>> roots = new java.util.ArrayList<>(List.of(Session.class, StepLoop.class, WorkerPool.class));
        for (int i = 0; i < s.loop().steps(); i++) roots.add(s.loop().kernel(i).getClass());
        long start = System.nanoTime();
        List<String> more = InternedConstants.reachableFrom(roots);
        LOG.log(Level.DEBUG, () -> "interned " + more.size() + " string constants of the run's code in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
        synchronized (this) {
            Set<String> all = new java.util.LinkedHashSet<>(internedConstants);
            all.addAll(more);
            internedConstants = List.copyOf(all);
        }
    }

    /** What the plan for this batch size does: its steps, arena and concats (made once and cached). */
    public Plan plan(int batch) {
        return compiledPlan(batch).plan();
    }

    /** The plan for this batch size with its kernels. */
    CompiledPlan compiledPlan(int batch) {
        checkOpen();
        if (batch < 1) throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        CompiledPlan plan = plans.computeIfAbsent(batch, b -> {
            Shape base = compiled.inputs().getFirst().shape();
            Graph g = base.dim(0) == b ? compiled : compiled.withInputShape(base.with(0, b));
            return PlanBuilder.build(g, kernels);
        });
        return plan;
    }

    /** The graph after the inference passes (BatchNorm folded, activations fused, unused outputs pruned). */
    public Graph compiledGraph() {
        return compiled;
    }

    public Shape inputShape(int batch) {
        return compiled.inputs().getFirst().shape().with(0, batch);
    }

    public List<String> outputs() {
        return List.copyOf(compiled.outputs().keySet());
    }

    /** Bytes of packed weights in native memory. */
    /** Whether the convolutions' packed weights were mapped from {@link Options#weightCache} instead of packed. */
    public boolean weightsFromCache() {
        return kernels.weightsFromCache();
    }

    public long weightBytes() {
        return kernels.weightBytes();
    }

    public int threads() {
        return pool.threads();
    }

    /** "winograd" when some 3×3 stride-1 convolution runs Winograd F(4×4, 3×3), else "direct" (see {@link Options#exact}). */
    public String convolution() {
        return kernels.winograd() ? "winograd" : "direct";
    }

    /** The model's worker threads (for allocation accounting in tests and benchmarks). */
    public List<Thread> workerThreads() {
        return List.of(pool.workerThreads());
    }

    void checkOpen() {
        if (closed.get()) throw new IllegalStateException("model '" + compiled.name() + "' is closed");
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Waits for runs in progress, closes the sessions still open, stops the workers and frees the weights. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (Session s : sessions) s.closeWithModel();
        sessions.clear();
        pool.close();
        weightsArena.close();
        NativeMemory.freed(kernels.weightBytes());
    }
}
