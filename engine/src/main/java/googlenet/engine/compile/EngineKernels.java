package googlenet.engine.compile;

import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.op.AdaptiveAvgPool2d;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Softmax;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Fused;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Op;
import googlenet.graph.op.Relu;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.conv.ConvGeometry;
import googlenet.kernels.conv.PackedConvWeights;
import googlenet.kernels.conv.WinogradWeights;
import googlenet.kernels.dense.PackedLinearWeights;
import googlenet.kernels.layout.ChannelCopy;
import googlenet.kernels.layout.PackInput;
import googlenet.kernels.layout.UnpackOutput;
import googlenet.kernels.norm.ChannelAffine;
import googlenet.kernels.pooling.AdaptiveAvgPool;
import googlenet.kernels.pooling.AvgPool;
import googlenet.kernels.pooling.MaxPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs a compiled graph's weights once, at model load, into the model's arena, and binds each plan step to the kernel
 * for its op: conv (with fused ReLU), pooling, LRN, linear, softmax. Batch-independent, so every plan of the model
 * shares the packed weights. A linear layer's weights are packed for the blocked shape of its input (a Flatten before
 * it is a free alias: the shape of what it flattens).
 */
public final class EngineKernels implements KernelBinder {
    private final Graph graph;
    private final Arena arena;
    private final Map<String, PackedConvWeights> packedConvs = new HashMap<>();
    private final Map<String, WinogradWeights> winogradConvs = new HashMap<>();
    private final Map<String, PackedLinearWeights> packedLinears = new HashMap<>();
    private long weightBytes;
    /** The convolutions' tiles as small loops, the max-pools and layout copies scalar (a one-shot run's compact kernels). */
    private final boolean compact;
    /** Packed weights kept between processes, or null (see googlenet.engine.Options#weightCache). */
    private final WeightCache cache;
    /** Every packed weight by name (a linear layer's padded bias under its name + {@link #BIAS}): what the cache saves. */
    private final Map<String, MemorySegment> packed = new LinkedHashMap<>();
    private static final String BIAS = "#bias";

    /**
     * Packs every convolution's weights: transformed for Winograd F(4×4, 3×3) where it applies (3×3, stride 1) and
     * pays (an output of at least 16 tiles; at 16, more than 32 input channels: see {@link WinogradWeights#pays}) unless
     * {@code exact}, else in the blocked layout of the direct kernels. The Winograd weights' output blocks are cut into
     * one part per thread ({@code threads}), so that a small layer's tasks split evenly.
     */
    public EngineKernels(Graph graph, Arena arena, boolean exact, int threads, boolean compact, Path cacheFolder) {
        this.graph = graph;
        this.compact = compact;
        this.arena = arena;
        this.cache = cacheFolder == null ? null : WeightCache.open(cacheFolder, graph, exact, threads, arena);
        for (Node node : graph.nodes()) {
            if (producer(node) instanceof Conv2d c) {
                ConvGeometry g = geometry(c);
                MemorySegment bias = c.bias() ? values(node, "bias") : null;
                MemorySegment cached = cache == null ? null : cache.get(node.name());
                if (!exact && WinogradWeights.supports(g)
                        && WinogradWeights.pays(g.inChannels(), node.shape().dim(2), node.shape().dim(3))) {
                    WinogradWeights w = null;
                    if (cached != null) {
                        try {
                            w = WinogradWeights.ofPacked(g, threads, cached);
                        } catch (IllegalArgumentException e) { // another size: never used, packed again
                            cache.forget(node.name());
                        }
                    }
                    if (w == null) w = packWinograd(node, g, bias, threads);
                    weightBytes += w.bytes();
                    winogradConvs.put(node.name(), w);
                    packed.put(node.name(), w.segment());
                } else {
                    PackedConvWeights w = null;
                    if (cached != null) {
                        try {
                            w = PackedConvWeights.ofPacked(g, c.bias(), cached);
                        } catch (IllegalArgumentException e) { // another size: never used, packed again
                            cache.forget(node.name());
                        }
                    }
                    if (w == null) w = packDirect(node, g, bias);
                    weightBytes += w.bytes();
                    packedConvs.put(node.name(), w);
                    packed.put(node.name(), w.segment());
                }
            } else if (producer(node) instanceof Linear l) {
                Shape in = linearInput(node);
                boolean image = in.rank() == 4;
                packLinear(node, l, in.dim(1), image ? in.dim(2) : 1, image ? in.dim(3) : 1, node.shape().dim(1));
            }
        }
        saveToCache();
    }

