package googlenet.engine.compile.passes;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Conv2d;

/**
 * Folds an inference BatchNorm into the conv before it: with s = γ / √(var + eps),
 * W'[o] = s[o]·W[o] and b'[o] = s[o]·(b[o] − mean[o]) + β[o]. The conv gains a bias; the BatchNorm goes.
 * Applies when the conv feeds only the BatchNorm and is not itself a graph output.
 */
public final class FoldBatchNorm implements Pass {
    public FoldBatchNorm() {
    }

    @Override
    public Graph apply(Graph graph) {
        Rewrite r = new Rewrite(graph);
        for (Node bn : graph.nodes()) {
            if (!(bn.op() instanceof BatchNorm norm)) continue;
            Node conv = graph.node(bn.inputs().getFirst());
            if (!(conv.op() instanceof Conv2d c) || graph.consumers(conv.name()).size() != 1
                    || graph.outputs().containsValue(conv.name())) {
                continue;
            }
            r.replace(conv.name(), new Conv2d(c.inChannels(), c.outChannels(), c.kernelH(), c.kernelW(), c.strideH(),
                    c.strideW(), c.padding(), c.dilationH(), c.dilationW(), c.groups(), true));
            r.remove(bn.name());
            if (graph.weights().isEmpty()) continue;
            float[] w = weight(graph, conv, "weight");
            float[] b = c.bias() ? weight(graph, conv, "bias") : new float[c.outChannels()];
            float[] gamma = weight(graph, bn, "weight");
            float[] beta = weight(graph, bn, "bias");
            float[] mean = weight(graph, bn, "running_mean");
            float[] var = weight(graph, bn, "running_var");
            int perChannel = w.length / c.outChannels();
            float[] folded = new float[w.length];
            float[] bias = new float[c.outChannels()];
            for (int o = 0; o < c.outChannels(); o++) {
                double scale = gamma[o] / Math.sqrt(var[o] + norm.eps());
                for (int i = 0; i < perChannel; i++) folded[o * perChannel + i] = (float) (w[o * perChannel + i] * scale);
                bias[o] = (float) ((b[o] - mean[o]) * scale + beta[o]);
            }
            r.setWeight(conv.name() + ".weight", new Tensor(graph.weights().get(conv.name() + ".weight").shape(), folded));
            r.setWeight(conv.name() + ".bias", new Tensor(Shape.of(c.outChannels()), bias));
        }
        return r.apply();
    }

    private static float[] weight(Graph graph, Node node, String role) {
        return graph.weights().get(node.name() + "." + role).data();
    }
}
