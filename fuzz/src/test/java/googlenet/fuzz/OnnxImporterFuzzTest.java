package googlenet.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.OnnxImporter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Any bytes given to the ONNX importer either load as a graph or fail with one of its documented exceptions
 * ({@link FormatException}, {@link GraphException}) whose message starts with the source name: no other exception,
 * no hang, no OutOfMemoryError. Inputs in {@code OnnxImporterFuzzTestInputs/load} replay in every test run.
 */
class OnnxImporterFuzzTest {
    @FuzzTest
    void load(byte[] bytes) throws Exception {
        Graph g;
        try {
            g = OnnxImporter.load(bytes, "fuzz.onnx");
        } catch (FormatException | GraphException e) {
            assertTrue(e.getMessage().startsWith("fuzz.onnx: "), e.getMessage());
            return;
        }
        assertFalse(g.outputs().isEmpty());
    }
}