    /** The shape a linear layer reads: its input's, or what a Flatten before it flattens. */
    private Shape linearInput(Node node) {
        Node in = graph.node(node.inputs().getFirst());
        return in.op() instanceof Flatten ? graph.node(in.inputs().getFirst()).shape() : in.shape();
    }

    // Compact (a one-shot run): the scalar packing, the same bits, quicker than uncompiled vector code.

    private WinogradWeights packWinograd(Node node, ConvGeometry g, MemorySegment bias, int threads) {
        return compact ? WinogradWeights.packScalar(g, values(node, "weight"), bias, arena, threads)
                : WinogradWeights.pack(g, values(node, "weight"), bias, arena, threads);
    }

    private PackedConvWeights packDirect(Node node, ConvGeometry g, MemorySegment bias) {
        return compact ? PackedConvWeights.packScalar(g, values(node, "weight"), bias, arena)
                : PackedConvWeights.pack(g, values(node, "weight"), bias, arena);
    }

    private static Op producer(Node node) {
        return node.op() instanceof Fused f ? f.producer() : node.op();
    }

    /** Saves every packed weight to the cache file unless it held them all already. */
    private void saveToCache() {
        if (cache != null && !cache.holds(packed.keySet())) cache.save(packed);
    }

    /** Whether every convolution's packed weights came from the cache file (and none were packed here). */
    public boolean weightsFromCache() {
        return cache != null && cache.holds(packedConvs.keySet()) && cache.holds(winogradConvs.keySet());
    }

    /** Whether any convolution runs by Winograd. */
    public boolean winograd() {
        return !winogradConvs.isEmpty();
    }

    /** Bytes of packed weights. */
    public long weightBytes() {
        return weightBytes;
    }

    /** The weights packed at load, checked against the blocked shapes the plan gives the layer. */
    private PackedLinearWeights packedLinear(Node node, BlockedTensor in, BlockedTensor out) {
        PackedLinearWeights w = packedLinears.get(node.name());
        if (w == null || w.channels() != in.channels() || w.height() != in.height() || w.width() != in.width()
                || w.outFeatures() != out.channels()) {
            throw new IllegalStateException("linear '" + node.name() + "': weights packed at load for " + (w == null ? "no input"
                    : w.channels() + "×" + w.height() + "×" + w.width() + " → " + w.outFeatures()) + ", the plan reads "
                    + in.channels() + "×" + in.height() + "×" + in.width() + " → " + out.channels());
        }
        return w;
    }

    private void packLinear(Node node, Linear l, int channels, int height, int width, int outFeatures) {
        String name = node.name();
        MemorySegment cached = cache == null ? null : cache.get(name);
        MemorySegment cachedBias = cache == null ? null : cache.get(name + BIAS);
        PackedLinearWeights w = null;
        if (cached != null && cachedBias != null) {
            try {
                // Copied out of the mapping (4 MB for d2l), a precaution: the linear kernel reads its weights
                // through the Vector API, whose shared memory-access code would otherwise see mapped segments beside
                // native ones, the kind of JVM-wide profile pollution that made conv tiles allocate (docs/
                // performance.md; not shown to matter here; the conv kernels read mapped weights by address).
                MemorySegment copy = arena.allocate(cached.byteSize(), 64).copyFrom(cached);
                w = PackedLinearWeights.ofPacked(channels, height, width, outFeatures, copy,
                        cachedBias.toArray(ValueLayout.JAVA_FLOAT));
            } catch (IllegalArgumentException e) { // another size: never used, packed again
                cache.forget(name);
            }
        }
        if (w == null) {
            MemorySegment weight = values(node, "weight");
            MemorySegment bias = l.bias() ? values(node, "bias") : null;
            w = compact
                    ? PackedLinearWeights.packScalar(channels, height, width, outFeatures, weight, bias, arena)
                    : PackedLinearWeights.pack(channels, height, width, outFeatures, weight, bias, arena);
        }
        packed.put(name, w.segment());
        float[] bias = w.paddedBias();
        MemorySegment biasBytes = MemorySegment.ofArray(new byte[bias.length * Float.BYTES]);
        MemorySegment.copy(bias, 0, biasBytes, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, bias.length);
        packed.put(name + BIAS, biasBytes);
        weightBytes += w.bytes();
        packedLinears.put(name, w);
    }

