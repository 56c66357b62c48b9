package googlenet.engine.compile.passes;

import googlenet.graph.Graph;

import java.util.List;

/** The compiler's pass pipeline for inference, in order. */
public final class Passes {
    private Passes() {
    }

    public static List<Pass> inference(List<String> outputs) {
        return List.of(new PruneToOutputs(outputs), new DropIdentities(), new FoldBatchNorm(), new FuseActivations());
    }

    public static Graph run(Graph graph, List<Pass> passes) {
        for (Pass p : passes) graph = p.apply(graph);
        return graph;
    }
}
