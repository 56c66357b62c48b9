package googlenet.fuzz;

import googlenet.graph.io.FormatException;
import googlenet.graph.io.Npy;
import googlenet.graph.io.SafeTensors;
import googlenet.graph.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The seeds the fuzzers start from are what they claim: valid files read, the near misses fail as documented. */
class SeedsReadTest {
    private static byte[] seed(String path) throws IOException {
        try (InputStream in = SeedsReadTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IOException("no seed " + path);
            return in.readAllBytes();
        }
    }

    @Test
    void onnxSeedsLoad() throws IOException {
        for (String s : List.of("conv_net", "inception_block", "pad_affine_matmul")) {
            var g = OnnxImporter.load(seed("OnnxImporterFuzzTestInputs/load/" + s + ".onnx"), s);
            assertEquals(List.of("y"), List.copyOf(g.outputs().keySet()), s);
        }
    }

    @Test
    void safetensorsSeedsRead() throws IOException {
        assertEquals(2, SafeTensors.read(MemorySegment.ofArray(seed("SafeTensorsFuzzTestInputs/read/f32.safetensors")), "f32").keys().size());
        assertEquals(2, SafeTensors.read(MemorySegment.ofArray(seed("SafeTensorsFuzzTestInputs/read/f16_bf16_counter.safetensors")), "f16")
                .keys().size());
        assertEquals(0, SafeTensors.read(MemorySegment.ofArray(seed("SafeTensorsFuzzTestInputs/read/empty.safetensors")), "e").keys().size());
    }

    @Test
    void npySeedsReadAndNearMissesFail() throws IOException {
        for (String s : List.of("v1_2x3", "v2_4", "v3_1x2x2x2")) {
            Npy.read(new java.io.ByteArrayInputStream(seed("NpyFuzzTestInputs/read/" + s + ".npy")), s);
        }
        for (String s : List.of("fortran", "f8")) {
            byte[] b = seed("NpyFuzzTestInputs/read/" + s + ".npy");
            assertThrows(FormatException.class, () -> Npy.read(new java.io.ByteArrayInputStream(b), s));
        }
    }
}
