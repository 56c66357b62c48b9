package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import googlenet.graph.GraphException;
import googlenet.graph.io.FormatException;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.onnx.proto.OnnxProto.StringStringEntryProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static googlenet.graph.onnx.OnnxImporterTest.floats;
import static googlenet.graph.onnx.OnnxImporterTest.graphError;
import static googlenet.graph.onnx.OnnxImporterTest.ints;
import static googlenet.graph.onnx.OnnxImporterTest.integer;
import static googlenet.graph.onnx.OnnxImporterTest.model;
import static googlenet.graph.onnx.OnnxImporterTest.node;
import static googlenet.graph.onnx.OnnxImporterTest.small;
import static googlenet.graph.onnx.OnnxImporterTest.value;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #7's list of bad ONNX files, one test each, besides those of {@link OnnxImporterTest} (truncated and garbled
 * files, cycles, missing initializers, unsupported ops and attributes, external data escaping the folder): each fails
 * with {@link FormatException} or {@link GraphException} naming the source, the node or tensor, and what is wrong.
 */
class MalformedOnnxTest {
    @TempDir
    Path dir;

    /** Heap bytes this thread allocates while {@code action} runs (it must throw). */
    private static long allocatedWhileFailing(Class<? extends Exception> expected, org.junit.jupiter.api.function.Executable action) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        assertThrows(expected, action);
        return bean.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void inputDimensionsOfZeroOrLessNameTheInputAndDimension() {
        GraphProto.Builder g = small();
        g.setInput(0, value("x", 1, 0, 8, 8));
        graphError(model(13, g), "graph input 'x'", "dimension 1 is 0", "≥ 1");
        g = small();
        g.setInput(0, value("x", 1, 3, -8, 8));
        graphError(model(13, g), "graph input 'x'", "dimension 2 is -8");
        g = small();
        g.setInput(0, value("x", -1, 3, 8, 8));
        graphError(model(13, g), "graph input 'x'", "dimension 0 is -1");
    }

    @Test
    void initializerDimensionsNegativeOrOverflowing() {
        GraphProto.Builder g = small();
        g.setInitializer(1, floats("b", new float[4], 4, -1));
        graphError(model(13, g), "initializer 'b'", "negative dimension");
        g = small();
        g.setInitializer(1, floats("b", new float[4], 1L << 40, 1L << 40));
        graphError(model(13, g), "initializer 'b'", "overflow");
    }

    /** dims that declare 8 GB of floats next to 16 bytes of raw data: refused before the array is made. */
    @Test
    void declaredSizeFarBeyondTheDataFailsBeforeAllocating() {
        GraphProto.Builder g = small();
        g.setInitializer(1, floats("b", new float[4], 2_000_000_000L));
        long bytes = allocatedWhileFailing(GraphException.class, () -> OnnxImporterTest.load(model(13, g)));
        assertTrue(bytes < 64L << 20, bytes + " bytes allocated");
        graphError(model(13, g), "initializer 'b'", "raw_data holds 16 bytes", "needs 8000000000");

        GraphProto.Builder typed = small();
        typed.setInitializer(1, TensorProto.newBuilder().setName("b").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addDims(2_000_000_000L).addAllFloatData(List.of(1f, 2f)).build());
        bytes = allocatedWhileFailing(GraphException.class, () -> OnnxImporterTest.load(model(13, typed)));
        assertTrue(bytes < 64L << 20, bytes + " bytes allocated");
        graphError(model(13, typed), "initializer 'b'", "holds 2 values", "needs 2000000000");
    }