    static ConvGeometry geometry(Conv2d c) {
        return new ConvGeometry(c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(), c.strideW(),
                c.padding().top(), c.padding().left(), c.padding().bottom(), c.padding().right(),
                c.dilationH(), c.dilationW(), c.groups());
    }

    private float[] weight(Node node, String role) {
        return graph.weights().get(node.name() + "." + role).data();
    }

    /** A weight's values as they are held (an imported model's are views of its file's bytes: read once, here). */
    private MemorySegment values(Node node, String role) {
        return graph.weights().get(node.name() + "." + role).values();
    }

    @Override
    public Kernel compute(Node node, List<BlockedTensor> inputs, BlockedTensor out) {
        Op op = node.op();
        boolean relu = false;
        if (op instanceof Fused f) {
            if (!(f.epilogue() instanceof Relu)) throw unsupported(node);
            op = f.producer();
            relu = true;
        }
        BlockedTensor in = inputs.getFirst();
        return switch (op) {
            case Conv2d c -> winogradConvs.containsKey(node.name())
                    ? Conv2dKernels.createWinograd(winogradConvs.get(node.name()), relu, in, out, compact)
                    : Conv2dKernels.create(geometry(c), packedConvs.get(node.name()), relu, in, out, compact);
            case MaxPool2d p -> compact
                    ? MaxPool.createScalar(in, out, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                    p.padding().top(), p.padding().left(), p.padding().bottom(), p.padding().right(), relu)
                    : MaxPool.create(in, out, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                    p.padding().top(), p.padding().left(), p.padding().bottom(), p.padding().right(), relu);
            case AvgPool2d p -> AvgPool.create(in, out, p.kernelH(), p.kernelW(), p.strideH(), p.strideW(),
                    p.padding().top(), p.padding().left(), p.padding().bottom(), p.padding().right(), p.countIncludePad(), relu);
            case AdaptiveAvgPool2d _ -> AdaptiveAvgPool.create(in, out, relu);
            case GlobalAvgPool _ -> googlenet.kernels.pooling.GlobalAvgPool.create(in, out, relu);
            case Lrn l -> googlenet.kernels.norm.Lrn.create(in, out, l.size(), (float) l.alpha(), (float) l.beta(), (float) l.k());
            case Linear l -> googlenet.kernels.dense.Linear.create(in, out, packedLinear(node, in, out), relu);
            case Softmax _ -> googlenet.kernels.dense.Softmax.create(in, out);
            case Relu _ -> googlenet.kernels.dense.Relu.create(in, out);
            case BatchNorm b -> ChannelAffine.createBatchNorm(in, out, weight(node, "weight"), weight(node, "bias"),
                    weight(node, "running_mean"), weight(node, "running_var"), (float) b.eps(), relu);
            default -> throw unsupported(node);
        };
    }

    private static GraphException unsupported(Node node) {
        return new GraphException("node '" + node.name() + "' (" + node.op().typeName() + "): no kernel for this op");
    }

    /** A direct convolution (with or without a fused ReLU) of at most one block of input channels. */
    @Override
    public boolean readsPlainInput(Node node) {
        boolean reluOrNothing = !(node.op() instanceof Fused f) || f.epilogue() instanceof Relu;
        return reluOrNothing && producer(node) instanceof Conv2d c && packedConvs.containsKey(node.name())
                && Conv2dKernels.readsPlainInput(geometry(c));
    }

    @Override
    public Kernel computeFromPlain(Node node, PlainTensor in, BlockedTensor out) {
        if (!readsPlainInput(node)) throw new IllegalArgumentException("node '" + node.name() + "' cannot read plain input");
        Conv2d c = (Conv2d) producer(node);
        return Conv2dKernels.create(geometry(c), packedConvs.get(node.name()), node.op() instanceof Fused, in, out, compact);
    }

    @Override
    public Kernel packInput(long plainOffset, BlockedTensor output) {
        return compact ? PackInput.createScalar(plainOffset, output) : PackInput.create(plainOffset, output);
    }

    @Override
    public Kernel unpackOutput(BlockedTensor input, long plainOffset) {
        return compact ? UnpackOutput.createScalar(input, plainOffset) : UnpackOutput.create(input, plainOffset);
    }

    @Override
    public Kernel copyChannels(BlockedTensor input, BlockedTensor output, int channelOffset) {
        return ChannelCopy.create(input, output, channelOffset);
    }
}
