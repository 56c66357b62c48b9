package googlenet.engine.compile;

import googlenet.engine.plan.ConcatPlacement;
import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Input;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a graph that went through the passes into a {@link CompiledPlan}: one step per computing node, every
 * tensor a buffer with a lifetime over the step order, concats placed in place where their slices are
 * aligned to the channel block, buffers placed in one arena by {@link ArenaPlanner}, then kernels bound
 * to the final views. The input is copied in plain (NCHW); it is packed to the blocked layout by a first step, unless
 * its only reader can read it plain (a first convolution of at most one block of channels: the RGB stem).
 */
public final class PlanBuilder {
    private enum Kind { PACK, UNPACK, COPY, COMPUTE, COMPUTE_FROM_PLAIN }

    private record PendingStep(Node node, Kind kind, List<Value> inputs, Value output, int channelOffset, Buffer plain) {
    }

    private final Graph graph;
    private final List<Buffer> buffers = new ArrayList<>();
    private final Map<String, Value> values = new HashMap<>();
    private final List<PendingStep> steps = new ArrayList<>();
    private final List<ConcatPlacement> concats = new ArrayList<>();
    /** Branch node → its channel slice of the concat output, for concats placed in place. */
    private final Map<String, Value> slices = new HashMap<>();

    private PlanBuilder(Graph graph) {
        this.graph = graph;
    }

    public static CompiledPlan build(Graph graph, KernelBinder binder) {
        return new PlanBuilder(graph).compile(binder);
    }

    private CompiledPlan compile(KernelBinder binder) {
        List<Node> inputs = graph.inputs();
        if (inputs.size() != 1) throw new GraphException("graph '" + graph.name() + "' has " + inputs.size() + " inputs; one is supported");
        placeConcats();
        Buffer inputPlain = null;
        String plainReader = null;
        for (Node node : graph.nodes()) {
            switch (node.op()) {
                case Input _ -> {
                    inputPlain = buffer(node.name() + ":plain", node.shape().elements() * Float.BYTES);
                    List<Node> readers = graph.consumers(node.name());
                    if (readers.size() == 1 && readers.getFirst().inputs().equals(List.of(node.name()))
                            && node.shape().rank() == 4 && !graph.outputs().containsValue(node.name())
                            && binder.readsPlainInput(readers.getFirst())) {
                        plainReader = readers.getFirst().name();
                    } else {
                        Value v = newValue(node);
                        steps.add(new PendingStep(node, Kind.PACK, List.of(), v, 0, inputPlain));
                    }
                }
                case Flatten _ -> {
                    requireBatchKeptOrOutputOnly(node);
                    values.put(node.name(), values.get(node.inputs().getFirst()));
                }
                case Concat _ when slices.containsKey(node.inputs().getFirst()) -> values.put(node.name(), concatValue(node));
                case Concat _ -> {
                    Value out = newValue(node);
                    int offset = 0;
                    for (String in : node.inputs()) {
                        Value v = values.get(in);
                        steps.add(new PendingStep(node, Kind.COPY, List.of(v), out, offset, null));
                        offset += v.channels();
                    }
                }
                default -> steps.add(node.name().equals(plainReader)
                        ? new PendingStep(node, Kind.COMPUTE_FROM_PLAIN, List.of(), valueFor(node), 0, inputPlain)
                        : new PendingStep(node, Kind.COMPUTE, node.inputs().stream().map(values::get).toList(),
                        valueFor(node), 0, null));
            }
        }
        Map<String, Buffer> outputPlain = new LinkedHashMap<>();
        for (var e : graph.outputs().entrySet()) {
            Node node = graph.node(e.getValue());
            Buffer plain = buffer(e.getKey() + ":plain", node.shape().elements() * Float.BYTES);
            outputPlain.put(e.getKey(), plain);
            steps.add(new PendingStep(node, Kind.UNPACK, List.of(values.get(node.name())), null, 0, plain));
        }
        int[] levels = orderByLevel();
        int last = steps.size() - 1;
        // A level's steps may run at the same time: what any of them touches is live from its first step to its last.
        for (int first = 0, end; first < steps.size(); first = end) {
            end = first + 1;
            while (end < levels.length && levels[end] == levels[first]) end++;
            for (PendingStep p : steps.subList(first, end)) {
                for (Value v : p.inputs()) live(v.buffer(), first, end - 1);
                if (p.output() != null) live(p.output().buffer(), first, end - 1);
                if (p.plain() != null) live(p.plain(), first, end - 1);
            }
        }
        inputPlain.liveAt(0);
        for (Buffer b : outputPlain.values()) b.liveAt(last);

        List<ArenaPlanner.Request> requests = buffers.stream().map(b -> new ArenaPlanner.Request(b.bytes, b.first, b.last)).toList();
        ArenaPlanner.Result placed = ArenaPlanner.plan(requests);
        for (int i = 0; i < buffers.size(); i++) buffers.get(i).offset = placed.offsets()[i];

        List<Kernel> kernels = new ArrayList<>();
        List<StepInfo> infos = new ArrayList<>();
        for (int s = 0; s < steps.size(); s++) {
            PendingStep p = steps.get(s);
            Kernel k = switch (p.kind()) {
                case PACK -> binder.packInput(p.plain().offset, p.output().view());
                case UNPACK -> binder.unpackOutput(p.inputs().getFirst().view(), p.plain().offset);
                case COPY -> binder.copyChannels(p.inputs().getFirst().view(), p.output().view(), p.channelOffset());
                case COMPUTE -> binder.compute(p.node(), p.inputs().stream().map(Value::view).toList(), p.output().view());
                case COMPUTE_FROM_PLAIN -> binder.computeFromPlain(p.node(), plainInput(p.plain()), p.output().view());
            };
            kernels.add(k);
            String op = switch (p.kind()) {
                case PACK -> "PackInput";
                case UNPACK -> "UnpackOutput";
                case COPY -> "ConcatCopy";
                case COMPUTE, COMPUTE_FROM_PLAIN -> p.node().op().typeName();
            };
            long outOffset = p.output() != null ? p.output().view().offset() : p.plain().offset;
            long outBytes = p.output() != null ? BlockedTensor.bytes(p.output().batch(), p.output().channels(),
                    p.output().height(), p.output().width()) : p.plain().bytes;
            infos.add(new StepInfo(p.node().name(), op, k.describe(), p.kind() == Kind.COMPUTE_FROM_PLAIN
                    ? List.of(p.plain().name + "@" + p.plain().offset)
                    : p.inputs().stream().map(v -> v.buffer().name + "@" + v.view().offset()).toList(),
                    p.output() != null ? p.output().buffer().name : p.plain().name, outOffset, outBytes, levels[s]));
        }
        Map<String, Plan.PlainRegion> outputs = new LinkedHashMap<>();
        outputPlain.forEach((name, b) -> outputs.put(name, new Plan.PlainRegion(graph.output(name).shape(), b.offset)));
        return new CompiledPlan(new Plan(infos, inputs.getFirst().shape(), inputPlain.offset, outputs,
                placed.arenaBytes(), placed.lowerBoundBytes(), concats), kernels);
    }

