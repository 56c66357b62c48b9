package googlenet.engine.reference;

import googlenet.graph.Graph;
import googlenet.graph.GraphException;
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
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceBatchNorm;
import googlenet.kernels.reference.ReferenceConv2d;
import googlenet.kernels.reference.ReferenceLinear;
import googlenet.kernels.reference.ReferenceLrn;
import googlenet.kernels.reference.ReferencePooling;
import googlenet.kernels.reference.ReferenceSoftmax;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a graph node by node on the scalar reference kernels, in plain NCHW float arrays. It is slow
 * and obviously right: the oracle that the compiled engine and the fast kernels are checked against.
 */
public final class ReferenceInterpreter {
    /** Sees every node's output as it is computed (e.g. to dump layers to files). */
    @FunctionalInterface
    public interface Observer {
        void onNode(Node node, Tensor output);
    }

    private ReferenceInterpreter() {
    }

    /** Runs a single-input graph and returns its first output. */
    public static Tensor run(Graph graph, Tensor input) {
        List<Node> inputs = graph.inputs();
        if (inputs.size() != 1) throw new GraphException("graph '" + graph.name() + "' has " + inputs.size() + " inputs");
        Map<String, Tensor> out = run(graph, Map.of(inputs.getFirst().name(), input), (n, t) -> { });
        return out.values().iterator().next();
    }

    /** Runs the graph; returns every named output, in the graph's output order. */
    public static Map<String, Tensor> run(Graph graph, Map<String, Tensor> inputs, Observer observer) {
        if (!graph.hasWeights()) {
            throw new GraphException("graph '" + graph.name() + "' has no weights: give weights or seed them");
        }
        Map<String, Integer> lastUse = new HashMap<>();
        List<Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) for (String in : nodes.get(i).inputs()) lastUse.put(in, i);
        for (String out : graph.outputs().values()) lastUse.put(out, Integer.MAX_VALUE);

        Map<String, Tensor> values = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            Tensor y;
            if (node.op() instanceof Input) {
                y = inputs.get(node.name());
                if (y == null) throw new GraphException("input '" + node.name() + "' of graph '" + graph.name() + "' not given");
                if (!y.shape().equals(node.shape())) {
                    throw new GraphException("input '" + node.name() + "': expected shape " + node.shape() + ", got " + y.shape());
                }
            } else {
                y = evaluate(graph, node, node.inputs().stream().map(values::get).toList());
            }
            values.put(node.name(), y);
            observer.onNode(node, y);
            for (String in : node.inputs()) if (lastUse.get(in) == i) values.remove(in);
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        graph.outputs().forEach((name, node) -> outputs.put(name, values.get(node)));
        return outputs;
    }

    private static Tensor evaluate(Graph graph, Node node, List<Tensor> in) {
        Tensor x = in.getFirst();
        Shape s = x.shape();
        Tensor y = Tensor.zeros(node.shape());
        int oh = node.shape().rank() == 4 ? node.shape().dim(2) : 1;
        int ow = node.shape().rank() == 4 ? node.shape().dim(3) : 1;
        switch (node.op()) {
            case Conv2d c -> ReferenceConv2d.conv2d(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3),
                    weight(graph, node, "weight"), c.bias() ? weight(graph, node, "bias") : null, c.outChannels(),
                    c.kernelH(), c.kernelW(), c.strideH(), c.strideW(), c.padding().top(), c.padding().left(),
                    c.dilationH(), c.dilationW(), c.groups(), y.data(), oh, ow);
            case Relu _ -> ReferenceActivations.relu(x.data(), y.data());
            case MaxPool2d p -> ReferencePooling.maxPool2d(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3),
                    p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padding().top(), p.padding().left(),
                    y.data(), oh, ow);
            case AvgPool2d p -> ReferencePooling.avgPool2d(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3),
                    p.kernelH(), p.kernelW(), p.strideH(), p.strideW(), p.padding().top(), p.padding().left(),
                    p.padding().bottom(), p.padding().right(), p.countIncludePad(), y.data(), oh, ow);
            case AdaptiveAvgPool2d a -> ReferencePooling.adaptiveAvgPool2d(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3),
                    y.data(), a.outH(), a.outW());
            case GlobalAvgPool _ -> ReferencePooling.globalAvgPool(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3), y.data());
            case Concat c -> concat(in, c.axis(), y);
            case Flatten _, Dropout _ -> System.arraycopy(x.data(), 0, y.data(), 0, x.data().length);
            case Linear l -> ReferenceLinear.linear(x.data(), s.dim(0), l.inFeatures(), weight(graph, node, "weight"),
                    l.bias() ? weight(graph, node, "bias") : null, l.outFeatures(), y.data());
            case BatchNorm b -> ReferenceBatchNorm.batchNorm(x.data(), s.dim(0), s.dim(1),
                    s.rank() == 4 ? s.dim(2) : 1, s.rank() == 4 ? s.dim(3) : 1,
                    weight(graph, node, "weight"), weight(graph, node, "bias"), weight(graph, node, "running_mean"),
                    weight(graph, node, "running_var"), (float) b.eps(), y.data());
            case Lrn l -> ReferenceLrn.lrn(x.data(), s.dim(0), s.dim(1), s.dim(2), s.dim(3), l.size(),
                    (float) l.alpha(), (float) l.beta(), (float) l.k(), y.data());
            case Softmax _ -> ReferenceSoftmax.softmax(x.data(), s.dim(0), s.dim(1), y.data());
            case Fused f -> {
                Tensor produced = evaluate(graph, new Node(node.name(), f.producer(), node.inputs(), node.inputShapes(),
                        f.producer().inferShape(node.name(), node.inputShapes())), in);
                Node epilogue = new Node(node.name(), f.epilogue(), List.of(node.name()), List.of(produced.shape()), node.shape());
                return evaluate(graph, epilogue, List.of(produced));
            }
            case Input _ -> throw new IllegalStateException("inputs are not evaluated");
        }
        return y;
    }

    /** Concatenation as copies of contiguous runs: for each index of the axes before {@code axis}, each input's block in turn. */
    private static void concat(List<Tensor> inputs, int axis, Tensor y) {
        long outer = 1;
        for (int d = 0; d < axis; d++) outer *= y.shape().dim(d);
        int offset = 0;
        for (int o = 0; o < outer; o++) {
            for (Tensor t : inputs) {
                int block = (int) (t.shape().elements() / outer);
                System.arraycopy(t.data(), o * block, y.data(), offset, block);
                offset += block;
            }
        }
    }

    private static float[] weight(Graph graph, Node node, String role) {
        Tensor t = graph.weights().get(node.name() + "." + role);
        if (t == null) throw new GraphException("node '" + node.name() + "': weight '" + node.name() + "." + role + "' missing");
        return t.data();
    }
}
