package googlenet.graph.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import googlenet.graph.GraphException;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;

import java.io.IOException;
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
        Const c;
        try {
            c = new TensorDecoder(source, null).decode(t, source);
        } catch (GraphException e) { // the decoder's size checks, about a model's tensor: here it is the file's format
            throw new FormatException(e.getMessage(), e);
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) { // only external data reads files, and without a folder it is refused as a FormatException
            throw new FormatException(source + ": " + e.getMessage(), e);
        }
        int[] dims = new int[c.dims().length];
        for (int i = 0; i < dims.length; i++) {
            if (c.dims()[i] <= 0) throw new FormatException(source + ": dimension " + i + " is " + c.dims()[i]);
            dims[i] = (int) c.dims()[i];
        }
        return new Tensor(Shape.of(dims), c.f());
    }
}
