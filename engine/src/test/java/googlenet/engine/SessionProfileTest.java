package googlenet.engine;

import googlenet.graph.Graph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Session#profileSteps}: one time per plan step, through the model's threads, without disturbing runs. */
class SessionProfileTest {
    private static final Graph TINY = TinyD2l.graph(3);

    @Test
    void oneTimePerStepAndRunsAfterwardsAreUnchanged() {
        try (Model model = Model.load(TINY, Options.threads(2)); Session s = model.newSession(1)) {
            float[] x = TinyD2l.input(1);
            float[] before = new float[TinyD2l.CLASSES];
            float[] after = new float[TinyD2l.CLASSES];
            s.run(x, before);
            long[] times = s.profileSteps(3);
            assertEquals(s.plan().steps().size(), times.length);
            for (int i = 0; i < times.length; i++) assertTrue(times[i] > 0 && times[i] < Long.MAX_VALUE, "step " + i + ": " + times[i]);
            s.run(x, after);
            assertArrayEquals(before, after);
        }
    }

    @Test
    void badRoundsAndClosedSessionsFailClearly() {
        Model model = Model.load(TINY, Options.threads(1));
        Session s = model.newSession(1);
        assertEquals("rounds must be ≥ 1, got 0", assertThrows(IllegalArgumentException.class, () -> s.profileSteps(0)).getMessage());
        model.close();
        assertThrows(IllegalStateException.class, () -> s.profileSteps(1));
    }
}
