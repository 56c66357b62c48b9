package googlenet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.io.FormatException;
import googlenet.graph.io.SafeTensors;

import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes given to the safetensors reader either read as weights whose arrays match their shapes or fail with a
 * {@link FormatException} naming the source: no other exception, no hang, no OutOfMemoryError.
 */
class SafeTensorsFuzzTest {
    @FuzzTest
    void read(byte[] bytes) {
        Weights w;
        try {
            w = SafeTensors.read(MemorySegment.ofArray(bytes), "fuzz.safetensors");
        } catch (FormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.safetensors: "), e.getMessage());
            return;
        }
        long floats = 0;
        for (Tensor t : w.asMap().values()) {
            assertEquals(t.shape().elements(), t.data().length);
            floats += t.data().length;
        }
        assertTrue(4 * floats <= bytes.length, "more floats than bytes");
    }
}
