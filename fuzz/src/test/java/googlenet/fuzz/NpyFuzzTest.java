package googlenet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import googlenet.graph.Tensor;
import googlenet.graph.io.FormatException;
import googlenet.graph.io.Npy;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes given to the {@code .npy} reader either read as a float32 tensor whose data fills its shape exactly
 * or fail with a {@link FormatException} naming the source: no other exception, no hang, no OutOfMemoryError.
 */
class NpyFuzzTest {
    @FuzzTest
    void read(byte[] bytes) throws Exception {
        Tensor t;
        try {
            t = Npy.read(new ByteArrayInputStream(bytes), "fuzz.npy");
        } catch (FormatException e) {
            assertTrue(e.getMessage().startsWith("fuzz.npy: "), e.getMessage());
            return;
        }
        assertEquals(t.shape().elements(), t.data().length);
        assertTrue(4L * t.data().length < bytes.length, "data beyond the input");
    }
}
