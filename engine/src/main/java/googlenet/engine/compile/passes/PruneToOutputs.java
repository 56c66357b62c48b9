package googlenet.engine.compile.passes;

import googlenet.graph.Graph;

import java.util.List;

/** Keeps only the nodes the requested outputs need: torchvision's auxiliary heads vanish unless asked for. */
public record PruneToOutputs(List<String> outputs) implements Pass {
    public PruneToOutputs {
        outputs = List.copyOf(outputs);
    }

    @Override
    public Graph apply(Graph graph) {
        return graph.keepOutputs(outputs);
    }
}
