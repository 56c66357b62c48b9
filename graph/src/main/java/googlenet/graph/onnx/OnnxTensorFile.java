package googlenet.graph.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a FLOAT tensor stored as a serialized ONNX {@code TensorProto}, as ONNX's backend test data are
 * ({@code test_data_set_0/input_0.pb}): its data from {@code raw_data} or {@code float_data}.
 */
public final class OnnxTensorFile {
    private OnnxTensorFile() {
    }

    public static Tensor read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    public static Tensor read(byte[] bytes, String source) throws FormatException {
        TensorProto t;
        try {
            t = TensorProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new FormatException(source + ": not an ONNX TensorProto (" + e.getMessage() + ")", e);
        }
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new FormatException(source + ": data type " + TensorDecoder.dataTypeName(t.getDataType()) + ", expected FLOAT");
        }
        if (t.getDimsCount() == 0) throw new FormatException(source + ": a scalar; expected a tensor of rank ≥ 1");
        int[] dims = new int[t.getDimsCount()];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            long d = t.getDims(i);
            if (d <= 0 || d > Integer.MAX_VALUE) throw new FormatException(source + ": dimension " + i + " is " + d);
            dims[i] = (int) d;
            count *= d;
            if (count > Integer.MAX_VALUE - 8) throw new FormatException(source + ": too many elements for one array");
        }
        float[] data = new float[(int) count];
        if (t.hasRawData()) {
            if (t.getRawData().size() != 4 * count) {
                throw new FormatException(source + ": raw_data holds " + t.getRawData().size() + " bytes, its shape needs " + 4 * count);
            }
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            if (t.getFloatDataCount() != count) {
                throw new FormatException(source + ": float_data holds " + t.getFloatDataCount() + " values, its shape needs " + count);
            }
            for (int i = 0; i < data.length; i++) data[i] = t.getFloatData(i);
        }
        return new Tensor(Shape.of(dims), data);
    }
}
