package googlenet.engine.compile;

import googlenet.engine.compile.passes.Passes;
import googlenet.engine.plan.Plan;
import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.GraphException;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Linear;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The planner on its own: a binder that records the views it is given instead of making kernels. */
class PlanBuilderTest {
    record Bound(String kind, String node, List<BlockedTensor> inputs, BlockedTensor output, long plain) {
    }

    static final class RecordingBinder implements KernelBinder {
        final List<Bound> bound = new ArrayList<>();
        /** Whether convolutions read the input plain, as the engine's do when they have at most one block of channels. */
        final boolean convsReadPlain;

        RecordingBinder() {
            this(false);
        }

        RecordingBinder(boolean convsReadPlain) {
            this.convsReadPlain = convsReadPlain;
        }

        public boolean readsPlainInput(Node node) {
            return convsReadPlain && node.op() instanceof googlenet.graph.op.Fused f && f.producer() instanceof Conv2d;
        }

        public Kernel computeFromPlain(Node node, PlainTensor input, BlockedTensor output) {
            return record(new Bound("fromPlain", node.name(), List.of(), output, input.offset()));
        }

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
            return record(new Bound("compute", node.name(), inputs, output, -1));
        }

        public Kernel packInput(long plainOffset, BlockedTensor output) {
            return record(new Bound("pack", "", List.of(), output, plainOffset));
        }

        public Kernel unpackOutput(BlockedTensor input, long plainOffset) {
            return record(new Bound("unpack", "", List.of(input), null, plainOffset));
        }

