package googlenet.graph.onnx;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.GraphException;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.Weights;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import googlenet.graph.onnx.Value.Padded;
import googlenet.graph.onnx.Value.Real;
import googlenet.graph.onnx.Value.Unavailable;
import googlenet.graph.onnx.proto.OnnxProto.GraphProto;
import googlenet.graph.onnx.proto.OnnxProto.ModelProto;
import googlenet.graph.onnx.proto.OnnxProto.NodeProto;
import googlenet.graph.onnx.proto.OnnxProto.OperatorSetIdProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorShapeProto;
import googlenet.graph.onnx.proto.OnnxProto.TypeProto;
import googlenet.graph.onnx.proto.OnnxProto.ValueInfoProto;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one ONNX graph into the IR: the initializers and inputs, then the nodes in topological order, each converted by
 * its op family's converter (ConvPoolOps, ShapeOps, LinearOps, ArithmeticOps, LayerOps) with this reader as the
 * context: the values defined so far (graph nodes, constants, and what is folded into a later node), naming, the
 * current node and its attributes ({@link NodeAttributes}), and the graph builder. An ONNX value becomes a graph node
 * only when something that cannot fold it reads it ({@link #materialize}).
 */
final class OnnxReader {
    private final String source;
    final Path folder;
    final ModelProto model;
    final GraphProto g;
    final int opset;
    final GraphBuilder b;
    final Map<String, Value> values = new HashMap<>();
    final Map<String, TensorProto> initializers = new HashMap<>();
    final Map<String, Tensor> weights = new LinkedHashMap<>();
    final Set<String> usedNames = new HashSet<>();
    /** Nodes whose outputs are ≥ 0 (ReLU and what only moves such values), so that a zero Pad may join a max pool. */
    final Set<String> nonNegative = new HashSet<>();

    final TensorDecoder decoder;
    final ConvPoolOps convPoolOps = new ConvPoolOps(this);
    final ShapeOps shapeOps = new ShapeOps(this);
    final LinearOps linearOps = new LinearOps(this);
    final ArithmeticOps arithmeticOps = new ArithmeticOps(this);
    final LayerOps layerOps = new LayerOps(this);

    NodeProto node;
    String nodeName;
    /** The current node's attributes, and which of them its converter read. */
    NodeAttributes attrs;

    OnnxReader(String source, Path folder, ModelProto model) {
        this.source = source;
        this.folder = folder;
        this.model = model;
        this.g = model.getGraph();
        this.decoder = new TensorDecoder(source, folder);
        this.opset = defaultOpset();
        this.b = new GraphBuilder(g.getName().isEmpty() ? stem(source) : g.getName());
    }

    static String stem(String source) {
        String s = source.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        return s.endsWith(".onnx") ? s.substring(0, s.length() - 5) : s;
    }

    int defaultOpset() {
        Integer found = null;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) found = (int) Math.min(Integer.MAX_VALUE, o.getVersion());
        }
        if (found == null) {
            if (model.getIrVersion() < 3) return OnnxImporter.MIN_OPSET;
            throw new GraphException("the model imports no default-domain opset (opset_import)");
        }
        if (found < OnnxImporter.MIN_OPSET || found > OnnxImporter.MAX_OPSET) {
            throw new GraphException("opset " + found + " is not supported; supported are " + OnnxImporter.MIN_OPSET + " … " + OnnxImporter.MAX_OPSET);
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
            attrs = new NodeAttributes(n, this::unsupported);
            if (opset < 7) attrs.ignore("consumed_inputs"); // opsets 1-6: a hint for in-place memory reuse, no semantics
            convert();
            attrs.checkAllRead();
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

    void addInput(ValueInfoProto in) {
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
    List<NodeProto> sorted() {
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

    static String label(NodeProto n) {
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

    String unique(String wanted) {
        String name = wanted;
        for (int i = 2; !usedNames.add(name); i++) name = wanted + "_" + i;
        return name;
    }

    /** The IR name of the current node, claimed on first use. */
    String name() {
        if (nodeName == null) nodeName = unique(sanitize(label(node)));
        return nodeName;
    }

    // -------------------------------------------------------------- values

    void define(String onnxName, Value v) {
        if (!onnxName.isEmpty()) values.put(onnxName, v);
    }

    Value value(String onnxName, String user) {
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

    String user() {
        return "node '" + label(node) + "' (" + node.getOpType() + ")";
    }

    GraphException unsupported(String what) {
        return new GraphException(user() + ": " + what);
    }

    boolean has(int k) {
        return k < node.getInputCount() && !node.getInput(k).isEmpty();
    }

    Value in(int k) {
        if (!has(k)) throw unsupported("input " + k + " is missing");
        return value(node.getInput(k), user());
    }

    String real(int k) {
        return materialize(in(k), user());
    }

    Const constant(int k, String role) {
        Value v = in(k);
        if (v instanceof Const c) return c;
        throw unsupported("input " + k + " (" + role + ", '" + node.getInput(k) + "') must be a constant (an initializer or a Constant)");
    }

    Const floats(int k, String role) {
        Const c = constant(k, role);
        if (!c.isFloat()) throw unsupported("input " + k + " (" + role + ") must be FLOAT, got an integer tensor");
        return c;
    }

    Shape shape(String irNode) {
        return b.shapeOf(irNode);
    }

    void output(Value v) {
        if (node.getOutputCount() == 0) throw unsupported("the node has no outputs");
        define(node.getOutput(0), v);
        for (int k = 1; k < node.getOutputCount(); k++) {
            define(node.getOutput(k), new Unavailable("output " + k + " of " + user() + " is not supported (only inference outputs are)"));
        }
    }

    String add(googlenet.graph.op.Op op, String... inputs) {
        String n = b.add(name(), op, inputs);
        output(new Real(n));
        return n;
    }

    void weight(String irNode, String role, long[] dims, float[] data) {
        weights.put(irNode + "." + role, new Tensor(shapeOf(dims), data));
    }

    /** A constant passed on as a weight unchanged: a view of the model's bytes stays one. */
    void weight(String irNode, String role, Const c) {
        weights.put(irNode + "." + role, c.tensor(shapeOf(c.dims())));
    }

    static Shape shapeOf(long[] dims) {
        int[] d = new int[dims.length];
        for (int i = 0; i < d.length; i++) d[i] = (int) dims[i];
        return Shape.of(d);
    }

    /** The node a value stands for, creating it for values folded so far. */
    String materialize(Value v, String user) {
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

    int toInt(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) throw unsupported(what + " " + v + " is out of range");
        return (int) v;
    }

    int axis(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw unsupported("axis " + axis + " is out of range for rank " + rank);
        return (int) a;
    }

    // -------------------------------------------------------------- ops

    void convert() throws IOException {
        if (!node.getDomain().isEmpty() && !node.getDomain().equals("ai.onnx")) {
            throw unsupported("op domain '" + node.getDomain() + "' is not supported (only the default ONNX domain is)");
        }
        switch (node.getOpType()) {
            case "Conv" -> convPoolOps.conv();
            case "Relu" -> {
                String n = add(new Relu(), real(0));
                nonNegative.add(n);
            }
            case "MaxPool" -> convPoolOps.pool(true);
            case "AveragePool" -> convPoolOps.pool(false);
            case "GlobalAveragePool" -> {
                String x = real(0);
                requireRank(x, 4);
                String n = add(new GlobalAvgPool(), x);
                if (nonNegative.contains(x)) nonNegative.add(n);
            }
            case "Concat" -> shapeOps.concat();
            case "Gemm" -> linearOps.gemm();
            case "MatMul" -> linearOps.matMul();
            case "Add", "Sub", "Mul", "Div" -> arithmeticOps.arithmetic();
            case "Flatten" -> shapeOps.flatten();
            case "Reshape" -> shapeOps.reshape();
            case "Squeeze" -> shapeOps.squeeze();
            case "Unsqueeze" -> shapeOps.unsqueeze();
            case "Gather" -> shapeOps.gather();
            case "Shape" -> shapeOps.shapeOp();
            case "Cast" -> shapeOps.cast();
            case "LRN" -> {
                long size = attrs.i("size", -1);
                if (attrs.attr("size") == null) throw unsupported("attribute 'size' is required");
                add(new Lrn(toInt(size, "size"), attrs.f("alpha", 1e-4f), attrs.f("beta", 0.75f), attrs.f("bias", 1f)), real(0));
            }
            case "Dropout" -> layerOps.dropout();
            case "Identity" -> output(in(0));
            case "Softmax" -> layerOps.softmax();
            case "BatchNormalization" -> layerOps.batchNorm();
            case "Constant" -> layerOps.constantOp();
            case "Pad" -> convPoolOps.pad();
            default -> throw unsupported("op type '" + node.getOpType() + "' is not supported");
        }
    }

    void requireRank(String x, int rank) {
        if (shape(x).rank() != rank) throw unsupported("expects a rank-" + rank + " input, got " + shape(x));
    }
}