    /** A protobuf field whose declared length (≈2 GB) lies beyond the end of a 30-byte file. */
    @Test
    void fieldLengthBeyondTheFileFailsBeforeAllocating() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x08, 0x07}); // ir_version = 7
        out.write(new byte[] {0x3A, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}); // graph, length 0x7FFFFFF0
        out.write(new byte[20]);
        byte[] bytes = out.toByteArray();
        Path file = dir.resolve("long.onnx");
        Files.write(file, bytes);
        long allocated = allocatedWhileFailing(FormatException.class, () -> OnnxImporter.load(file));
        assertTrue(allocated < 16L << 20, allocated + " bytes allocated");
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.load(new ByteArrayInputStream(bytes), "long.onnx"));
        assertTrue(e.getMessage().startsWith("long.onnx: ") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void strideDilationOrGroupsOfZeroNameTheNode() {
        GraphProto.Builder g = small();
        g.setNode(0, g.getNode(0).toBuilder().setAttribute(2, ints("strides", 0, 1)).build());
        graphError(model(13, g), "'features.conv.Conv'", "stride height must be ≥ 1, got 0");
        g = small();
        g.setNode(0, g.getNode(0).toBuilder().addAttribute(ints("dilations", 1, 0)).build());
        graphError(model(13, g), "'features.conv.Conv'", "dilation width must be ≥ 1, got 0");
        g = small();
        g.setNode(0, g.getNode(0).toBuilder().addAttribute(integer("group", 0)).build());
        graphError(model(13, g), "'features.conv.Conv'", "groups must be ≥ 1, got 0");
        g = small();
        g.setNode(2, g.getNode(2).toBuilder().setAttribute(1, ints("strides", 2, 0)).build());
        graphError(model(13, g), "'pool'", "stride width must be ≥ 1, got 0");
    }

    @Test
    void kernelLargerThanThePaddedInputNamesTheNodeAndSizes() {
        GraphProto.Builder g = small();
        g.setInput(0, value("x", "N", 3, 2, 2));
        g.setNode(0, g.getNode(0).toBuilder().setAttribute(1, ints("pads", 0, 0, 0, 0)).build());
        graphError(model(13, g), "'features.conv.Conv'", "kernel height 3 is larger than the padded input height 2");
    }

    @Test
    void weightOfZeroOutputChannelsIsRefused() {
        GraphProto.Builder g = small();
        g.setInitializer(0, floats("w", new float[0], 0, 3, 3, 3));
        g.setNode(0, g.getNode(0).toBuilder().clearInput().addInput("x").addInput("w").build());
        graphError(model(13, g), "'features.conv.Conv'", "channels must be ≥ 1");
    }

    private TensorProto externalWeight(String offset, String length) {
        TensorProto.Builder t = TensorProto.newBuilder().setName("w").setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(List.of(4L, 3L, 3L, 3L)).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("w.bin"))
                .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(offset));
        if (length != null) t.addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(length));
        return t.build();
    }

    private String externalFailure(TensorProto w) throws Exception {
        Path f = dir.resolve("m.onnx");
        GraphProto.Builder g = small();
        g.setInitializer(0, w);
        Files.write(f, model(13, g).toByteArray());
        FormatException e = assertThrows(FormatException.class, () -> OnnxImporter.load(f));
        assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains("initializer 'w'"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void externalDataOffsetsOutsideTheFileOrLengthsThatDisagree() throws Exception {
        Files.write(dir.resolve("w.bin"), new byte[432]);
        assertTrue(externalFailure(externalWeight("-4", null)).contains("offset -4"));
        assertTrue(externalFailure(externalWeight("1", null)).contains("beyond the end of 'w.bin' (432 bytes)"));
        assertTrue(externalFailure(externalWeight("0", "999999999999")).contains("length 999999999999 differs from the 432 bytes"));
        assertTrue(externalFailure(externalWeight("x", null)).contains("'x' is not an integer"));
        Files.createDirectories(dir.resolve("sub.bin"));
        TensorProto dirRef = externalWeight("0", null).toBuilder().setExternalData(0,
                StringStringEntryProto.newBuilder().setKey("location").setValue("sub.bin")).build();
        assertTrue(externalFailure(dirRef).contains("not a regular file"));
    }

    @Test
    void rawDataOfTheWrongLengthNamesTheTensor() {
        GraphProto.Builder g = small();
        g.setInitializer(2, g.getInitializer(2).toBuilder().setRawData(ByteString.copyFrom(new byte[79])).build());
        graphError(model(13, g), "initializer 'fc_w'", "raw_data holds 79 bytes", "needs 80");
    }

    @Test
    void nodeWithoutOutputsOrWithAMissingInput() {
        GraphProto.Builder g = small();
        g.setNode(1, node("Relu", "relu", List.of("c"), List.of()));
        graphError(model(13, g), "node 'relu' (Relu)", "no outputs");
        g = small();
        g.setNode(1, node("Relu", "relu", List.of(), List.of("r")));
        graphError(model(13, g), "node 'relu' (Relu)", "input 0 is missing");
    }
}
