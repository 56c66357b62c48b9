package googlenet.graph;

import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Param;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic weights for demos, benchmarks and tests when no trained weights are given.
 * Conv and linear tensors follow PyTorch's default init bounds (uniform in ±1/√fan_in for weight and
 * bias); BatchNorm gets random statistics and affine terms (not the identity), so that folding it
 * into the conv is really exercised. Each tensor draws from its own stream seeded by the seed and
 * its name, so a tensor's values do not depend on which other nodes the graph has.
 */
public final class SeededWeights {
    private SeededWeights() {
    }

    public static Graph apply(Graph graph, long seed) {
        return graph.withWeights(generate(graph, seed));
    }

    public static Weights generate(Graph graph, long seed) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Node node : graph.nodes()) {
            long fanIn = 1;
            for (Param p : node.params()) {
                if (p.role().equals("weight") && p.shape().rank() >= 2) fanIn = p.shape().elements() / p.shape().dim(0);
            }
            for (Param p : node.params()) {
                String key = node.paramKey(p);
                SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + key.hashCode());
                float[] data = new float[(int) p.shape().elements()];
                double low;
                double high;
                if (node.op() instanceof BatchNorm) {
                    switch (p.role()) {
                        case "weight", "running_var" -> { low = 0.5; high = 1.5; }
                        default -> { low = -0.25; high = 0.25; }
                    }
                } else {
                    high = 1 / Math.sqrt(fanIn);
                    low = -high;
                }
                for (int i = 0; i < data.length; i++) data[i] = (float) random.nextDouble(low, high);
                tensors.put(key, new Tensor(p.shape(), data));
            }
        }
        return Weights.of(tensors);
    }
}