    private static void live(Buffer b, int first, int last) {
        b.liveAt(first);
        b.liveAt(last);
    }

    /**
     * Puts the steps in order of their level (stably) and returns each step's level: 0 for a step that reads only the
     * caller's input, else one more than the highest level of a step that wrote something it reads. Steps of one level
     * read nothing another writes (an Inception block's four first steps, then the three that follow), so the threads
     * can share their tasks as one step's (see {@code StepLoop}); they write disjoint whole blocks of channels.
     */
    private int[] orderByLevel() {
        Map<Buffer, Integer> writtenAt = new HashMap<>();
        int[] level = new int[steps.size()];
        for (int s = 0; s < steps.size(); s++) {
            PendingStep p = steps.get(s);
            int l = 0;
            for (Value v : p.inputs()) l = Math.max(l, writtenAt.getOrDefault(v.buffer(), -1) + 1);
            Buffer written = p.output() != null ? p.output().buffer() : p.plain();
            // Copies into a concat may share a block of channels, which each rewrites whole: one at a time. (The slices
            // of an in-place concat start on a block and end on one or at the concat's end: no block is shared.)
            if (p.kind() == Kind.COPY) l = Math.max(l, writtenAt.getOrDefault(written, -1) + 1);
            level[s] = l;
            writtenAt.merge(written, l, Math::max);
        }
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < steps.size(); s++) order.add(s);
        order.sort(java.util.Comparator.comparingInt(s -> level[s]));
        List<PendingStep> sorted = order.stream().map(steps::get).toList();
        steps.clear();
        steps.addAll(sorted);
        return order.stream().mapToInt(s -> level[s]).toArray();
    }

    /**
     * A Flatten is its input's blocked value, which later kernels read as N images; a Flatten that folds the batch
     * into other rows (ONNX axis 0, or 2 on more than one channel) may only be unpacked as a graph output.
     */
    private void requireBatchKeptOrOutputOnly(Node node) {
        Node input = graph.node(node.inputs().getFirst());
        if (node.shape().dim(0) == input.shape().dim(0) || graph.consumers(node.name()).isEmpty()) return;
        throw new GraphException("node '" + node.name() + "' (Flatten): its " + node.shape() + " output from " + input.shape()
                + " does not keep the batch, and node '" + graph.consumers(node.name()).getFirst().name()
                + "' reads it; the engine runs such a Flatten only as a graph output");
    }

    private PlainTensor plainInput(Buffer plain) {
        Shape s = graph.inputs().getFirst().shape();
        return new PlainTensor(plain.offset, s.dim(0), s.dim(1), s.dim(2), s.dim(3));
    }

    /**
     * Decides every concat: in place when each branch's channel offset is a multiple of the channel block
     * and each branch is a computed tensor that feeds only this concat and is no graph output.
     */
    private void placeConcats() {
        for (Node node : graph.nodes()) {
            if (!(node.op() instanceof Concat c)) continue;
            String reason = null;
            if (c.axis() != 1 || node.shape().rank() != 4) reason = "not a channel concat of images";
            int offset = 0;
            List<String> seen = new ArrayList<>();
            for (String in : node.inputs()) {
                if (reason != null) break;
                Node producer = graph.node(in);
                if (offset % Blocking.LANES != 0) {
                    reason = "branch '" + in + "' starts at channel " + offset + ", not a multiple of " + Blocking.LANES;
                } else if (producer.op() instanceof Input || producer.op() instanceof Flatten || producer.op() instanceof Concat) {
                    reason = "branch '" + in + "' is not computed by a kernel that can write a slice";
                } else if (graph.consumers(in).size() != 1 || seen.contains(in) || graph.outputs().containsValue(in)
                        || slices.containsKey(in)) {
                    reason = "branch '" + in + "' is also used elsewhere";
                }
                seen.add(in);
                offset += producer.shape().dim(1);
            }
            concats.add(new ConcatPlacement(node.name(), reason == null, reason == null ? "in place" : reason));
            if (reason != null) continue;
            Shape cs = node.shape();
            Buffer whole = buffer(node.name(), BlockedTensor.bytes(cs.dim(0), cs.dim(1), cs.dim(2), cs.dim(3)));
            long imageStride = BlockedTensor.bytes(1, cs.dim(1), cs.dim(2), cs.dim(3));
            long blockStride = (long) cs.dim(2) * cs.dim(3) * Blocking.LANES * Float.BYTES;
            int channel = 0;
            for (String in : node.inputs()) {
                Shape s = graph.node(in).shape();
                slices.put(in, new Value(whole, (long) (channel / Blocking.LANES) * blockStride,
                        s.dim(0), s.dim(1), s.dim(2), s.dim(3), imageStride));
                channel += s.dim(1);
            }
        }
    }


    private Value concatValue(Node node) {
        Value first = slices.get(node.inputs().getFirst());
        Shape s = node.shape();
        return new Value(first.buffer(), 0, s.dim(0), s.dim(1), s.dim(2), s.dim(3), first.imageStride());
    }

    private Value valueFor(Node node) {
        Value slice = slices.get(node.name());
        if (slice == null) return newValue(node);
        values.put(node.name(), slice);
        return slice;
    }

    private Value newValue(Node node) {
        Shape s = node.shape();
        int c = s.dim(1);
        int h = s.rank() == 4 ? s.dim(2) : 1;
        int w = s.rank() == 4 ? s.dim(3) : 1;
        if (s.rank() != 2 && s.rank() != 4) throw new GraphException("node '" + node.name() + "': rank-" + s.rank() + " tensors are not supported");
        Buffer b = buffer(node.name(), BlockedTensor.bytes(s.dim(0), c, h, w));
        Value v = new Value(b, 0, s.dim(0), c, h, w, BlockedTensor.bytes(1, c, h, w));
        values.put(node.name(), v);
        return v;
    }

    private Buffer buffer(String name, long bytes) {
        Buffer b = new Buffer(name, bytes);
        buffers.add(b);
        return b;
    }
}
