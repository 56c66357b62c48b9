package googlenet.properties;

import googlenet.engine.compile.passes.Passes;
import googlenet.engine.compile.ArenaPlanner;
import googlenet.engine.plan.ConcatPlacement;
import googlenet.engine.compile.KernelBinder;
import googlenet.engine.plan.Plan;
import googlenet.engine.compile.PlanBuilder;
import googlenet.engine.plan.StepInfo;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Fused;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory planner. {@link ArenaPlanner} on random lifetimes: buffers live at the same step never overlap, offsets
 * are aligned, the arena holds every buffer and is at least the lower bound, which is the largest live total, and the
 * same requests give the same placement. {@link PlanBuilder} on random Inception-style networks ({@link RandomNets}):
 * a symbolic run of the plan — every float of the arena tagged with the tensor that last wrote it — shows that every
 * step reads exactly the tensors it should (each read after its write, nothing live clobbered in between, concat
 * slices where the concat is read), views lie inside the arena, arena ≥ lower bound, and building twice gives the
 * same plan.
 */
class PlannerProperties {

    // ---- ArenaPlanner ----

    static Gen<List<ArenaPlanner.Request>> requests() {
        return in -> {
            Draw d = new Draw(in);
            int n = d.between(1, 40);
            List<ArenaPlanner.Request> list = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int first = d.between(0, 30);
                long bytes = d.oneIn(10) ? 0 : d.oneIn(3) ? 64L * d.between(1, 64) : d.between(1, 100_000);
                list.add(new ArenaPlanner.Request(bytes, first, first + d.between(0, 12)));
            }
            return list;
        };
    }

    @Test
    void arenaPlannerNeverOverlapsLiveBuffersAndRespectsTheLowerBound() {
        Properties.qt().withExamples(5 * Properties.tries()).forAll(requests()).checkAssert(rs -> {
            ArenaPlanner.Result r = ArenaPlanner.plan(rs);
            long[] off = r.offsets();
            int steps = rs.stream().mapToInt(ArenaPlanner.Request::last).max().orElse(-1) + 1;
            long bound = 0;
            for (int s = 0; s < steps; s++) {
                long live = 0;
                for (ArenaPlanner.Request q : rs) if (q.first() <= s && s <= q.last()) live += ArenaPlanner.align(q.bytes());
                bound = Math.max(bound, live);
            }
            if (r.lowerBoundBytes() != bound) throw new AssertionError("lower bound " + r.lowerBoundBytes() + " ≠ " + bound);
            if (r.arenaBytes() < r.lowerBoundBytes()) throw new AssertionError("arena " + r.arenaBytes() + " < bound " + bound);
            for (int i = 0; i < rs.size(); i++) {
                ArenaPlanner.Request a = rs.get(i);
                if (off[i] % ArenaPlanner.ALIGNMENT != 0 || off[i] < 0) throw new AssertionError("buffer " + i + " at " + off[i]);
                if (off[i] + ArenaPlanner.align(a.bytes()) > r.arenaBytes()) throw new AssertionError("buffer " + i + " past the arena");
                for (int j = i + 1; j < rs.size(); j++) {
                    ArenaPlanner.Request b = rs.get(j);
                    boolean together = a.first() <= b.last() && b.first() <= a.last();
                    boolean apart = off[i] + a.bytes() <= off[j] || off[j] + b.bytes() <= off[i];
                    if (together && a.bytes() > 0 && b.bytes() > 0 && !apart) {
                        throw new AssertionError("buffers " + i + " " + a + " at " + off[i] + " and " + j + " " + b
                                + " at " + off[j] + " are live together and overlap");
                    }
                }
            }
            ArenaPlanner.Result again = ArenaPlanner.plan(List.copyOf(rs));
            if (!java.util.Arrays.equals(off, again.offsets()) || again.arenaBytes() != r.arenaBytes()) {
                throw new AssertionError("the same requests gave another placement");
            }
        });
    }

    // ---- PlanBuilder on random networks ----

    record Bound(String kind, List<BlockedTensor> inputs, BlockedTensor output, long plain, int channelOffset) {
    }

    /** Records the views each step is bound to instead of making kernels. */
    static final class RecordingBinder implements KernelBinder {
        final List<Bound> bound = new ArrayList<>();

        private Kernel record(Bound b) {
            bound.add(b);
            return new Kernel() {
                public int tasks() {
                    return 1;
                }

                public void run(MemorySegment arena, int task) {
                }

                public String describe() {
                    return b.kind();
                }
            };
        }

        public Kernel compute(Node node, List<BlockedTensor> inputs, BlockedTensor output) {
            return record(new Bound("compute", inputs, output, -1, 0));
        }

        /**
         * A convolution of an odd number of input channels (the random nets have 1–8) reads the input plain, others get
         * it packed: both plans occur (the engine's rule, at most one block of channels, would take every net here).
         */
        public boolean readsPlainInput(Node node) {
            Object op = node.op() instanceof Fused f ? f.producer() : node.op();
            return op instanceof Conv2d c && c.inChannels() % 2 == 1;
        }

        public Kernel computeFromPlain(Node node, PlainTensor input, BlockedTensor output) {
            return record(new Bound("fromPlain", List.of(), output, input.offset(), 0));
        }

        public Kernel packInput(long plainOffset, BlockedTensor output) {
            return record(new Bound("pack", List.of(), output, plainOffset, 0));
        }

        public Kernel unpackOutput(BlockedTensor input, long plainOffset) {
            return record(new Bound("unpack", List.of(input), null, plainOffset, 0));
        }

        public Kernel copyChannels(BlockedTensor input, BlockedTensor output, int channelOffset) {
            return record(new Bound("copy", List.of(input), output, -1, channelOffset));
        }
    }

    private static final AtomicInteger IN_PLACE = new AtomicInteger();
    private static final AtomicInteger COPIED = new AtomicInteger();
    private static final AtomicInteger PACKED = new AtomicInteger();
    private static final AtomicInteger READ_PLAIN = new AtomicInteger();

    @Test
    void plansOfRandomNetworksReadWhatWasWrittenAndNothingLiveIsOverwritten() {
        Properties.qt().forAll(RandomNets.nets()).checkAssert(net -> {
            Graph g = net.graph().withInputShape(net.graph().inputs().getFirst().shape().with(0, net.batch()));
            Graph compiled = Passes.run(g, Passes.inference(net.outputs()));
            RecordingBinder binder = new RecordingBinder();
            Plan plan = PlanBuilder.build(compiled, binder).plan();
            new Simulation(net.toString(), compiled, plan, binder.bound).run();

            RecordingBinder again = new RecordingBinder();
            Plan replan = PlanBuilder.build(Passes.run(g, Passes.inference(net.outputs())), again).plan();
            if (!replan.steps().equals(plan.steps()) || !again.bound.equals(binder.bound)
                    || replan.arenaBytes() != plan.arenaBytes() || replan.inputOffset() != plan.inputOffset()
                    || !replan.outputs().equals(plan.outputs())) {
                throw new AssertionError(net + ": the same graph gave another plan");
            }
            for (ConcatPlacement c : plan.concats()) (c.zeroCopy() ? IN_PLACE : COPIED).incrementAndGet();
        });
        // The generator must exercise both concat placements, or the property proves less than it says.
        assertTrue(Properties.tries() < 50 || IN_PLACE.get() > 0 && COPIED.get() > 0,
                "concats in place " + IN_PLACE + ", copied " + COPIED);
        // And both ways to read the input: packed, and plain by its only reader.
        assertTrue(Properties.tries() < 50 || PACKED.get() > 0 && READ_PLAIN.get() > 0,
                "input packed " + PACKED + ", read plain " + READ_PLAIN);
    }

    /** A symbolic run of a plan: every float of the arena carries the id of the tensor that last wrote it. */
    private static final class Simulation {
        private static final int LANES = Blocking.LANES;
        private final String what;
        private final Graph graph;
        private final Plan plan;
        private final List<Bound> bound;
        private final int[] tags;
        private final Map<String, Integer> ids = new HashMap<>();
        private final Map<String, Integer> copiesDone = new HashMap<>();

        Simulation(String what, Graph graph, Plan plan, List<Bound> bound) {
            this.what = what;
            this.graph = graph;
            this.plan = plan;
            this.bound = bound;
            if (plan.arenaBytes() < plan.lowerBoundBytes()) {
                throw new AssertionError(what + ": arena " + plan.arenaBytes() + " < lower bound " + plan.lowerBoundBytes());
            }
            if (plan.arenaBytes() % Float.BYTES != 0) throw new AssertionError(what + ": arena size " + plan.arenaBytes());
            this.tags = new int[(int) (plan.arenaBytes() / Float.BYTES)];
        }

        private int id(String tensor) {
            return ids.computeIfAbsent(tensor, t -> ids.size() + 1);
        }

        private String name(int id) {
            if (id == 0) return "nothing";
            return ids.entrySet().stream().filter(e -> e.getValue() == id).map(Map.Entry::getKey).findFirst().orElse("?");
        }

        void run() {
            List<StepInfo> steps = plan.steps();
            if (steps.size() != bound.size()) throw new AssertionError(what + ": " + steps.size() + " steps, " + bound.size() + " kernels");
            long inputBytes = plan.inputShape().elements() * Float.BYTES;
            tagRange(plan.inputOffset(), inputBytes, id("input:plain"));
            for (int s = 0; s < steps.size(); s++) {
                StepInfo info = steps.get(s);
                Bound b = bound.get(s);
                Node node = graph.node(info.node());
                String at = what + ": step " + s + " (" + info.op() + " " + info.node() + ")";
                noAliasing(at, b, inputBytes);
                switch (b.kind()) {
                    case "pack", "fromPlain" -> {
                        if (b.plain() != plan.inputOffset()) throw new AssertionError(at + ": reads the input at " + b.plain());
                        expectRange(at, plan.inputOffset(), inputBytes, id("input:plain"));
                        tagView(b.output(), id(node.name()));
                        (b.kind().equals("pack") ? PACKED : READ_PLAIN).incrementAndGet();
                    }
                    case "unpack" -> {
                        expectValue(at, b.inputs().getFirst(), node.name());
                        long bytes = (long) b.inputs().getFirst().batch() * b.inputs().getFirst().channels()
                                * b.inputs().getFirst().height() * b.inputs().getFirst().width() * Float.BYTES;
                        tagRange(b.plain(), bytes, id("output:" + s));
                    }
                    case "copy" -> {
                        int k = copiesDone.merge(node.name(), 1, Integer::sum) - 1;
                        expectValue(at, b.inputs().getFirst(), node.inputs().get(k));
                        tagChannels(b.output(), b.channelOffset(), b.inputs().getFirst().channels(), id(node.name()));
                    }
                    default -> {
                        if (b.inputs().size() != node.inputs().size()) throw new AssertionError(at + ": wrong input count");
                        for (int i = 0; i < b.inputs().size(); i++) expectValue(at, b.inputs().get(i), node.inputs().get(i));
                        tagView(b.output(), id(node.name()));
                    }
                }
            }
            // Every output stays intact to the end of the run.
            for (int s = 0; s < steps.size(); s++) {
                Bound b = bound.get(s);
                if (!b.kind().equals("unpack")) continue;
                BlockedTensor t = b.inputs().getFirst();
                expectRange(what + ": output of step " + s + " at the end", b.plain(),
                        (long) t.batch() * t.channels() * t.height() * t.width() * Float.BYTES, id("output:" + s));
            }
        }

        /** A step never writes where it reads: its output region is disjoint from each of its input regions. */
        private void noAliasing(String at, Bound b, long inputBytes) {
            List<long[]> reads = new ArrayList<>();
            List<long[]> writes = new ArrayList<>();
            for (BlockedTensor in : b.inputs()) reads.addAll(regions(in));
            if (b.kind().equals("pack") || b.kind().equals("fromPlain")) reads.add(new long[] {plan.inputOffset(), plan.inputOffset() + inputBytes});
            if (b.output() != null) writes.addAll(regions(b.output()));
            if (b.kind().equals("unpack")) {
                BlockedTensor t = b.inputs().getFirst();
                writes.add(new long[] {b.plain(), b.plain() + (long) t.batch() * t.channels() * t.height() * t.width() * Float.BYTES});
            }
            for (long[] r : reads) {
                for (long[] w : writes) {
                    if (r[0] < w[1] && w[0] < r[1]) {
                        throw new AssertionError(at + " writes [" + w[0] + ", " + w[1] + ") over what it reads ["
                                + r[0] + ", " + r[1] + ")");
                    }
                }
            }
        }

        private static List<long[]> regions(BlockedTensor view) {
            List<long[]> list = new ArrayList<>();
            for (int n = 0; n < view.batch(); n++) {
                long from = view.at(n, 0, 0, 0);
                list.add(new long[] {from, from + view.blocks() * view.blockStride()});
            }
            return list;
        }

        /** Every float of every block of {@code view} (padding lanes included: kernels read them as zeros). */
        private void expectValue(String at, BlockedTensor view, String producer) {
            checkInside(at, view);
            for (int n = 0; n < view.batch(); n++) {
                for (int block = 0; block < view.blocks(); block++) {
                    int expected = id(expectedWriter(producer, block));
                    long from = view.at(n, block, 0, 0);
                    for (long off = from; off < from + view.blockStride(); off += Float.BYTES) {
                        int tag = tags[(int) (off / Float.BYTES)];
                        if (tag != expected) {
                            throw new AssertionError(at + " reads '" + producer + "' block " + block + " of image " + n
                                    + " at byte " + off + ", which holds " + name(tag) + " instead of " + name(expected));
                        }
                    }
                }
            }
        }

        /** Which step's tag block {@code block} of value {@code producer} carries: through Flatten and in-place concats. */
        private String expectedWriter(String producer, int block) {
            Node node = graph.node(producer);
            if (node.op() instanceof Flatten) return expectedWriter(node.inputs().getFirst(), block);
            if (node.op() instanceof Concat && inPlace(producer)) {
                int channel = 0;
                for (String in : node.inputs()) {
                    int channels = graph.node(in).shape().dim(1);
                    int first = channel / LANES;
                    if (block >= first && block < first + Blocking.blocks(channels)) return expectedWriter(in, block - first);
                    channel += channels;
                }
                throw new AssertionError(what + ": concat '" + producer + "' has no branch at block " + block);
            }
            return producer;
        }

        private boolean inPlace(String concat) {
            return plan.concats().stream().anyMatch(c -> c.node().equals(concat) && c.zeroCopy());
        }

        private void checkInside(String at, BlockedTensor view) {
            if (view.offset() < 0 || view.end() > plan.arenaBytes()) {
                throw new AssertionError(at + ": view " + view + " outside the arena of " + plan.arenaBytes() + " bytes");
            }
        }

        private void tagView(BlockedTensor view, int id) {
            checkInside(what, view);
            for (int n = 0; n < view.batch(); n++) {
                tagRange(view.at(n, 0, 0, 0), view.blocks() * view.blockStride(), id);
            }
        }

        /** A channel copy writes lanes [offset, offset + channels) and the padding lanes of the blocks it touches. */
        private void tagChannels(BlockedTensor view, int offset, int channels, int id) {
            checkInside(what, view);
            int firstBlock = offset / LANES;
            int lastBlock = (offset + channels - 1) / LANES;
            for (int n = 0; n < view.batch(); n++) {
                for (int block = firstBlock; block <= lastBlock; block++) {
                    for (int p = 0; p < view.height() * view.width(); p++) {
                        for (int lane = 0; lane < LANES; lane++) {
                            int ch = block * LANES + lane;
                            if ((ch >= offset && ch < offset + channels) || ch >= view.channels()) {
                                long off = view.at(n, block, 0, 0) + ((long) p * LANES + lane) * Float.BYTES;
                                tags[(int) (off / Float.BYTES)] = id;
                            }
                        }
                    }
                }
            }
        }

        private void tagRange(long from, long bytes, int id) {
            if (from < 0 || from + bytes > plan.arenaBytes()) throw new AssertionError(what + ": region " + from + "+" + bytes + " outside the arena");
            for (long off = from; off < from + bytes; off += Float.BYTES) tags[(int) (off / Float.BYTES)] = id;
        }

        private void expectRange(String at, long from, long bytes, int id) {
            for (long off = from; off < from + bytes; off += Float.BYTES) {
                int tag = tags[(int) (off / Float.BYTES)];
                if (tag != id) throw new AssertionError(at + ": byte " + off + " holds " + name(tag) + " instead of " + name(id));
            }
        }
    }
}