        public Kernel copyChannels(BlockedTensor input, BlockedTensor output, int channelOffset) {
            return record(new Bound("copy", "", List.of(input), output, channelOffset));
        }
    }

    private static Graph compiled(String name) {
        Graph g = Builtins.build(name);
        return Passes.run(g, Passes.inference(List.of(g.outputs().keySet().iterator().next())));
    }

    @Test
    void d2lArenaIsWithinTenPercentOfTheLowerBoundAndConcatsAreInPlace() {
        Plan plan = PlanBuilder.build(compiled("d2l"), new RecordingBinder()).plan();
        assertEquals(9, plan.zeroCopyConcats());
        assertTrue(plan.arenaBytes() <= 1.10 * plan.lowerBoundBytes(), plan.arenaBytes() + " vs " + plan.lowerBoundBytes());
    }

    /**
     * Where the stem reads the input plain, no step packs it: the stem's step reads the plain region the caller's input
     * goes to, and the arena needs no blocked copy of the input (16 lanes of 3 channels: 5.3× its plain bytes).
     */
    @Test
    void aStemThatReadsPlainInputLeavesOutThePackStep() {
        RecordingBinder packing = new RecordingBinder(false);
        Plan packed = PlanBuilder.build(compiled("d2l"), packing).plan();
        RecordingBinder plain = new RecordingBinder(true);
        Plan unpacked = PlanBuilder.build(compiled("d2l"), plain).plan();
        assertEquals("pack", packing.bound.getFirst().kind());
        assertEquals(packed.steps().size() - 1, unpacked.steps().size());
        assertTrue(plain.bound.stream().noneMatch(b -> b.kind().equals("pack")));
        Bound stem = plain.bound.getFirst();
        assertEquals("fromPlain", stem.kind());
        assertEquals(unpacked.inputOffset(), stem.plain());
        assertEquals(List.of("x:plain@" + unpacked.inputOffset()), unpacked.steps().getFirst().inputs());
        assertTrue(unpacked.lowerBoundBytes() <= packed.lowerBoundBytes(),
                unpacked.lowerBoundBytes() + " vs " + packed.lowerBoundBytes());
        // The stem's output does not overlap the input it reads.
        long inputEnd = unpacked.inputOffset() + unpacked.inputShape().elements() * Float.BYTES;
        assertTrue(stem.output().end() <= unpacked.inputOffset() || stem.output().offset() >= inputEnd);
    }

    @Test
    void branchesWriteTheirSliceOfTheConcat() {
        RecordingBinder binder = new RecordingBinder();
        Graph g = compiled("d2l");
        PlanBuilder.build(g, binder).plan();
        Map<String, BlockedTensor> outputs = new HashMap<>();
        for (Bound b : binder.bound) if (b.kind().equals("compute")) outputs.put(b.node(), b.output());
        // block 3a: branches 64 | 128 | 32 | 32 channels at 28×28; the 3×3 branch starts at channel 64
        BlockedTensor p1 = outputs.get("2.0.p1_1");
        BlockedTensor p2 = outputs.get("2.0.p2_2");
        BlockedTensor p4 = outputs.get("2.0.p4_2");
        long blockStride = 28L * 28 * Blocking.LANES * Float.BYTES;
        assertEquals(p1.offset() + (64 / Blocking.LANES) * blockStride, p2.offset());
        assertEquals(p1.offset() + ((64 + 128 + 32) / Blocking.LANES) * blockStride, p4.offset());
        assertEquals(BlockedTensor.bytes(1, 256, 28, 28), p2.imageStride());
        // the next block reads the whole concat from where its first branch wrote
        BlockedTensor next = binder.bound.stream().filter(b -> b.node().equals("2.1.p1_1")).findFirst().orElseThrow().inputs().getFirst();
        assertEquals(p1.offset(), next.offset());
        assertEquals(256, next.channels());
    }

    @Test
    void tensorsLiveAtTheSameStepNeverOverlap() {
        RecordingBinder binder = new RecordingBinder();
        Plan plan = PlanBuilder.build(compiled("torchvision"), binder).plan();
        // every step's output must not overlap any of its inputs (a kernel never reads what it overwrites)
        for (Bound b : binder.bound) {
            if (b.output() == null) continue;
            for (BlockedTensor in : b.inputs()) {
                boolean disjoint = b.output().end() <= in.offset() || in.end() <= b.output().offset();
                assertTrue(disjoint, b.node() + " writes over its input");
            }
        }
        assertTrue(plan.arenaBytes() >= plan.lowerBoundBytes());
    }

    /**
     * Steps of one level run at once on several threads: none may write bytes another of them reads or writes. The
     * misaligned concat's copies share a block of channels (20 = 16 + 4), so they must be on levels of their own.
     */
    @Test
    void stepsOfOneLevelNeitherReadNorWriteWhatAnotherWrites() {
        for (Graph g : List.of(compiled("d2l"), compiled("torchvision"), compiled("bvlc"), misalignedConcat())) {
            RecordingBinder binder = new RecordingBinder();
            Plan plan = PlanBuilder.build(g, binder).plan();
            int shared = 0;
            for (int a = 0; a < binder.bound.size(); a++) {
                for (int b = a + 1; b < binder.bound.size(); b++) {
                    if (plan.steps().get(a).level() != plan.steps().get(b).level()) continue;
                    shared++;
                    Bound x = binder.bound.get(a);
                    Bound y = binder.bound.get(b);
                    String pair = g.name() + ": steps " + a + " (" + x.node() + ") and " + b + " (" + y.node() + ")";
                    if (x.output() != null) {
                        if (y.output() != null) assertFalse(x.output().overlaps(y.output()), pair + " write the same bytes");
                        for (BlockedTensor in : y.inputs()) assertFalse(x.output().overlaps(in), pair);
                    }
                    if (y.output() != null) {
                        for (BlockedTensor in : x.inputs()) assertFalse(y.output().overlaps(in), pair);
                    }
                }
            }
            assertTrue(shared > 0 || g.name().equals("t"), g.name() + ": no two steps share a level");
        }
        // d2l's block 3a: the four branches' first steps at once, then the three second steps
        Plan d2l = PlanBuilder.build(compiled("d2l"), new RecordingBinder()).plan();
        Map<String, Integer> level = new HashMap<>();
        for (var step : d2l.steps()) level.put(step.node(), step.level());
        for (String first : List.of("2.0.p2_1", "2.0.p3_1", "2.0.p4_1")) assertEquals(level.get("2.0.p1_1"), level.get(first), first);
        for (String second : List.of("2.0.p3_2", "2.0.p4_2")) assertEquals(level.get("2.0.p2_2"), level.get(second), second);
        assertEquals(level.get("2.0.p1_1") + 1, level.get("2.0.p2_2"));
        for (int s = 1; s < d2l.steps().size(); s++) assertTrue(d2l.steps().get(s - 1).level() <= d2l.steps().get(s).level());
    }

    private static Graph misalignedConcat() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 8, 6, 6));
        String a = b.add("a", Conv2d.of(8, 20, 1), x);
        String c = b.add("c", Conv2d.of(8, 16, 3, 1, 1), x);
        b.output("y", b.add("cat", new Concat(1), a, c));
        return googlenet.graph.SeededWeights.apply(b.build(), 0);
    }

    @Test
    void aMisalignedConcatFallsBackToCopiesAndSaysWhy() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(1, 8, 6, 6));
        String a = b.add("a", Conv2d.of(8, 20, 1), x);  // 20 channels: the second branch would start mid-block
        String c = b.add("c", Conv2d.of(8, 16, 3, 1, 1), x);
        b.output("y", b.add("cat", new Concat(1), a, c));
        Graph g = googlenet.graph.SeededWeights.apply(b.build(), 0);
        RecordingBinder binder = new RecordingBinder();
        Plan plan = PlanBuilder.build(g, binder).plan();
        assertEquals(0, plan.zeroCopyConcats());
        assertFalse(plan.concats().getFirst().zeroCopy());
        assertTrue(plan.concats().getFirst().reason().contains("channel 20"), plan.concats().getFirst().reason());
        assertEquals(2, binder.bound.stream().filter(r -> r.kind().equals("copy")).count());
    }

    @Test
    void theSameGraphAlwaysGivesTheSamePlan() {
        Plan a = PlanBuilder.build(compiled("bvlc"), new RecordingBinder()).plan();
        Plan b = PlanBuilder.build(compiled("bvlc"), new RecordingBinder()).plan();
        assertEquals(a.steps(), b.steps());
        assertEquals(a.arenaBytes(), b.arenaBytes());
    }

    /** A Flatten is an alias of its input's blocked images: one that merges the batch into rows only ends a graph. */
    @Test
    void aFlattenThatMergesTheBatchIsOnlyAGraphOutput() {
        GraphBuilder b = new GraphBuilder("t");
        String x = b.input("x", Shape.of(2, 3, 4, 5));
        b.output("rows", b.add("rows", new Flatten(2), x));
        assertEquals(Shape.of(6, 20), b.shapeOf("rows"));
        Plan plan = PlanBuilder.build(b.build(), new RecordingBinder()).plan();
        assertEquals(Shape.of(6, 20), plan.outputs().get("rows").shape());

        GraphBuilder c = new GraphBuilder("t");
        String y = c.input("x", Shape.of(2, 3, 4, 5));
        String all = c.add("all", new Flatten(0), y);
        c.output("fc", c.add("fc", new Linear(120, 4, false), all));
        Graph g = googlenet.graph.SeededWeights.apply(c.build(), 0);
        GraphException e = assertThrows(GraphException.class, () -> PlanBuilder.build(g, new RecordingBinder()));
        assertTrue(e.getMessage().contains("node 'all' (Flatten)") && e.getMessage().contains("node 'fc' reads it"), e.getMessage());
    }
}
