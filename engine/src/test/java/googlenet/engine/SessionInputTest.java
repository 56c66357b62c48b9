package googlenet.engine;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Inputs of the wrong size, rank, shape or element type through every run variant: IllegalArgumentException saying what was expected. */
class SessionInputTest {
    private static Model model;
    private static Session session;

    @BeforeAll
    static void open() {
        model = Model.load(TinyD2l.graph(4), Options.threads(1));
        session = model.newSession(1);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static String rejects(org.junit.jupiter.api.function.Executable run) {
        return assertThrows(IllegalArgumentException.class, run).getMessage();
    }

    @Test
    void arraysOfTheWrongLength() {
        assertEquals("input: expected 3072 floats, got 3071", rejects(() -> session.run(new float[3071], new float[10])));
        assertEquals("output: expected 10 floats, got 1000", rejects(() -> session.run(new float[3072], new float[1000])));
        assertEquals("expected 1 output arrays [logits], got 2", rejects(() -> session.run(new float[3072], new float[2][10])));
    }

    @Test
    void tensorsOfTheWrongRankOrShape() {
        assertEquals("input: expected shape (1, 3, 32, 32) (rank 4, N×C×H×W), got (3, 32, 32) (rank 3)",
                rejects(() -> session.run(new Tensor(Shape.of(3, 32, 32), new float[3072]), new float[10])));
        assertEquals("input: expected shape (1, 3, 32, 32) (rank 4, N×C×H×W), got (1, 3, 16, 64) (rank 4)",
                rejects(() -> session.run(new Tensor(Shape.of(1, 3, 16, 64), new float[3072]), new float[10])));
        float[] viaTensor = new float[10];
        float[] viaArray = new float[10];
        session.run(new Tensor(Shape.of(1, 3, 32, 32), TinyD2l.input(5)), viaTensor);
        session.run(TinyD2l.input(5), viaArray);
        assertArrayEquals(viaArray, viaTensor);
    }

    /** The API is float32 only: a segment of bytes that are not whole floats, or of doubles, is refused. */
    @Test
    void segmentsThatAreNotFloat32OfTheRightSize() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(40);
            assertEquals("input: 12290 bytes is not a whole number of float32 values",
                    rejects(() -> session.run(arena.allocate(12290), out)));
            assertEquals("input: expected 3072 floats, got 6144", rejects(() -> session.run(arena.allocate(8L * 3072), out)));
            assertEquals("output: the segment is read-only", rejects(() -> session.run(arena.allocate(4L * 3072), out.asReadOnly())));
        }
    }

    @Test
    void buffersWithTheWrongNumberRemaining() {
        FloatBuffer in = FloatBuffer.allocate(3072);
        in.position(1);
        assertEquals("input: expected 3072 floats, got 3071", rejects(() -> session.run(in, FloatBuffer.allocate(10))));
    }
}
