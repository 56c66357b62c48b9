package googlenet.graph.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.GraphException;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.io.FormatException;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import googlenet.graph.onnx.Value.Padded;
import googlenet.graph.onnx.Value.Real;
import googlenet.graph.onnx.Value.Unavailable;
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
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

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
            return new Reader(source, folder, model).read();
        } catch (GraphException e) {
            throw new GraphException(source + ": " + e.getMessage(), e);
        } catch (TensorDecoder.UncheckedFormat e) {
            throw (IOException) e.getCause();
        } catch (RuntimeException e) {
            // A malformed model that slipped past the checks: still one clear error, never another exception.
            throw new GraphException(source + ": malformed ONNX model: " + e, e);
        }
    }

    // ------------------------------------------------------------------ the reader

    private static final class Reader {
        private final String source;
        private final Path folder;
        private final ModelProto model;
        private final GraphProto g;
        private final int opset;
        private final GraphBuilder b;
        private final Map<String, Value> values = new HashMap<>();
        private final Map<String, TensorProto> initializers = new HashMap<>();
        private final Map<String, Tensor> weights = new LinkedHashMap<>();
        private final Set<String> usedNames = new HashSet<>();
        /** Nodes whose outputs are ≥ 0 (ReLU and what only moves such values), so that a zero Pad may join a max pool. */
        private final Set<String> nonNegative = new HashSet<>();

        private final TensorDecoder decoder;
        private NodeProto node;
        private String nodeName;
        private Set<String> readAttributes;

        Reader(String source, Path folder, ModelProto model) {
            this.source = source;
            this.folder = folder;
            this.model = model;
            this.g = model.getGraph();
            this.decoder = new TensorDecoder(source, folder);
            this.opset = defaultOpset();
            this.b = new GraphBuilder(g.getName().isEmpty() ? stem(source) : g.getName());
        }

        private static String stem(String source) {
            String s = source.replace('\\', '/');
            s = s.substring(s.lastIndexOf('/') + 1);
            return s.endsWith(".onnx") ? s.substring(0, s.length() - 5) : s;
        }

        private int defaultOpset() {
            Integer found = null;
            for (OperatorSetIdProto o : model.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) found = (int) Math.min(Integer.MAX_VALUE, o.getVersion());
            }
            if (found == null) {
                if (model.getIrVersion() < 3) return MIN_OPSET;
                throw new GraphException("the model imports no default-domain opset (opset_import)");
            }
            if (found < MIN_OPSET || found > MAX_OPSET) {
                throw new GraphException("opset " + found + " is not supported; supported are " + MIN_OPSET + " … " + MAX_OPSET);
            }
            return found;
        }

        Graph read() throws IOException {
            for (TensorProto t : g.getInitializerList()) {
                if (initializers.put(t.getName(), t) != null) throw new GraphException("initializer '" + t.getName() + "' is declared twice");
            }
            if (g.getSparseInitializerCount() > 0) throw new GraphException("sparse initializers are not supported");
            for (ValueInfoProto in : g.getInputList()) {
                if (initializers.containsKey(in.getName())) continue; // IR < 4 lists initializers as inputs too
                addInput(in);
            }
            for (NodeProto n : sorted()) {
                node = n;
                nodeName = null;
                readAttributes = new HashSet<>();
                if (opset < 7) ignore("consumed_inputs"); // opsets 1-6: a hint for in-place memory reuse, no semantics
                convert();
                for (AttributeProto a : n.getAttributeList()) {
                    if (!readAttributes.contains(a.getName())) throw unsupported("attribute '" + a.getName() + "' is not supported");
                }
            }
            node = null;
            if (g.getOutputCount() == 0) throw new GraphException("the graph has no outputs");
            for (ValueInfoProto out : g.getOutputList()) {
                Value v = value(out.getName(), "graph output '" + out.getName() + "'");
                String producer = materialize(v, "graph output '" + out.getName() + "'");
                b.output(out.getName(), producer);
            }
            return b.build(Weights.of(weights));
        }

        private void addInput(ValueInfoProto in) {
            String what = "graph input '" + in.getName() + "'";
            if (!in.hasType() || !in.getType().hasTensorType()) throw new GraphException(what + " is not a tensor");
            TypeProto.Tensor tt = in.getType().getTensorType();
            if (tt.getElemType() != TensorProto.DataType.FLOAT_VALUE) {
                throw new GraphException(what + " has element type " + TensorDecoder.dataTypeName(tt.getElemType()) + "; only FLOAT inputs are supported");
            }
            if (!tt.hasShape()) throw new GraphException(what + " has no shape");
            List<TensorShapeProto.Dimension> dims = tt.getShape().getDimList();
            if (dims.isEmpty()) throw new GraphException(what + " is a scalar; expected a tensor such as N×C×H×W");
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                TensorShapeProto.Dimension d = dims.get(i);
                if (d.hasDimValue() && d.getDimValue() <= 0) {
                    throw new GraphException(what + ": dimension " + i + " is " + d.getDimValue() + "; dimensions must be ≥ 1");
                } else if (d.hasDimValue()) {
                    if (d.getDimValue() > Integer.MAX_VALUE) throw new GraphException(what + ": dimension " + i + " is too large");
                    shape[i] = (int) d.getDimValue();
                } else if (i == 0) {
                    shape[i] = 1; // symbolic batch: 1 until Graph.withInputShape says otherwise
                } else {
                    throw new GraphException(what + ": dimension " + i + " is " + (d.hasDimParam() ? "symbolic ('" + d.getDimParam() + "')" : "unknown")
                            + "; only the batch dimension (0) may be symbolic");
                }
            }
            String name = unique(sanitize(in.getName()));
            b.input(name, Shape.of(shape));
            define(in.getName(), new Real(name));
        }

        /** The nodes in topological order (stable: file order where dependencies allow); cycles fail naming their nodes. */
        private List<NodeProto> sorted() {
            List<NodeProto> nodes = g.getNodeList();
            Map<String, Integer> producer = new HashMap<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (String out : nodes.get(i).getOutputList()) {
                    if (out.isEmpty()) continue;
                    Integer prev = producer.put(out, i);
                    if (prev != null) {
                        throw new GraphException("value '" + out + "' is produced by two nodes, '" + label(nodes.get(prev)) + "' and '" + label(nodes.get(i)) + "'");
                    }
                    if (initializers.containsKey(out) || values.containsKey(out)) {
                        throw new GraphException("node '" + label(nodes.get(i)) + "' (" + nodes.get(i).getOpType() + ") writes value '" + out
                                + "', which is already a graph input or initializer");
                    }
                }
            }
            int[] pending = new int[nodes.size()];
            List<List<Integer>> consumers = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) consumers.add(new ArrayList<>());
            for (int i = 0; i < nodes.size(); i++) {
                for (String in : new TreeSet<>(nodes.get(i).getInputList())) {
                    Integer p = producer.get(in);
                    if (p != null) {
                        pending[i]++;
                        consumers.get(p).add(i);
                    }
                }
            }
            PriorityQueue<Integer> ready = new PriorityQueue<>();
            for (int i = 0; i < nodes.size(); i++) if (pending[i] == 0) ready.add(i);
            List<NodeProto> order = new ArrayList<>(nodes.size());
            while (!ready.isEmpty()) {
                int i = ready.poll();
                order.add(nodes.get(i));
                for (int c : consumers.get(i)) if (--pending[c] == 0) ready.add(c);
            }
            if (order.size() < nodes.size()) {
                List<String> stuck = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) if (pending[i] > 0) stuck.add("'" + label(nodes.get(i)) + "' (" + nodes.get(i).getOpType() + ")");
                throw new GraphException("the graph has a cycle: nodes " + String.join(", ", stuck.subList(0, Math.min(8, stuck.size())))
                        + (stuck.size() > 8 ? ", …" : "") + " wait on each other's outputs");
            }
            return order;
        }

        private static String label(NodeProto n) {
            return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : "?";
        }

        // -------------------------------------------------------------- naming

        static String sanitize(String raw) {
            String s = raw;
            while (s.startsWith("/")) s = s.substring(1);
            s = s.replace('/', '.');
            StringBuilder sb = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == ':';
                sb.append(ok ? c : '_');
            }
            String out = sb.toString();
            return out.isEmpty() || out.chars().allMatch(c -> c == '.') ? "node" : out;
        }

        private String unique(String wanted) {
            String name = wanted;
            for (int i = 2; !usedNames.add(name); i++) name = wanted + "_" + i;
            return name;
        }

        /** The IR name of the current node, claimed on first use. */
        private String name() {
            if (nodeName == null) nodeName = unique(sanitize(label(node)));
            return nodeName;
        }

        // -------------------------------------------------------------- values

        private void define(String onnxName, Value v) {
            if (!onnxName.isEmpty()) values.put(onnxName, v);
        }

        private Value value(String onnxName, String user) {
            Value v = values.get(onnxName);
            if (v != null) return v;
            TensorProto t = initializers.get(onnxName);
            if (t != null) {
                v = decoder.tensor(t, "initializer '" + onnxName + "'");
                values.put(onnxName, v);
                return v;
            }
            throw new GraphException(user + " reads value '" + onnxName
                    + "', which is no graph input, initializer or node output (missing initializer?)");
        }

        private String user() {
            return "node '" + label(node) + "' (" + node.getOpType() + ")";
        }

        private GraphException unsupported(String what) {
            return new GraphException(user() + ": " + what);
        }

        private boolean has(int k) {
            return k < node.getInputCount() && !node.getInput(k).isEmpty();
        }

        private Value in(int k) {
            if (!has(k)) throw unsupported("input " + k + " is missing");
            return value(node.getInput(k), user());
        }

        private String real(int k) {
            return materialize(in(k), user());
        }

        private Const constant(int k, String role) {
            Value v = in(k);
            if (v instanceof Const c) return c;
            throw unsupported("input " + k + " (" + role + ", '" + node.getInput(k) + "') must be a constant (an initializer or a Constant)");
        }

        private Const floats(int k, String role) {
            Const c = constant(k, role);
            if (!c.isFloat()) throw unsupported("input " + k + " (" + role + ") must be FLOAT, got an integer tensor");
            return c;
        }

        private Shape shape(String irNode) {
            return b.shapeOf(irNode);
        }

        private void output(Value v) {
            if (node.getOutputCount() == 0) throw unsupported("the node has no outputs");
            define(node.getOutput(0), v);
            for (int k = 1; k < node.getOutputCount(); k++) {
                define(node.getOutput(k), new Unavailable("output " + k + " of " + user() + " is not supported (only inference outputs are)"));
            }
        }

        private String add(googlenet.graph.op.Op op, String... inputs) {
            String n = b.add(name(), op, inputs);
            output(new Real(n));
            return n;
        }

        private void weight(String irNode, String role, long[] dims, float[] data) {
            weights.put(irNode + "." + role, new Tensor(shapeOf(dims), data));
        }

        /** A constant passed on as a weight unchanged: a view of the model's bytes stays one. */
        private void weight(String irNode, String role, Const c) {
            weights.put(irNode + "." + role, c.tensor(shapeOf(c.dims())));
        }

        private static Shape shapeOf(long[] dims) {
            int[] d = new int[dims.length];
            for (int i = 0; i < d.length; i++) d[i] = (int) dims[i];
            return Shape.of(d);
        }

        /** The node a value stands for, creating it for values folded so far. */
        private String materialize(Value v, String user) {
            switch (v) {
                case Real r -> {
                    return r.node();
                }
                case Unavailable u -> throw new GraphException(user + ": " + u.reason());
                case Const _ -> throw new GraphException(user + " takes a constant where a computed tensor is expected (constant-only"
                        + " subgraphs are not supported)");
                case Padded p -> throw new GraphException(user + " reads the output of node '" + p.onnxNode()
                        + "' (Pad); a constant Pad is supported only in front of a Conv, MaxPool or AveragePool");
                case Affine a -> {
                    if (a.materialized != null) return a.materialized;
                    if (a.squeezed) {
                        throw new GraphException(user + " reads channel " + a.channels[0] + " of '" + a.src + "' taken out by Gather;"
                                + " only channels put back in order with Unsqueeze and Concat are supported");
                    }
                    int c = shape(a.src).dim(1);
                    boolean identity = a.channels.length == c;
                    for (int i = 0; identity && i < c; i++) identity = a.channels[i] == i;
                    if (!identity) {
                        throw new GraphException(user + " reads channels " + Arrays.toString(a.channels) + " of '" + a.src
                                + "'; channels taken apart must be put back complete and in order");
                    }
                    boolean trivial = true;
                    for (int i = 0; i < c; i++) trivial &= a.scale[i] == 1 && a.shift[i] == 0;
                    if (trivial) return a.materialized = a.src;
                    String n = b.add(unique(sanitize(a.name)), new BatchNorm(c, 0.0), a.src);
                    float[] scale = new float[c];
                    float[] shift = new float[c];
                    float[] one = new float[c];
                    for (int i = 0; i < c; i++) {
                        scale[i] = (float) a.scale[i];
                        shift[i] = (float) a.shift[i];
                        one[i] = 1f;
                    }
                    long[] dim = {c};
                    weight(n, "weight", dim, scale);
                    weight(n, "bias", dim, shift);
                    weight(n, "running_mean", dim, new float[c]);
                    weight(n, "running_var", dim, one);
                    return a.materialized = n;
                }
                case PendingLinear l -> {
                    if (l.materialized != null) return l.materialized;
                    String n = b.add(unique(sanitize(l.name)), new Linear(l.in, l.out, l.bias != null), l.src);
                    weights.put(n + ".weight", l.weight);
                    if (l.bias != null) weight(n, "bias", new long[] {l.out}, l.bias);
                    return l.materialized = n;
                }
            }
        }

        // -------------------------------------------------------------- attributes

        private AttributeProto attr(String name) {
            readAttributes.add(name);
            for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
            return null;
        }

        private void checkType(AttributeProto a, AttributeProto.AttributeType type) {
            if (a.getType() != AttributeProto.AttributeType.UNDEFINED && a.getType() != type) {
                throw unsupported("attribute '" + a.getName() + "' is " + a.getType() + ", expected " + type);
            }
        }

        private long i(String name, long def) {
            AttributeProto a = attr(name);
            if (a == null) return def;
            checkType(a, AttributeProto.AttributeType.INT);
            return a.getI();
        }

        private float f(String name, float def) {
            AttributeProto a = attr(name);
            if (a == null) return def;
            checkType(a, AttributeProto.AttributeType.FLOAT);
            return a.getF();
        }

        private long[] ints(String name, long[] def) {
            AttributeProto a = attr(name);
            if (a == null) return def;
            checkType(a, AttributeProto.AttributeType.INTS);
            return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
        }

        private String s(String name, String def) {
            AttributeProto a = attr(name);
            if (a == null) return def;
            checkType(a, AttributeProto.AttributeType.STRING);
            return a.getS().toStringUtf8();
        }

        private void ignore(String... names) {
            readAttributes.addAll(List.of(names));
        }

        private int toInt(long v, String what) {
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw unsupported(what + " " + v + " is out of range");
            return (int) v;
        }

        private int axis(long axis, int rank) {
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a >= rank) throw unsupported("axis " + axis + " is out of range for rank " + rank);
            return (int) a;
        }

        // -------------------------------------------------------------- ops

        private void convert() throws IOException {
            if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
                throw unsupported("op domain '" + node.getDomain() + "' is not supported (only the default ONNX domain is)");
            }
            switch (node.getOpType()) {
                case "Conv" -> conv();
                case "Relu" -> {
                    String n = add(new Relu(), real(0));
                    nonNegative.add(n);
                }
                case "MaxPool" -> pool(true);
                case "AveragePool" -> pool(false);
                case "GlobalAveragePool" -> {
                    String x = real(0);
                    requireRank(x, 4);
                    String n = add(new GlobalAvgPool(), x);
                    if (nonNegative.contains(x)) nonNegative.add(n);
                }
                case "Concat" -> concat();
                case "Gemm" -> gemm();
                case "MatMul" -> matMul();
                case "Add", "Sub", "Mul", "Div" -> arithmetic();
                case "Flatten" -> flatten();
                case "Reshape" -> reshape();
                case "Squeeze" -> squeeze();
                case "Unsqueeze" -> unsqueeze();
                case "Gather" -> gather();
                case "Shape" -> shapeOp();
                case "Cast" -> cast();
                case "LRN" -> {
                    long size = i("size", -1);
                    if (attr("size") == null) throw unsupported("attribute 'size' is required");
                    add(new Lrn(toInt(size, "size"), f("alpha", 1e-4f), f("beta", 0.75f), f("bias", 1f)), real(0));
                }
                case "Dropout" -> dropout();
                case "Identity" -> output(in(0));
                case "Softmax" -> softmax();
                case "BatchNormalization" -> batchNorm();
                case "Constant" -> constantOp();
                case "Pad" -> pad();
                default -> throw unsupported("op type '" + node.getOpType() + "' is not supported");
            }
        }

        private void requireRank(String x, int rank) {
            if (shape(x).rank() != rank) throw unsupported("expects a rank-" + rank + " input, got " + shape(x));
        }

        /**
         * The node's padding of an input of {@code height × width}: its {@code pads} (auto_pad NOTSET, and VALID, which
         * has none), or for SAME_UPPER / SAME_LOWER what makes the output {@code ceil(input / stride)}, split evenly with
         * the odd pixel at the end (UPPER, as TensorFlow's "SAME") or at the start (LOWER).
         */
        private Padding padding(int height, int width, int[] kernel, int[] stride, int[] dilation) {
            String autoPad = s("auto_pad", "NOTSET");
            switch (autoPad) {
                case "NOTSET", "VALID" -> {
                    return pads();
                }
                case "SAME_UPPER", "SAME_LOWER" -> {
                    if (ints("pads", null) != null) throw unsupported("auto_pad " + autoPad + " together with 'pads'");
                    int[] size = {height, width};
                    int[] begin = new int[2];
                    int[] end = new int[2];
                    for (int a = 0; a < 2; a++) {
                        int out = Math.ceilDiv(size[a], stride[a]);
                        int total = Math.max(0, (out - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - size[a]);
                        begin[a] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                        end[a] = total - begin[a];
                    }
                    return new Padding(begin[0], begin[1], end[0], end[1]);
                }
                default -> throw unsupported("auto_pad " + autoPad + " is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
            }
        }

        private int[] pair(String attr, long[] values, int def) {
            if (values == null) return new int[] {def, def};
            if (values.length != 2) throw unsupported("attribute '" + attr + "' " + Arrays.toString(values) + " must have 2 values (2-D only)");
            return new int[] {toInt(values[0], attr), toInt(values[1], attr)};
        }

        private Padding pads() {
            long[] p = ints("pads", null);
            if (p == null) return Padding.NONE;
            if (p.length != 4) throw unsupported("attribute 'pads' " + Arrays.toString(p) + " must have 4 values (2-D only)");
            for (long v : p) if (v < 0) throw unsupported("negative pads " + Arrays.toString(p) + " are not supported");
            // ONNX: [x1_begin, x2_begin, x1_end, x2_end] = top, left, bottom, right.
            return new Padding(toInt(p[0], "pads"), toInt(p[1], "pads"), toInt(p[2], "pads"), toInt(p[3], "pads"));
        }

        private static Padding plus(Padding a, Padding b) {
            return new Padding(a.top() + b.top(), a.left() + b.left(), a.bottom() + b.bottom(), a.right() + b.right());
        }

        private void conv() {
            Value xv = in(0);
            Padding extra = Padding.NONE;
            String x;
            if (xv instanceof Padded p) {
                if (p.value() != 0f) throw unsupported("the Pad in front pads with " + p.value() + "; only zero padding folds into a Conv");
                extra = p.padding();
                x = p.src();
            } else {
                x = materialize(xv, user());
            }
            requireRank(x, 4);
            Const w = floats(1, "weight");
            if (w.dims().length != 4) throw unsupported("weight of shape " + Arrays.toString(w.dims()) + " is not 4-D (only 2-D convolution is supported)");
            Const bias = has(2) ? floats(2, "bias") : null;
            int[] kernel = pair("kernel_shape", ints("kernel_shape", null), -1);
            int kh = (int) w.dims()[2];
            int kw = (int) w.dims()[3];
            if (kernel[0] != -1 && (kernel[0] != kh || kernel[1] != kw)) {
                throw unsupported("kernel_shape " + kernel[0] + "×" + kernel[1] + " disagrees with the weight's " + kh + "×" + kw);
            }
            int[] stride = pair("strides", ints("strides", null), 1);
            int[] dilation = pair("dilations", ints("dilations", null), 1);
            int groups = toInt(i("group", 1), "group");
            Shape xs = shape(x);
            Padding padding = plus(padding(xs.dim(2) + extra.top() + extra.bottom(), xs.dim(3) + extra.left() + extra.right(),
                    new int[] {kh, kw}, stride, dilation), extra);
            int out = (int) w.dims()[0];
            if (bias != null && (bias.dims().length != 1 || bias.dims()[0] != out)) {
                throw unsupported("bias of shape " + Arrays.toString(bias.dims()) + " should be [" + out + "]");
            }
            String n = add(new Conv2d(shape(x).dim(1), out, kh, kw, stride[0], stride[1], padding, dilation[0], dilation[1], groups,
                    bias != null), x);
            weight(n, "weight", w);
            if (bias != null) weight(n, "bias", bias);
        }

        private void pool(boolean max) {
            Value xv = in(0);
            long[] k = ints("kernel_shape", null);
            if (k == null) throw unsupported("attribute 'kernel_shape' is required");
            int[] kernel = pair("kernel_shape", k, 1);
            int[] stride = pair("strides", ints("strides", null), 1);
            int[] dilation = pair("dilations", ints("dilations", null), 1);
            if (dilation[0] != 1 || dilation[1] != 1) throw unsupported("attribute 'dilations' " + Arrays.toString(dilation) + " is not supported (pools take undilated windows only)");
            boolean ceil = i("ceil_mode", 0) != 0;
            // The pool's input: the tensor a Pad in front pads (its size with those pads), or the input itself.
            String x = xv instanceof Padded p ? p.src() : materialize(xv, user());
            Padding front = xv instanceof Padded p ? p.padding() : Padding.NONE;
            requireRank(x, 4);
            Shape xs = shape(x);
            Padding padding = padding(xs.dim(2) + front.top() + front.bottom(), xs.dim(3) + front.left() + front.right(),
                    kernel, stride, dilation);
            if (max) {
                if (i("storage_order", 0) != 0) throw unsupported("storage_order 1 is not supported");
                // An Indices output stays Unavailable: an error only if something reads it.
            }
            boolean countIncludePad = !max && i("count_include_pad", 0) != 0;
            if (xv instanceof Padded p) {
                if (max) {
                    boolean foldable = p.value() == Float.NEGATIVE_INFINITY || (p.value() == 0f && nonNegative.contains(x))
                            || (p.value() <= 0f && nonNegative.contains(x));
                    if (!foldable) {
                        throw unsupported("the Pad in front pads with " + p.value() + ", which folds into a MaxPool only when it is -inf"
                                + " or the padded values are ≥ 0 (after a Relu)");
                    }
                } else {
                    if (p.value() != 0f) throw unsupported("the Pad in front pads with " + p.value() + "; only zeros fold into an AveragePool");
                    if (!padding.equals(Padding.NONE)) {
                        throw unsupported("a zero Pad in front of an AveragePool with its own pads " + padding + " is not supported");
                    }
                    countIncludePad = true; // the explicit zeros count in the divisor
                }
                padding = plus(padding, p.padding());
            }
            if (!max && countIncludePad && ceil && xv instanceof Real) {
                Shape s = shape(x);
                int floorH = Math.floorDiv(s.dim(2) + padding.top() + padding.bottom() - kernel[0], stride[0]) + 1;
                int floorW = Math.floorDiv(s.dim(3) + padding.left() + padding.right() - kernel[1], stride[1]) + 1;
                Shape ceilShape = new AvgPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, true, true).inferShape(name(), List.of(s));
                if (ceilShape.dim(2) != floorH || ceilShape.dim(3) != floorW) {
                    throw unsupported("count_include_pad=1 with ceil_mode=1 where windows reach past the padded input is not supported"
                            + " (runtimes disagree on the divisor there)");
                }
            }
            String n = add(max ? new MaxPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, ceil)
                    : new AvgPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, ceil, countIncludePad), x);
            if (nonNegative.contains(x)) nonNegative.add(n);
        }

        private void concat() {
            AttributeProto a = attr("axis");
            if (a == null && opset >= 4) throw unsupported("attribute 'axis' is required");
            long axisAttr = i("axis", 1); // opsets 1-3: 1 by default
            List<Value> ins = new ArrayList<>();
            for (int k = 0; k < node.getInputCount(); k++) if (has(k)) ins.add(in(k));
            if (ins.isEmpty()) throw unsupported("no inputs");
            if (ins.stream().allMatch(v -> v instanceof Const c && !c.isFloat() && c.dims().length == 1)) {
                List<Long> all = new ArrayList<>();
                for (Value v : ins) for (long x : ((Const) v).i()) all.add(x);
                output(new Const(new long[] {all.size()}, null, all.stream().mapToLong(Long::longValue).toArray()));
                return;
            }
            if (ins.stream().allMatch(v -> v instanceof Affine af && !af.squeezed && af.materialized == null)) {
                Affine first = (Affine) ins.getFirst();
                int rank = shape(first.src).rank();
                if (axis(axisAttr, rank) == 1 && ins.stream().allMatch(v -> ((Affine) v).src.equals(first.src))) {
                    int total = ins.stream().mapToInt(v -> ((Affine) v).channels.length).sum();
                    int[] ch = new int[total];
                    double[] sc = new double[total];
                    double[] sh = new double[total];
                    int o = 0;
                    for (Value v : ins) {
                        Affine af = (Affine) v;
                        System.arraycopy(af.channels, 0, ch, o, af.channels.length);
                        System.arraycopy(af.scale, 0, sc, o, af.channels.length);
                        System.arraycopy(af.shift, 0, sh, o, af.channels.length);
                        o += af.channels.length;
                    }
                    output(new Affine(first.src, ch, sc, sh, false, label(node)));
                    return;
                }
            }
            String[] xs = new String[ins.size()];
            boolean nonNeg = true;
            for (int k = 0; k < xs.length; k++) {
                xs[k] = materialize(ins.get(k), user());
                nonNeg &= nonNegative.contains(xs[k]);
            }
            String n = add(new Concat(axis(axisAttr, shape(xs[0]).rank())), xs);
            if (nonNeg) nonNegative.add(n);
        }

        private void gemm() {
            String a = real(0);
            requireRank(a, 2);
            Const bm = floats(1, "B");
            if (bm.dims().length != 2) throw unsupported("B of shape " + Arrays.toString(bm.dims()) + " is not 2-D");
            float alpha = f("alpha", 1f);
            float beta = f("beta", 1f);
            if (i("transA", 0) != 0) throw unsupported("transA=1 is not supported (the activations must be N×K)");
            boolean transB = i("transB", 0) != 0;
            ignore("broadcast"); // opsets < 7 only; C broadcasts unidirectionally from 7 on
            int out = (int) (transB ? bm.dims()[0] : bm.dims()[1]);
            int k = (int) (transB ? bm.dims()[1] : bm.dims()[0]);
            if (shape(a).dim(1) != k) throw unsupported("A " + shape(a) + " and B " + Arrays.toString(bm.dims()) + " do not fit"
                    + (transB ? " (transB=1)" : ""));
            Tensor w;
            if (transB && alpha == 1f) {
                w = bm.tensor(Shape.of(out, k)); // B is already [out, in]: passed on as read
            } else {
                float[] t = transB ? bm.f().clone() : transpose(bm.f(), k, out);
                if (alpha != 1f) for (int j = 0; j < t.length; j++) t[j] *= alpha;
                w = new Tensor(Shape.of(out, k), t);
            }
            float[] bias = null;
            if (has(2) && beta != 0f) {
                bias = vector(floats(2, "C"), out, shape(a).dim(0), "C");
                if (beta != 1f) for (int j = 0; j < bias.length; j++) bias[j] *= beta;
            }
            output(new PendingLinear(a, k, out, w, bias, label(node)));
        }

        /** A constant that broadcasts along the last axis of N×out: scalar, [out], [1, out] (or [N, out] with N = 1). */
        private float[] vector(Const c, int out, int batch, String role) {
            long[] d = c.dims();
            long count = c.count();
            boolean ok = count == 1 || (count == out && (d.length == 1 || (d.length == 2 && d[0] == 1)));
            if (!ok) throw unsupported(role + " of shape " + Arrays.toString(d) + " does not broadcast as one value per output feature (" + out + ")");
            float[] v = new float[out];
            for (int j = 0; j < out; j++) v[j] = c.f()[count == 1 ? 0 : j];
            return v;
        }

        private static float[] transpose(float[] m, int rows, int cols) {
            float[] t = new float[m.length];
            for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
            return t;
        }

        private void matMul() {
            if (in(0) instanceof Const) throw unsupported("a constant first operand is not supported (expected activations × weights)");
            String a = real(0);
            if (shape(a).rank() != 2) throw unsupported("activations of shape " + shape(a) + " are not N×K (only 2-D MatMul is supported)");
            Const bm = floats(1, "B");
            if (bm.dims().length != 2) throw unsupported("weights of shape " + Arrays.toString(bm.dims()) + " are not 2-D");
            int k = (int) bm.dims()[0];
            int out = (int) bm.dims()[1];
            if (shape(a).dim(1) != k) throw unsupported("A " + shape(a) + " and B " + Arrays.toString(bm.dims()) + " do not fit");
            output(new PendingLinear(a, k, out, new Tensor(Shape.of(out, k), transpose(bm.f(), k, out)), null, label(node)));
        }

        private void arithmetic() {
            String op = node.getOpType();
            Value x = in(0);
            Value y = opset < 7 ? legacyBroadcast(x, in(1)) : in(1);
            if (x instanceof Const cx && y instanceof Const cy) {
                output(foldConstants(op, cx, cy));
                return;
            }
            if (!(x instanceof Const) && !(y instanceof Const)) {
                throw unsupported("both operands are computed tensors; only " + op + " with a constant is supported");
            }
            boolean constFirst = x instanceof Const;
            Const c = (Const) (constFirst ? x : y);
            Value v = constFirst ? y : x;
            if (!c.isFloat()) throw unsupported("the constant operand is an integer tensor");
            if (op.equals("Div") && constFirst) throw unsupported("division of a constant by a computed tensor is not supported");
            if (v instanceof PendingLinear l && l.materialized == null && (op.equals("Add") || (op.equals("Sub") && !constFirst))) {
                float[] add = vector(c, l.out, 1, "the constant");
                float[] bias = l.bias == null ? new float[l.out] : l.bias.clone();
                for (int j = 0; j < bias.length; j++) bias[j] += op.equals("Add") ? add[j] : -add[j];
                PendingLinear joined = new PendingLinear(l.src, l.in, l.out, l.weight, bias, label(node));
                output(joined);
                return;
            }
            Affine a;
            if (v instanceof Affine af && af.materialized == null) {
                a = af;
            } else {
                String src = materialize(v, user());
                Shape s = shape(src);
                if (s.rank() < 2) throw unsupported("input of shape " + s + " has no channel axis");
                int ch = s.dim(1);
                int[] idx = new int[ch];
                double[] one = new double[ch];
                for (int j = 0; j < ch; j++) {
                    idx[j] = j;
                    one[j] = 1;
                }
                a = new Affine(src, idx, one, new double[ch], false, label(node));
            }
            double[] k = perChannel(a, c);
            int n = a.channels.length;
            double[] scale = a.scale.clone();
            double[] shift = a.shift.clone();
            for (int j = 0; j < n; j++) {
                switch (op) {
                    case "Add" -> shift[j] += k[j];
                    case "Sub" -> {
                        if (constFirst) {
                            scale[j] = -scale[j];
                            shift[j] = k[j] - shift[j];
                        } else {
                            shift[j] -= k[j];
                        }
                    }
                    case "Mul" -> {
                        scale[j] *= k[j];
                        shift[j] *= k[j];
                    }
                    default -> {
                        scale[j] /= k[j];
                        shift[j] /= k[j];
                    }
                }
            }
            output(new Affine(a.src, a.channels, scale, shift, a.squeezed, label(node)));
        }

        /**
         * B of an arithmetic op in opsets 1-6, where only B broadcasts, when {@code broadcast=1}, and {@code axis} says
         * where its dimensions start in A's: a constant B is given trailing ones, which is numpy's rule from opset 7 on.
         */
        private Value legacyBroadcast(Value a, Value b) {
            boolean broadcast = i("broadcast", 0) != 0;
            AttributeProto axisAttr = attr("axis");
            if (!broadcast || axisAttr == null) return b;
            if (!(b instanceof Const c)) throw unsupported("broadcast=1 of a computed B onto A is not supported");
            int rank = a instanceof Const ca ? ca.dims().length : rankOf(a);
            int start = axis(i("axis", 0), rank);
            if (start + c.dims().length > rank) {
                throw unsupported("B of shape " + Arrays.toString(c.dims()) + " does not fit A of rank " + rank + " from axis " + start);
            }
            long[] dims = new long[rank - start];
            Arrays.fill(dims, 1);
            System.arraycopy(c.dims(), 0, dims, 0, c.dims().length);
            return c.reshaped(dims);
        }

        private int rankOf(Value v) {
            return switch (v) {
                case Affine af when af.materialized == null -> shape(af.src).rank() - (af.squeezed ? 1 : 0);
                case PendingLinear l when l.materialized == null -> 2;
                default -> shape(materialize(v, user())).rank();
            };
        }

        /** The constant as one value per channel of the affine's (logical) tensor, or a clear error. */
        private double[] perChannel(Affine a, Const c) {
            Shape src = shape(a.src);
            int rank = a.squeezed ? src.rank() - 1 : src.rank();
            int n = a.channels.length;
            long[] d = c.dims();
            if (d.length > rank) throw unsupported("the constant of shape " + Arrays.toString(d) + " has a higher rank than the input");
            int varying = -1;
            for (int i = 0; i < d.length; i++) {
                int axis = rank - d.length + i;
                if (d[i] == 1) continue;
                if (!a.squeezed && axis == 1 && d[i] == n) {
                    varying = i;
                } else {
                    throw unsupported("the constant of shape " + Arrays.toString(d) + " is not a per-channel constant of the input"
                            + " (only scalars and per-channel vectors such as [C, 1, 1] are supported)");
                }
            }
            double[] k = new double[n];
            for (int j = 0; j < n; j++) k[j] = c.get(varying < 0 ? 0 : j);
            return k;
        }

        private Const foldConstants(String op, Const x, Const y) {
            if (!x.isFloat() || !y.isFloat()) {
                if (!x.isFloat() && !y.isFloat()) {
                    long[] out = foldLongs(op, x, y);
                    return new Const(x.count() >= y.count() ? x.dims() : y.dims(), null, out);
                }
                throw unsupported("mixed integer and float constants");
            }
            if (x.count() != y.count() && x.count() != 1 && y.count() != 1) {
                throw unsupported("constants of shapes " + Arrays.toString(x.dims()) + " and " + Arrays.toString(y.dims())
                        + " (only equal shapes or a scalar are folded)");
            }
            boolean xBig = x.count() >= y.count();
            int n = (int) Math.max(x.count(), y.count());
            float[] out = new float[n];
            for (int j = 0; j < n; j++) {
                float a = x.f()[x.count() == 1 ? 0 : j];
                float bb = y.f()[y.count() == 1 ? 0 : j];
                out[j] = switch (op) {
                    case "Add" -> a + bb;
                    case "Sub" -> a - bb;
                    case "Mul" -> a * bb;
                    default -> a / bb;
                };
            }
            return new Const(xBig ? x.dims() : y.dims(), out, null);
        }

        private long[] foldLongs(String op, Const x, Const y) {
            if (x.count() != y.count() && x.count() != 1 && y.count() != 1) throw unsupported("integer constants of different shapes");
            int n = (int) Math.max(x.count(), y.count());
            long[] out = new long[n];
            for (int j = 0; j < n; j++) {
                long a = x.i()[x.count() == 1 ? 0 : j];
                long bb = y.i()[y.count() == 1 ? 0 : j];
                if (op.equals("Div") && bb == 0) throw unsupported("integer division by zero");
                out[j] = switch (op) {
                    case "Add" -> a + bb;
                    case "Sub" -> a - bb;
                    case "Mul" -> a * bb;
                    default -> a / bb;
                };
            }
            return out;
        }

        private void flatten() {
            String x = real(0);
            int rank = shape(x).rank();
            long axis = i("axis", 1);
            long a = axis < 0 ? axis + rank : axis;
            if (a < 0 || a > rank) throw unsupported("axis " + axis + " is out of range for rank " + rank);
            String n = add(new Flatten((int) a), x);
            if (nonNegative.contains(x)) nonNegative.add(n);
        }

        private void reshape() {
            Value v = in(0);
            Const target = opset < 5 ? shapeAttribute() : constant(1, "shape");
            if (target.isFloat() || target.dims().length != 1) throw unsupported("the shape must be a 1-D int64 constant");
            boolean allowZero = i("allowzero", 0) != 0;
            if (v instanceof Const c) {
                long[] dims = resolveShape(c.dims(), target.i(), allowZero);
                output(c.reshaped(dims));
                return;
            }
            String x = materialize(v, user());
            int[] in = shape(x).dims();
            long[] inL = Arrays.stream(in).asLongStream().toArray();
            long[] dims = resolveShape(inL, target.i(), allowZero);
            if (Arrays.equals(dims, inL)) {
                output(new Real(x));
                return;
            }
            long features = shape(x).elements() / in[0];
            if (dims.length == 2 && dims[0] == in[0] && dims[1] == features) {
                String n = add(new Flatten(), x);
                if (nonNegative.contains(x)) nonNegative.add(n);
                return;
            }
            throw unsupported("reshaping " + shape(x) + " to " + Arrays.toString(target.i())
                    + " is not supported (only flattening to [N, -1])");
        }

        /** Reshape's target shape in opsets 1-4: the attribute 'shape'. */
        private Const shapeAttribute() {
            long[] shape = ints("shape", null);
            if (shape == null) throw unsupported("attribute 'shape' is required (opset " + opset + ")");
            return new Const(new long[] {shape.length}, null, shape);
        }

        /** ONNX Reshape's rules: 0 copies the input dimension (unless allowzero), one -1 is inferred. */
        private long[] resolveShape(long[] in, long[] target, boolean allowZero) {
            long total = 1;
            for (long d : in) total *= d;
            long[] out = target.clone();
            int infer = -1;
            long known = 1;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == 0 && !allowZero) {
                    if (i >= in.length) throw unsupported("shape " + Arrays.toString(target) + " copies a dimension the input lacks");
                    out[i] = in[i];
                }
                if (out[i] == -1) {
                    if (infer >= 0) throw unsupported("shape " + Arrays.toString(target) + " has two -1");
                    infer = i;
                } else if (out[i] <= 0) {
                    throw unsupported("shape " + Arrays.toString(target) + " has dimension " + out[i]);
                } else {
                    known *= out[i];
                }
            }
            if (infer >= 0) {
                if (known == 0 || total % known != 0) throw unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
                out[infer] = total / known;
            } else if (known != total) {
                throw unsupported("cannot reshape " + Arrays.toString(in) + " (" + total + " values) to " + Arrays.toString(target));
            }
            return out;
        }

        private long[] axesInput(String what) {
            if (opset >= 13) {
                if (!has(1)) return null;
                Const c = constant(1, "axes");
                if (c.isFloat()) throw unsupported("axes must be integers");
                return c.i();
            }
            return ints("axes", null);
        }

        private void squeeze() {
            Value v = in(0);
            long[] axes = axesInput("Squeeze");
            if (v instanceof Const c) {
                List<Long> dims = new ArrayList<>();
                for (int i = 0; i < c.dims().length; i++) {
                    final int ax = i;
                    boolean drop = axes == null ? c.dims()[i] == 1
                            : Arrays.stream(axes).anyMatch(a -> (a < 0 ? a + c.dims().length : a) == ax);
                    if (!drop) dims.add(c.dims()[i]);
                }
                output(c.reshaped(dims.stream().mapToLong(Long::longValue).toArray()));
                return;
            }
            String x = materialize(v, user());
            Shape s = shape(x);
            long[] want = axes == null ? new long[] {2, 3} : Arrays.stream(axes).map(a -> a < 0 ? a + s.rank() : a).sorted().toArray();
            if (s.rank() == 4 && s.dim(2) == 1 && s.dim(3) == 1 && Arrays.equals(want, new long[] {2, 3})) {
                String n = add(new Flatten(), x);
                if (nonNegative.contains(x)) nonNegative.add(n);
                return;
            }
            throw unsupported("squeezing " + s + " along " + Arrays.toString(axes) + " is not supported (only N×C×1×1 → N×C)");
        }

        private void unsqueeze() {
            Value v = in(0);
            long[] axes = axesInput("Unsqueeze");
            if (axes == null) throw unsupported("axes are required");
            if (v instanceof Const c) {
                int rank = c.dims().length + axes.length;
                long[] norm = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
                long[] dims = new long[rank];
                int src = 0;
                for (int i = 0; i < rank; i++) {
                    final int ax = i;
                    dims[i] = Arrays.stream(norm).anyMatch(a -> a == ax) ? 1 : c.dims()[src++];
                }
                output(c.reshaped(dims));
                return;
            }
            if (v instanceof Affine a && a.squeezed && a.materialized == null && axes.length == 1
                    && (axes[0] == 1 || axes[0] == 1 - shape(a.src).rank())) {
                output(new Affine(a.src, a.channels, a.scale, a.shift, false, label(node)));
                return;
            }
            throw unsupported("Unsqueeze of a computed tensor is supported only to restore a channel taken by Gather (axes [1])");
        }

        private void gather() {
            Value v = in(0);
            Const idx = constant(1, "indices");
            if (idx.isFloat()) throw unsupported("indices must be integers");
            long axisAttr = i("axis", 0);
            if (v instanceof Const c) {
                if (c.dims().length != 1 || idx.dims().length > 1) throw unsupported("only gathering from a 1-D constant is folded");
                long[] out = new long[(int) idx.count()];
                float[] outF = new float[(int) idx.count()];
                for (int j = 0; j < out.length; j++) {
                    long k = idx.i()[j] < 0 ? idx.i()[j] + c.dims()[0] : idx.i()[j];
                    if (k < 0 || k >= c.dims()[0]) throw unsupported("index " + idx.i()[j] + " is out of range");
                    if (c.isFloat()) outF[j] = c.f()[(int) k];
                    else out[j] = c.i()[(int) k];
                }
                output(new Const(idx.dims().clone(), c.isFloat() ? outF : null, c.isFloat() ? null : out));
                return;
            }
            Affine a;
            if (v instanceof Affine af && !af.squeezed && af.materialized == null) {
                a = af;
            } else {
                String x = materialize(v, user());
                Shape s = shape(x);
                if (s.rank() < 2 || axis(axisAttr, s.rank()) != 1) {
                    throw unsupported("Gather of a computed tensor is supported only along the channel axis 1");
                }
                int ch = s.dim(1);
                int[] all = new int[ch];
                double[] one = new double[ch];
                for (int j = 0; j < ch; j++) {
                    all[j] = j;
                    one[j] = 1;
                }
                a = new Affine(x, all, one, new double[ch], false, label(node));
            }
            if (axis(axisAttr, shape(a.src).rank()) != 1) throw unsupported("Gather of a computed tensor is supported only along axis 1");
            if (idx.dims().length > 1) throw unsupported("indices of rank " + idx.dims().length + " are not supported");
            int n = (int) idx.count();
            int[] ch = new int[n];
            double[] sc = new double[n];
            double[] sh = new double[n];
            for (int j = 0; j < n; j++) {
                long k = idx.i()[j] < 0 ? idx.i()[j] + a.channels.length : idx.i()[j];
                if (k < 0 || k >= a.channels.length) throw unsupported("channel index " + idx.i()[j] + " is out of range");
                ch[j] = a.channels[(int) k];
                sc[j] = a.scale[(int) k];
                sh[j] = a.shift[(int) k];
            }
            output(new Affine(a.src, ch, sc, sh, idx.dims().length == 0, label(node)));
        }

        private void shapeOp() {
            Value v = in(0);
            long[] dims = v instanceof Const c ? c.dims() : Arrays.stream(shape(materialize(v, user())).dims()).asLongStream().toArray();
            int rank = dims.length;
            long start = i("start", 0);
            long end = i("end", rank);
            int s = (int) Math.clamp(start < 0 ? start + rank : start, 0, rank);
            int e = (int) Math.clamp(end < 0 ? end + rank : end, 0, rank);
            long[] out = Arrays.copyOfRange(dims, s, Math.max(s, e));
            output(new Const(new long[] {out.length}, null, out));
        }

        private void cast() {
            Value v = in(0);
            long to = opset < 6 ? castTarget() : i("to", 0);
            ignore("saturate");
            if (v instanceof Const c) {
                if (to == TensorProto.DataType.FLOAT_VALUE) {
                    float[] f = new float[(int) c.count()];
                    for (int j = 0; j < f.length; j++) f[j] = (float) c.get(j);
                    output(new Const(c.dims(), f, null));
                } else if (to == TensorProto.DataType.INT64_VALUE || to == TensorProto.DataType.INT32_VALUE) {
                    long[] l = new long[(int) c.count()];
                    for (int j = 0; j < l.length; j++) l[j] = (long) c.get(j);
                    output(new Const(c.dims(), null, l));
                } else {
                    throw unsupported("cast to " + TensorDecoder.dataTypeName((int) to) + " is not supported");
                }
                return;
            }
            if (to != TensorProto.DataType.FLOAT_VALUE) throw unsupported("cast of a computed tensor to " + TensorDecoder.dataTypeName((int) to) + " is not supported");
            output(v);
        }

        /** Cast's 'to' in opsets 1-5: the type's name, a string such as "FLOAT". */
        private long castTarget() {
            String name = s("to", "");
            TensorProto.DataType type;
            try {
                type = TensorProto.DataType.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw unsupported("attribute 'to' names no ONNX data type: '" + name + "'");
            }
            return type.getNumber();
        }

        private void dropout() {
            if (opset < 7) {
                requireTestMode();
                ignore("ratio");
            } else if (opset < 12) {
                ignore("ratio", "is_test", "seed");
            } else {
                ignore("seed");
                if (has(2)) {
                    Const t = constant(2, "training_mode");
                    if (t.count() > 0 && t.get(0) != 0) throw unsupported("training_mode=true is not supported (inference only)");
                }
                if (has(1)) constant(1, "ratio");
            }
            output(in(0));
        }

        /** Opsets 1-6 run Dropout and BatchNormalization in training mode unless is_test is set. */
        private void requireTestMode() {
            if (i("is_test", 0) == 0) {
                throw unsupported("is_test=0 (training mode, the default before opset 7) is not supported; inference needs is_test=1");
            }
        }

        private void softmax() {
            String x = real(0);
            int rank = shape(x).rank();
            long axis = i("axis", opset < 13 ? 1 : -1);
            if (rank != 2 || axis(axis, rank) != 1) {
                throw unsupported("softmax of a " + shape(x) + " input along axis " + axis + " is not supported (only the last axis of N×K)");
            }
            add(new Softmax(), x);
        }

        private void batchNorm() {
            String x = real(0);
            Const scale = floats(1, "scale");
            Const bias = floats(2, "B");
            Const mean = floats(3, "input_mean");
            Const var = floats(4, "input_var");
            float eps = f("epsilon", 1e-5f);
            ignore("momentum");
            if (opset < 7) requireTestMode();
            else ignore("is_test");
            if (i("spatial", 1) != 1) throw unsupported("spatial=0 is not supported");
            if (i("training_mode", 0) != 0) throw unsupported("training_mode=1 is not supported (inference only)");
            Shape s = shape(x);
            if (s.rank() < 2) throw unsupported("input " + s + " has no channel axis");
            int c = s.dim(1);
            for (Const t : List.of(scale, bias, mean, var)) {
                if (t.count() != c || t.dims().length != 1) throw unsupported("parameter of shape " + Arrays.toString(t.dims()) + " should be [" + c + "]");
            }
            String n = add(new BatchNorm(c, eps), x);
            long[] d = {c};
            weight(n, "weight", d, scale.f());
            weight(n, "bias", d, bias.f());
            weight(n, "running_mean", d, mean.f());
            weight(n, "running_var", d, var.f());
        }

        private void constantOp() throws IOException {
            AttributeProto chosen = null;
            for (AttributeProto a : node.getAttributeList()) {
                if (chosen != null) throw unsupported("more than one value attribute");
                chosen = a;
            }
            if (chosen == null) throw unsupported("no value attribute");
            readAttributes.add(chosen.getName());
            Const c = switch (chosen.getName()) {
                case "value" -> decoder.tensor(chosen.getT(), "Constant '" + label(node) + "'");
                case "value_float" -> new Const(new long[0], new float[] {chosen.getF()}, null);
                case "value_floats" -> {
                    float[] f = new float[chosen.getFloatsCount()];
                    for (int j = 0; j < f.length; j++) f[j] = chosen.getFloats(j);
                    yield new Const(new long[] {f.length}, f, null);
                }
                case "value_int" -> new Const(new long[0], null, new long[] {chosen.getI()});
                case "value_ints" -> new Const(new long[] {chosen.getIntsCount()}, null,
                        chosen.getIntsList().stream().mapToLong(Long::longValue).toArray());
                default -> throw unsupported("attribute '" + chosen.getName() + "' is not supported");
            };
            output(c);
        }

        private void pad() {
            String x = real(0);
            String mode = s("mode", "constant");
            if (!mode.equals("constant")) throw unsupported("mode '" + mode + "' is not supported (only constant)");
            long[] pads;
            float value;
            int rank = shape(x).rank();
            if (opset < 11) {
                String attribute = opset < 2 ? "paddings" : "pads";
                pads = ints(attribute, null);
                if (pads == null) throw unsupported("attribute '" + attribute + "' is required");
                value = f("value", 0f);
            } else {
                Const p = constant(1, "pads");
                if (p.isFloat()) throw unsupported("pads must be integers");
                pads = p.i();
                value = has(2) ? (float) floats(2, "constant_value").get(0) : 0f;
                if (has(3)) {
                    Const axesC = constant(3, "axes");
                    long[] full = new long[2 * rank];
                    long[] axes = axesC.i();
                    if (axes == null || pads.length != 2 * axes.length) throw unsupported("pads and axes do not fit");
                    for (int j = 0; j < axes.length; j++) {
                        int ax = axis(axes[j], rank);
                        full[ax] = pads[j];
                        full[ax + rank] = pads[j + axes.length];
                    }
                    pads = full;
                }
            }
            if (rank != 4 || pads.length != 8) throw unsupported("only padding of N×C×H×W tensors is supported");
            if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) throw unsupported("padding of the batch or channel axis is not supported");
            for (long p : pads) if (p < 0) throw unsupported("negative pads (cropping) are not supported");
            Padding padding = new Padding(toInt(pads[2], "pads"), toInt(pads[3], "pads"), toInt(pads[6], "pads"), toInt(pads[7], "pads"));
            output(padding.equals(Padding.NONE) ? new Real(x) : new Padded(x, padding, value, label(node)));
        }
    }
}
