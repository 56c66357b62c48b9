package googlenet.perf;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;

import java.util.List;

/** The graphs both engines run: a builtin at 224×224, 1000 classes, seeded weights, logits only. */
final class Networks {
    static final long SEED = 0;

    private Networks() {
    }

    static Graph seeded(String name, int batch) {
        Graph g = Builtins.build(name, Shape.of(batch, 3, 224, 224), 1000);
        return SeededWeights.apply(g, SEED).keepOutputs(List.of(g.outputs().keySet().iterator().next()));
    }

    static float[] image(int batch) {
        float[] x = new float[batch * 3 * 224 * 224];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.001);
        return x;
    }
}
