package googlenet.perf.ab;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;

import java.util.List;

/**
 * One inference per {@link #run} on the engine of the class loader that loaded this class (see {@link BuildAb}): a
 * builtin at 224×224, 1000 classes, seeded weights, warmed up. Uses only API that every build since 2026-12-01 has.
 */
public final class BuildAbNetwork implements Runnable {
    private final Session session;
    private final float[] x;
    private final float[] y;

    public BuildAbNetwork(String network, int batch, int threads) {
        Graph g = Builtins.build(network, Shape.of(batch, 3, 224, 224), 1000);
        g = SeededWeights.apply(g, 0).keepOutputs(List.of(g.outputs().keySet().iterator().next()));
        Model model = Model.load(g, Options.threads(threads));
        model.warmUp(batch);
        session = model.newSession(batch);
        x = new float[batch * 3 * 224 * 224];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.001);
        y = new float[batch * 1000];
    }

    @Override
    public void run() {
        session.run(x, y);
    }
}
