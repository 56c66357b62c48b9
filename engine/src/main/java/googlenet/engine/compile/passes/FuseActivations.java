package googlenet.engine.compile.passes;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.op.Fused;
import googlenet.graph.op.OpPattern;

/**
 * Fuses every elementwise op into its producer when the producer is output-fusable (conv, linear,
 * pooling), feeds only that op and is not a graph output: the producer then applies it as it stores.
 * Decided by the ops' {@link OpPattern}s, not by naming op pairs.
 */
public final class FuseActivations implements Pass {
    public FuseActivations() {
    }

    @Override
    public Graph apply(Graph graph) {
        Rewrite r = new Rewrite(graph);
        for (Node n : graph.nodes()) {
            if (n.op().pattern() != OpPattern.ELEMENTWISE || n.inputs().size() != 1) continue;
            Node producer = graph.node(n.inputs().getFirst());
            if (producer.op().pattern() != OpPattern.OUTPUT_FUSABLE || producer.op() instanceof Fused
                    || graph.consumers(producer.name()).size() != 1
                    || graph.outputs().containsValue(producer.name())) {
                continue;
            }
            r.replace(producer.name(), new Fused(producer.op(), n.op()));
            r.remove(n.name());
        }
        return r.apply();
    }
}
