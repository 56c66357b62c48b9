package googlenet.engine;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Sessions and models give back their native memory, and fail clearly once closed. */
class SessionLifecycleTest {
    @Test
    void tenThousandSessionCyclesKeepNativeMemoryFlat() {
        try (Model model = Model.load(TinyD2l.graph(1), Options.threads(1))) {
            float[] x = TinyD2l.input(0);
            float[] y = new float[TinyD2l.CLASSES];
            for (int i = 0; i < 200; i++) { // warm: plan cached, JIT settled, NMT's own tables grown
                try (Session s = model.newSession(1)) {
                    s.run(x, y);
                }
            }
            long live = NativeMemory.liveBytes();
            long allocated = NativeMemory.allocatedBytes();
            OptionalLong nmtBefore = NmtOther.committedBytes();
            long arena;
            try (Session s = model.newSession(1)) {
                arena = s.arenaBytes();
            }
            for (int i = 0; i < 10_000; i++) {
                try (Session s = model.newSession(1)) {
                    if (i % 100 == 0) s.run(x, y);
                }
            }
            assertEquals(live, NativeMemory.liveBytes(), "bytes held by the engine after 10,000 cycles");
            assertTrue(NativeMemory.allocatedBytes() - allocated >= 10_000 * arena, "every cycle allocated its arena");
            OptionalLong nmtAfter = NmtOther.committedBytes();
            assumeTrue(nmtBefore.isPresent() && nmtAfter.isPresent(), "Native Memory Tracking is off");
            long growth = nmtAfter.getAsLong() - nmtBefore.getAsLong();
            // A leaked arena per cycle would be 10,000 × arena bytes; allow 1 MB of noise from the rest of the JVM.
            assertTrue(growth < 1 << 20, "NMT 'Other' grew by " + growth + " bytes over 10,000 cycles of " + arena + "-byte arenas");
        }
    }

    @Test
    void useAfterCloseRaisesIllegalState() {
        try (Model model = Model.load(TinyD2l.graph(1), Options.threads(1))) {
            Session s = model.newSession(1);
            s.close();
            s.close(); // twice is fine
            float[] x = TinyD2l.input(0);
            float[] y = new float[TinyD2l.CLASSES];
            assertEquals("session is closed", assertThrows(IllegalStateException.class, () -> s.run(x, y)).getMessage());
            assertThrows(IllegalStateException.class, () -> s.run(java.nio.FloatBuffer.wrap(x), java.nio.FloatBuffer.wrap(y)));
        }
    }

    @Test
    void closingTheModelClosesItsOpenSessionsAndFreesEverything() {
        long live = NativeMemory.liveBytes();
        Model model = Model.load(TinyD2l.graph(2), Options.threads(2));
        Session a = model.newSession(1);
        Session b = model.newSession(2);
        float[] x = TinyD2l.input(1);
        float[] y = new float[TinyD2l.CLASSES];
        a.run(x, y);
        assertTrue(NativeMemory.liveBytes() - live >= model.weightBytes() + a.arenaBytes() + b.arenaBytes());
        model.close();
        assertEquals(live, NativeMemory.liveBytes(), "weights and both arenas freed by Model.close");
        var e = assertThrows(IllegalStateException.class, () -> a.run(x, y));
        assertEquals("session is closed: its model was closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> model.newSession(1));
        b.close(); // closing a session of a closed model does nothing
        model.close();
        assertEquals(live, NativeMemory.liveBytes());
    }

    /** A run in progress on another thread finishes before the model frees what it uses; the next run fails cleanly. */
    @Test
    void closingTheModelWhileAnotherThreadRunsWaitsForTheRun() throws Exception {
        long live = NativeMemory.liveBytes();
        Model model = Model.load(TinyD2l.graph(2), Options.threads(2));
        Session s = model.newSession(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread worker = new Thread(() -> {
            float[] x = TinyD2l.input(2);
            float[] y = new float[TinyD2l.CLASSES];
            try {
                while (true) {
                    s.run(x, y);
                    runs.incrementAndGet();
                    running.countDown();
                }
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        worker.start();
        running.await();
        model.close();
        worker.join(10_000);
        assertTrue(ended.get() instanceof IllegalStateException && ended.get().getMessage().contains("model was closed"),
                String.valueOf(ended.get()));
        assertTrue(runs.get() >= 1);
        assertEquals(live, NativeMemory.liveBytes());
    }

    /**
     * A linear layer's weights are packed when the model is loaded (for the blocked shape of its input) and shared by
     * the plans of every batch size; they count in weightBytes and in NativeMemory from the load on, and are freed with
     * the model. Expected size by the documented layout: ⌈⌈classes / c⌉ / GROUP⌉ groups × (⌈F / c⌉·c) × GROUP·c floats;
     * the convolutions' by PackedConvWeights' and WinogradWeights' own sizes.
     */
    @Test
    void linearWeightsArePackedOnceAtLoadAndCounted() {
        googlenet.graph.Graph graph = TinyD2l.graph(3);
        googlenet.graph.Node fc = graph.nodes().stream()
                .filter(n -> n.op() instanceof googlenet.graph.op.Linear).findFirst().orElseThrow();
        int features = graph.weights().get(fc.name() + ".weight").shape().dim(1);
        int c = googlenet.kernels.Blocking.LANES;
        int group = googlenet.kernels.dense.Linear.GROUP;
        long expected = (long) Math.ceilDiv(Math.ceilDiv(TinyD2l.CLASSES, c), group) * Math.ceilDiv(features, c) * c
                * group * c * Float.BYTES;
        long live = NativeMemory.liveBytes();
        Model exact = Model.load(graph, Options.threads(1).withExact(true));
        long convs = 0; // the direct layout [OCb][ICb][KH][KW][ic][oc], then the bias padded to OCb·c
        for (googlenet.graph.Node n : exact.compiledGraph().nodes()) {
            googlenet.graph.op.Op op = n.op() instanceof googlenet.graph.op.Fused f ? f.producer() : n.op();
            if (op instanceof googlenet.graph.op.Conv2d conv) {
                long ocb = Math.ceilDiv(conv.outChannels(), c);
                convs += (ocb * Math.ceilDiv(conv.inChannels(), c) * conv.kernelH() * conv.kernelW() * c * c + ocb * c) * Float.BYTES;
            }
        }
        assertEquals(convs + expected, exact.weightBytes(), "packed at load: every convolution and the linear layer");
        assertEquals(live + convs + expected, NativeMemory.liveBytes());
        exact.newSession(1).close();
        exact.newSession(3).close();
        assertEquals(convs + expected, exact.weightBytes(), "plans pack nothing");
        assertEquals(live + convs + expected, NativeMemory.liveBytes());
        Model model = exact;
        model.close();
        assertEquals(live, NativeMemory.liveBytes(), "freed with the model");
    }
}
