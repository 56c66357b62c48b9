package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.io.FormatException;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import googlenet.graph.onnx.proto.OnnxProto.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads an ONNX model (a serialized {@code ModelProto}) into the graph IR with its weights.
 *
 * <p>What is accepted: the default-domain opsets {@value #MIN_OPSET} … {@value #MAX_OPSET} and the ops GoogLeNet models
 * use — Conv, Relu, MaxPool, AveragePool (explicit pads or any {@code auto_pad}; no pool dilations), GlobalAveragePool,
 * Concat, Gemm and MatMul (+ Add of a constant) as Linear, Flatten at any axis, Reshape/Squeeze that flatten to
 * {@code [N, -1]}, LRN,
 * Dropout and Identity (aliases), Softmax over the last axis of N×K, BatchNormalization (inference), Constant, a zero
 * {@code Pad} in front of a conv or pool (folded into its padding), and Add/Sub/Mul/Div by constants that act per
 * channel, also on channels taken apart with Gather/Unsqueeze and put back with Concat as torchvision's
 * {@code transform_input} does: they become one per-channel affine map (a {@link BatchNorm} with mean 0, variance 1 and
 * eps 0). Shape, Gather, Unsqueeze, Concat and Cast on constants are folded. Opsets 1-6 are read with their own
 * attributes where they mean what today's do ({@code consumed_inputs} ignored, Concat's default axis 1, Reshape's
 * {@code shape}, Pad's {@code paddings}, Cast's type names, B broadcast from {@code axis}); their training mode
 * ({@code is_test=0} on Dropout and BatchNormalization) is refused.
 *
 * <p>Weights come from initializers ({@code raw_data} or the typed fields; FLOAT, FLOAT16 widened to float32; INT64/INT32
 * for shapes and pads), also through Identity chains, or from external data files inside the model's folder. A symbolic
 * batch dimension becomes 1 ({@link Graph#withInputShape} changes it); other dimensions must be fixed.
 *
 * <p>Node names are the ONNX node names (the first output's name when empty), with {@code /} turned into {@code .} and
 * other characters outside {@code [A-Za-z0-9_.:-]} into {@code _}, made unique; a node's weights are
 * {@code name + ".weight"} etc. Graph inputs and outputs keep their ONNX value names.
 *
 * <p>Failures: bytes that are not an ONNX model, or external data that cannot be read or lies outside the model's folder,
 * throw {@link FormatException}; a model this engine cannot run (an unsupported op or attribute, a missing initializer,
 * a cycle) throws {@link GraphException} naming the source, the node, its op type and what is missing.
 */
public final class OnnxImporter {
    public static final int MIN_OPSET = 1;
    public static final int MAX_OPSET = 22;
    /** The largest model file (or stream) read: the size limit of one protobuf message and of one Java array. */
    public static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 8;

    private OnnxImporter() {
    }

    /** Loads a model file; external data is read from the file's folder. */
    public static Graph load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) throw new java.nio.file.FileSystemException(file.toString(), null, "a folder, not an ONNX model file");
        long size = Files.size(file);
        if (size > MAX_MODEL_BYTES) {
            throw new FormatException(file + ": " + size + " bytes is larger than a protobuf message can be (2 GB); keep the weights as external data");
        }
        Path folder = file.toAbsolutePath().getParent();
        // Mapped, not read: the weights stay views of the file's pages (a 28 MB model read into a byte array cost
        // 0.13 s of a one-shot run: zeroing the array, faulting its pages in, copying).
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        return load(UnsafeByteOperations.unsafeWrap(mapped), file.toString(), folder);
    }

    /** Loads a model from a stream (read to its end, not closed); the model must not use external data. */
    public static Graph load(InputStream in, String name) throws IOException {
        byte[] bytes = readAtMost(in, MAX_MODEL_BYTES + 1);
        if (bytes.length > MAX_MODEL_BYTES) {
            throw new FormatException((name == null ? "<onnx>" : name) + ": more than " + MAX_MODEL_BYTES
                    + " bytes, larger than a protobuf message can be (2 GB); keep the weights as external data");
        }
        return load(bytes, name, null);
    }

    /**
     * The stream's bytes, at most {@code limit}: sized by {@code available()} first (exact for in-memory streams, so
     * the model is copied once, not gathered in chunks and copied again; trusted up to 256 MB only), then doubled as
     * more arrives, never beyond the limit.
     */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        byte[] buf = new byte[Math.clamp(in.available(), 8192, Math.min(limit, 1 << 28))];
        int n = 0;
        while (true) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) return n == buf.length ? buf : Arrays.copyOf(buf, n);
            n += r;
            if (n == buf.length) {
                int next = in.read();
                if (next < 0 || n == limit) return buf;
                buf = Arrays.copyOf(buf, (int) Math.min(2L * n, limit));
                buf[n++] = (byte) next;
            }
        }
    }

    /**
     * Loads a model from its bytes; the model must not use external data. The bytes are read in place, not copied:
     * float weights passed on unchanged are {@link Tensor#littleEndian} views of them, decoded when first used. So the
     * bytes must not change while the graph is in use.
     */
    public static Graph load(byte[] bytes, String name) throws IOException {
        return load(bytes, name, null);
    }

    /** Loads a model from a classpath resource of {@code anchor}'s module or class loader. */
    public static Graph loadResource(Class<?> anchor, String resource) throws IOException {
        try (InputStream in = anchor.getResourceAsStream(resource)) {
            if (in == null) throw new NoSuchFileException(resource, null, "no such resource next to " + anchor.getName());
            return load(in, resource);
        }
    }

    private static Graph load(byte[] bytes, String name, Path folder) throws IOException {
        return load(UnsafeByteOperations.unsafeWrap(bytes), name, folder);
    }

    private static Graph load(ByteString bytes, String name, Path folder) throws IOException {
        String source = name == null ? "<onnx>" : name;
        ModelProto model;
        try {
            // Aliasing: tensors' raw_data stay views of `bytes` (which nothing else holds or changes), not copies.
            CodedInputStream input = bytes.newCodedInput(); // wrapped as immutable: may alias
            input.enableAliasing(true);
            input.setSizeLimit(Integer.MAX_VALUE);
            model = ModelProto.parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            throw new FormatException(source + ": not an ONNX model: the protobuf is malformed or truncated (" + e.getMessage() + ")", e);
        }
        if (model.getIrVersion() <= 0 || !model.hasGraph()) {
            throw new FormatException(source + ": not an ONNX model: " + (model.getIrVersion() <= 0 ? "no IR version" : "no graph"));
        }
        try {
            return new OnnxReader(source, folder, model).read();
        } catch (GraphException e) {
            throw new GraphException(source + ": " + e.getMessage(), e);
        } catch (TensorDecoder.UncheckedFormat e) {
            throw (IOException) e.getCause();
        } catch (RuntimeException e) {
            // A malformed model that slipped past the checks: still one clear error, never another exception.
            throw new GraphException(source + ": malformed ONNX model: " + e, e);
        }
    }

}
