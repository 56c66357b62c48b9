package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.op.AdaptiveAvgPool2d;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Dropout;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Fused;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Input;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Op;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Param;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.onnx.proto.OnnxProto.ModelProto;
import googlenet.graph.onnx.proto.OnnxProto.NodeProto;
import googlenet.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorShapeProto;
import googlenet.graph.onnx.proto.OnnxProto.TypeProto;
import googlenet.graph.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a {@link Graph} with its weights as an ONNX model (a serialized {@code ModelProto}, default opset 13).
 *
 * <ul>
 *   <li>Weights become initializers named by their keys ({@code "2.0.p1_1.weight"}), float32 little-endian
 *       {@code raw_data}; they are not listed as graph inputs.</li>
 *   <li>Every node becomes one ONNX node of the same name whose output value carries the node's name, except
 *       that a graph output's value is named after the output ({@code logits}); a fused node becomes its
 *       producer and its epilogue ({@code name} and {@code name + "/relu"}); Dropout is left out (its consumers
 *       read its input), as it is the identity at inference.</li>
 *   <li>Inputs, outputs and every intermediate value carry float32 shapes; the batch is a fixed dimension, or
 *       the symbolic {@code "N"} when asked for.</li>
 *   <li>AdaptiveAvgPool2d is exported only when it is a plain AveragePool (every input side divisible by the
 *       output side). Ceil-mode pools use {@code ceil_mode} from opset 10 on where every runtime reads it as we do,
 *       else floor mode with extra end padding that takes no part in the result; an average pool that counts
 *       padding and whose ceil-mode windows reach past the padded input (ONNX Runtime's divisor then counts the
 *       part past it, PyTorch's does not) becomes an explicit zero {@code Pad} and an average pool that does not
 *       count padding.</li>
 * </ul>
 *
 * What cannot be expressed throws an {@link IllegalArgumentException} naming the node.
 */
public final class OnnxExporter {
    public static final int DEFAULT_OPSET = 13;
    public static final int MIN_OPSET = 7;
    public static final int MAX_OPSET = 22;
    /** Name of the symbolic batch dimension when {@code symbolicBatch} is asked for. */
    public static final String BATCH_DIM = "N";

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private OnnxExporter() {
    }

    /** The model at {@link #DEFAULT_OPSET} with a fixed batch dimension. */
    public static byte[] export(Graph graph) {
        return export(graph, DEFAULT_OPSET);
    }

    public static byte[] export(Graph graph, int opset) {
        return export(graph, opset, false);
    }

    /**
     * @param opset         the default-domain opset, {@value #MIN_OPSET} … {@value #MAX_OPSET}
     * @param symbolicBatch name the batch dimension {@code "N"} instead of fixing it
     */
    public static byte[] export(Graph graph, int opset, boolean symbolicBatch) {
        return toModel(graph, opset, symbolicBatch).toByteArray();
    }

    /** Writes the model at {@link #DEFAULT_OPSET} with a fixed batch dimension. */
    public static void write(Graph graph, Path file) throws IOException {
        write(graph, file, DEFAULT_OPSET, false);
    }

    public static void write(Graph graph, Path file, int opset, boolean symbolicBatch) throws IOException {
        Files.write(file, export(graph, opset, symbolicBatch));
    }

    /** The IR version that goes with an opset (ONNX's versioning table). */
    public static int irVersion(int opset) {
        checkOpset(opset);
        if (opset <= 8) return 3;
        if (opset == 9) return 4;
        if (opset == 10) return 5;
        if (opset == 11) return 6;
        if (opset <= 14) return 7;
        if (opset <= 18) return 8;
        if (opset <= 20) return 9;
        return 10;
    }

    private static void checkOpset(int opset) {
        if (opset < MIN_OPSET || opset > MAX_OPSET) {
            throw new IllegalArgumentException("ONNX opset " + opset + " is not supported; choose " + MIN_OPSET + " … " + MAX_OPSET);
        }
    }

    static ModelProto toModel(Graph graph, int opset, boolean symbolicBatch) {
        checkOpset(opset);
        return ModelProto.newBuilder()
                .setIrVersion(irVersion(opset))
                .setProducerName("googlenet")
                .setProducerVersion("0.1.0")
                .setDomain("io.github.googlenet")
                .setModelVersion(1)
                .setDocString("GoogLeNet graph '" + graph.name() + "' exported from the googlenet graph IR")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(new GraphWriter(graph, opset, symbolicBatch).write())
                .build();
    }

    /** One export: names values, then emits nodes, initializers and value infos. */
    private static final class GraphWriter {
        private final Graph graph;
        private final int opset;
        private final boolean symbolicBatch;
        private final GraphProto.Builder out = GraphProto.newBuilder();
        /** Node name → the name of the ONNX value that holds its output. */
        private final Map<String, String> valueOf = new HashMap<>();
        /** Every value and node name used so far: ONNX wants each unique. */
        private final Set<String> usedValues = new HashSet<>();
        private final Set<String> usedNodes = new HashSet<>();

        GraphWriter(Graph graph, int opset, boolean symbolicBatch) {
            this.graph = graph;
            this.opset = opset;
            this.symbolicBatch = symbolicBatch;
        }

        GraphProto write() {
            if (!graph.hasWeights()) {
                throw new IllegalArgumentException("graph '" + graph.name() + "' has no weights: give weights or seed them before exporting");
            }
            out.setName(graph.name());
            nameValues();
            Set<String> weightKeys = graph.requiredWeights().keySet();
            usedValues.addAll(weightKeys);

            for (Node node : graph.nodes()) {
                if (node.op() instanceof Input) {
                    out.addInput(valueInfo(valueOf.get(node.name()), node.shape()));
                    claimValue(node, valueOf.get(node.name()));
                    continue;
                }
                if (node.op() instanceof Dropout) continue;
                for (Param p : node.params()) out.addInitializer(initializer(node, p));
                List<String> inputs = new ArrayList<>();
                for (String in : node.inputs()) inputs.add(valueOf.get(in));
                String value = valueOf.get(node.name());
                claimValue(node, value);
                emit(node, node.op(), node.name(), inputs, value);
            }

            Map<String, String> outputNodes = graph.outputs();
            for (var e : outputNodes.entrySet()) {
                Node node = graph.node(e.getValue());
                String value = valueOf.get(node.name());
                if (!value.equals(e.getKey())) {
                    // The value already carries another output's (or the input's) name: copy it.
                    claimValue(node, e.getKey());
                    NodeProto.Builder id = node("Identity", uniqueNodeName("output." + e.getKey()), List.of(value), e.getKey());
                    out.addNode(id);
                }
                out.addOutput(valueInfo(e.getKey(), node.shape()));
            }

            Set<String> graphIo = new HashSet<>(outputNodes.keySet());
            for (Node n : graph.inputs()) graphIo.add(valueOf.get(n.name()));
            for (Node node : graph.nodes()) {
                String value = valueOf.get(node.name());
                if (!(node.op() instanceof Dropout) && !graphIo.contains(value)) out.addValueInfo(valueInfo(value, node.shape()));
            }
            return out.build();
        }

        /**
         * Dropout aliases its input; a graph output gives its name to the value of its node when that value is
         * not a graph input, not already named after another output, and the name is not a node's name.
         */
        private void nameValues() {
            Set<String> nodeNames = new HashSet<>();
            for (Node n : graph.nodes()) nodeNames.add(n.name());
            Map<String, String> producerOf = new HashMap<>();
            for (Node n : graph.nodes()) {
                String value = n.op() instanceof Dropout ? valueOf.get(n.inputs().getFirst()) : n.name();
                valueOf.put(n.name(), value);
                if (!(n.op() instanceof Dropout)) producerOf.put(value, n.name());
            }
            Map<String, String> rename = new HashMap<>();
            Set<String> weightKeys = graph.requiredWeights().keySet();
            for (var e : graph.outputs().entrySet()) {
                String outputName = e.getKey();
                String value = valueOf.get(e.getValue());
                Node producer = graph.node(producerOf.get(value));
                if (producer.op() instanceof Input || rename.containsKey(value) || rename.containsValue(outputName)) continue;
                if (!outputName.equals(value) && (nodeNames.contains(outputName) || weightKeys.contains(outputName))) continue;
                rename.put(value, outputName);
            }
            valueOf.replaceAll((node, value) -> rename.getOrDefault(value, value));
        }

        private void claimValue(Node node, String value) {
            if (!usedValues.add(value)) {
                throw new IllegalArgumentException("node '" + node.name() + "' (" + node.op().typeName() + "): ONNX value name '"
                        + value + "' is already taken by another value or weight");
            }
        }

        private String uniqueNodeName(String wanted) {
            String name = wanted;
            for (int i = 2; !usedNodes.add(name); i++) name = wanted + "_" + i;
            return name;
        }

        private String uniqueValueName(String wanted) {
            String name = wanted;
            for (int i = 2; usedValues.contains(name) || graph.hasNode(name) || graph.outputs().containsKey(name); i++) name = wanted + "_" + i;
            usedValues.add(name);
            return name;
        }

        private void emit(Node node, Op op, String onnxName, List<String> inputs, String output) {
            switch (op) {
                case Fused f -> {
                    String pre = uniqueValueName(node.name() + "/pre_" + f.epilogue().typeName().toLowerCase(Locale.ROOT));
                    emit(node, f.producer(), onnxName, inputs, pre);
                    emit(node, f.epilogue(), onnxName + "/" + f.epilogue().typeName().toLowerCase(Locale.ROOT), List.of(pre), output);
                }
                case Conv2d c -> {
                    List<String> in = new ArrayList<>(inputs);
                    in.add(node.name() + ".weight");
                    if (c.bias()) in.add(node.name() + ".bias");
                    out.addNode(node("Conv", uniqueNodeName(onnxName), in, output)
                            .addAttribute(ints("kernel_shape", c.kernelH(), c.kernelW()))
                            .addAttribute(ints("strides", c.strideH(), c.strideW()))
                            .addAttribute(ints("pads", pads(c.padding())))
                            .addAttribute(ints("dilations", c.dilationH(), c.dilationW()))
                            .addAttribute(integer("group", c.groups())));
                }
                case Relu _ -> out.addNode(node("Relu", uniqueNodeName(onnxName), inputs, output));
                case MaxPool2d m -> out.addNode(pool(node, "MaxPool", onnxName, inputs, output, node.inputShapes().getFirst(), m.kernelH(), m.kernelW(),
                        m.strideH(), m.strideW(), m.padding(), m.ceilMode(), true));
                case AvgPool2d a -> {
                    Shape x = node.inputShapes().getFirst();
                    Padding p = a.padding();
                    boolean windowsPastPadding = a.ceilMode()
                            && (floor(x.dim(2), a.kernelH(), a.strideH(), p.top(), p.bottom()) != node.shape().dim(2)
                                || floor(x.dim(3), a.kernelW(), a.strideW(), p.left(), p.right()) != node.shape().dim(3));
                    if (a.countIncludePad() && windowsPastPadding) {
                        // ONNX Runtime counts the part of a ceil-mode window past the padded input in the divisor, PyTorch
                        // and we do not: pad with zeros explicitly, then average without counting the (now end-only) padding.
                        String padded = inputs.getFirst();
                        if (!p.equals(Padding.NONE)) {
                            padded = uniqueValueName(node.name() + "/padded");
                            emitZeroPad(node, onnxName + "/pad", inputs.getFirst(), padded, p);
                        }
                        Shape px = Shape.of(x.dim(0), x.dim(1), x.dim(2) + p.top() + p.bottom(), x.dim(3) + p.left() + p.right());
                        NodeProto.Builder b = pool(node, "AveragePool", onnxName, List.of(padded), output, px, a.kernelH(), a.kernelW(),
                                a.strideH(), a.strideW(), Padding.NONE, true, true);
                        out.addNode(b.addAttribute(integer("count_include_pad", 0)));
                    } else {
                        NodeProto.Builder b = pool(node, "AveragePool", onnxName, inputs, output, x, a.kernelH(), a.kernelW(),
                                a.strideH(), a.strideW(), p, a.ceilMode(), !a.countIncludePad());
                        out.addNode(b.addAttribute(integer("count_include_pad", a.countIncludePad() ? 1 : 0)));
                    }
                }
                case GlobalAvgPool _ -> out.addNode(node("GlobalAveragePool", uniqueNodeName(onnxName), inputs, output));
                case AdaptiveAvgPool2d a -> {
                    Shape x = node.inputShapes().getFirst();
                    int h = x.dim(2);
                    int w = x.dim(3);
                    if (h % a.outH() != 0 || w % a.outW() != 0) {
                        throw unsupported(node, "adaptive average pooling " + h + "×" + w + " → " + a.outH() + "×" + a.outW()
                                + " has windows of different sizes, which no ONNX AveragePool expresses (the input sides must be"
                                + " multiples of the output sides)");
                    }
                    if (a.outH() == 1 && a.outW() == 1) {
                        out.addNode(node("GlobalAveragePool", uniqueNodeName(onnxName), inputs, output));
                    } else {
                        int kh = h / a.outH();
                        int kw = w / a.outW();
                        out.addNode(node("AveragePool", uniqueNodeName(onnxName), inputs, output)
                                .addAttribute(ints("kernel_shape", kh, kw))
                                .addAttribute(ints("strides", kh, kw))
                                .addAttribute(ints("pads", 0, 0, 0, 0)));
                    }
                }
                case Concat c -> out.addNode(node("Concat", uniqueNodeName(onnxName), inputs, output)
                        .addAttribute(integer("axis", c.axis())));
                case Flatten f -> out.addNode(node("Flatten", uniqueNodeName(onnxName), inputs, output)
                        .addAttribute(integer("axis", f.axis())));
                case Linear l -> {
                    List<String> in = new ArrayList<>(inputs);
                    in.add(node.name() + ".weight");
                    if (l.bias()) {
                        in.add(node.name() + ".bias");
                    } else if (opset < 11) {
                        // Gemm's C is optional only from opset 11 on.
                        String zero = uniqueValueName(node.name() + ".bias_zero");
                        out.addInitializer(floats(zero, Shape.of(l.outFeatures()), new float[l.outFeatures()]));
                        in.add(zero);
                    }
                    out.addNode(node("Gemm", uniqueNodeName(onnxName), in, output)
                            .addAttribute(floatAttr("alpha", 1f))
                            .addAttribute(floatAttr("beta", 1f))
                            .addAttribute(integer("transB", 1)));
                }
                case BatchNorm bn -> {
                    String p = node.name() + ".";
                    List<String> in = new ArrayList<>(inputs);
                    in.addAll(List.of(p + "weight", p + "bias", p + "running_mean", p + "running_var"));
                    out.addNode(node("BatchNormalization", uniqueNodeName(onnxName), in, output)
                            .addAttribute(floatAttr("epsilon", (float) bn.eps())));
                }
                case Lrn l -> out.addNode(node("LRN", uniqueNodeName(onnxName), inputs, output)
                        .addAttribute(integer("size", l.size()))
                        .addAttribute(floatAttr("alpha", (float) l.alpha()))
                        .addAttribute(floatAttr("beta", (float) l.beta()))
                        .addAttribute(floatAttr("bias", (float) l.k())));
                case Softmax _ -> {
                    // Our softmax is over the last axis of a rank-2 input: axis 1 means the same before and after opset 13.
                    if (node.inputShapes().getFirst().rank() != 2) throw unsupported(node, "softmax of a rank-" + node.inputShapes().getFirst().rank() + " input");
                    out.addNode(node("Softmax", uniqueNodeName(onnxName), inputs, output).addAttribute(integer("axis", 1)));
                }
                case Dropout _ -> throw new AssertionError("dropout is aliased, never emitted");
                case Input _ -> throw new AssertionError("inputs are graph inputs, never emitted");
            }
        }

        /**
         * A pool node. Ceil mode: {@code ceil_mode = 1} (opset ≥ 10) when the plain ceil formula, which every ONNX
         * runtime applies, gives our output size (ours drops a last window that would start in the end padding, as
         * PyTorch does); otherwise floor mode, with the end padding grown until it gives our size when padded taps
         * take no part in the result ({@code padIgnored}: max pooling, or average pooling without counting pads).
         * Average pools that count padding and whose ceil-mode windows reach past the padded input never come here
         * with {@code ceilMode}: ONNX Runtime's divisor differs from PyTorch's for them (see the AvgPool2d case).
         */
        private NodeProto.Builder pool(Node node, String opType, String onnxName, List<String> inputs, String output, Shape x,
                                       int kh, int kw, int sh, int sw, Padding padding, boolean ceilMode, boolean padIgnored) {
            Shape y = node.shape();
            int[] pads = pads(padding);
            boolean useCeil = false;
            if (ceilMode) {
                boolean plainCeilAgrees = plainCeil(x.dim(2), kh, sh, padding.top(), padding.bottom()) == y.dim(2)
                        && plainCeil(x.dim(3), kw, sw, padding.left(), padding.right()) == y.dim(3);
                boolean floorAgrees = floor(x.dim(2), kh, sh, padding.top(), padding.bottom()) == y.dim(2)
                        && floor(x.dim(3), kw, sw, padding.left(), padding.right()) == y.dim(3);
                if (opset >= 10 && plainCeilAgrees && (padIgnored || floorAgrees)) {
                    useCeil = true;
                } else if (floorAgrees) {
                    useCeil = false; // no window reaches past the padded input: floor mode says the same
                } else if (padIgnored) {
                    pads[2] += extraEndPad(x.dim(2), kh, sh, padding.top(), padding.bottom(), y.dim(2));
                    pads[3] += extraEndPad(x.dim(3), kw, sw, padding.left(), padding.right(), y.dim(3));
                    if (pads[2] >= kh || pads[3] >= kw) {
                        throw unsupported(node, "ceil-mode pooling would need end padding " + pads[2] + "," + pads[3]
                                + " as large as the kernel " + kh + "×" + kw);
                    }
                } else {
                    throw new AssertionError("average pools counting padding are padded explicitly before this");
                }
            }
            NodeProto.Builder b = node(opType, uniqueNodeName(onnxName), inputs, output)
                    .addAttribute(ints("kernel_shape", kh, kw))
                    .addAttribute(ints("strides", sh, sw))
                    .addAttribute(ints("pads", pads));
            if (opset >= 10) b.addAttribute(integer("ceil_mode", useCeil ? 1 : 0));
            return b;
        }

        /** A constant-zero Pad node: pads as an attribute before opset 11, as an int64 initializer from it on. */
        private void emitZeroPad(Node node, String onnxName, String input, String output, Padding p) {
            long[] pads = {0, 0, p.top(), p.left(), 0, 0, p.bottom(), p.right()};
            NodeProto.Builder b = node("Pad", uniqueNodeName(onnxName), List.of(input), output).addAttribute(
                    AttributeProto.newBuilder().setName("mode").setType(AttributeProto.AttributeType.STRING)
                            .setS(ByteString.copyFromUtf8("constant")));
            if (opset < 11) {
                AttributeProto.Builder a = AttributeProto.newBuilder().setName("pads").setType(AttributeProto.AttributeType.INTS);
                for (long v : pads) a.addInts(v);
                b.addAttribute(a).addAttribute(floatAttr("value", 0f));
            } else {
                String name = uniqueValueName(node.name() + ".pads");
                out.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                        .addDims(pads.length).addAllInt64Data(java.util.Arrays.stream(pads).boxed().toList()));
                b.addInput(name);
            }
            out.addNode(b);
        }

        private static int floor(int in, int k, int s, int padBegin, int padEnd) {
            return Math.floorDiv(in + padBegin + padEnd - k, s) + 1;
        }

        private static int plainCeil(int in, int k, int s, int padBegin, int padEnd) {
            return Math.ceilDiv(in + padBegin + padEnd - k, s) + 1;
        }

        private static int extraEndPad(int in, int k, int s, int padBegin, int padEnd, int outSize) {
            return Math.max(0, (outSize - 1) * s + k - (in + padBegin + padEnd));
        }

        private TensorProto initializer(Node node, Param p) {
            String key = node.paramKey(p);
            Tensor t = graph.weights().get(key);
            if (t == null) {
                throw unsupported(node, "weight '" + key + "' is missing");
            }
            return floats(key, t.shape(), t.data());
        }

        private ValueInfoProto valueInfo(String name, Shape shape) {
            TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
            for (int i = 0; i < shape.rank(); i++) {
                if (i == 0 && symbolicBatch) {
                    dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
                } else {
                    dims.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(shape.dim(i)));
                }
            }
            return ValueInfoProto.newBuilder()
                    .setName(name)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(dims)))
                    .build();
        }
    }

    private static IllegalArgumentException unsupported(Node node, String problem) {
        return new IllegalArgumentException("cannot export node '" + node.name() + "' (" + node.op().typeName() + ") to ONNX: " + problem);
    }

    private static NodeProto.Builder node(String opType, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(inputs).addOutput(output);
    }

    /** ONNX orders 2-D pads as [x1_begin, x2_begin, x1_end, x2_end]: top, left, bottom, right. */
    private static int[] pads(Padding p) {
        return new int[] {p.top(), p.left(), p.bottom(), p.right()};
    }

    private static AttributeProto ints(String name, int... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (int v : values) b.addInts(v);
        return b.build();
    }

    private static AttributeProto integer(String name, int value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    private static AttributeProto floatAttr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static TensorProto floats(String name, Shape shape, float[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data);
        TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(FLOAT).setRawData(ByteString.copyFrom(bytes));
        for (int d : shape.dims()) b.addDims(d);
        return b.build();
    }
}
