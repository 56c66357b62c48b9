package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OnnxTensorFileTest {
    @Test
    void readsRawDataAndFloatData() throws Exception {
        float[] values = {1.5f, -2f, 0f, 3.25f, 7f, -0.5f};
        Tensor raw = OnnxTensorFile.read(OnnxImporterTest.floats("x", values, 1, 2, 3).toByteArray(), "raw.pb");
        assertEquals(Shape.of(1, 2, 3), raw.shape());
        assertArrayEquals(values, raw.data());
        TensorProto typed = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addAllDims(List.of(3L, 2L))
                .addAllFloatData(List.of(1.5f, -2f, 0f, 3.25f, 7f, -0.5f)).build();
        Tensor t = OnnxTensorFile.read(typed.toByteArray(), "typed.pb");
        assertEquals(Shape.of(3, 2), t.shape());
        assertArrayEquals(values, t.data());
    }

    @Test
    void refusesOtherTypesShortDataAndGarbage() {
        TensorProto longs = OnnxImporterTest.longs("l", 1, 2);
        FormatException e = assertThrows(FormatException.class, () -> OnnxTensorFile.read(longs.toByteArray(), "l.pb"));
        assertTrue(e.getMessage().startsWith("l.pb: data type INT64"), e.getMessage());
        TensorProto shortData = OnnxImporterTest.floats("x", new float[5], 2, 3);
        e = assertThrows(FormatException.class, () -> OnnxTensorFile.read(shortData.toByteArray(), "s.pb"));
        assertTrue(e.getMessage().contains("20 bytes, its shape needs 24"), e.getMessage());
        e = assertThrows(FormatException.class, () -> OnnxTensorFile.read(new byte[] {(byte) 0xff, 1, 2}, "g.pb"));
        assertTrue(e.getMessage().startsWith("g.pb: not an ONNX TensorProto"), e.getMessage());
    }
}
