package googlenet.engine.compile.passes;

import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.op.Dropout;

/** Removes ops that are the identity at inference (Dropout): their consumers read their input. */
public final class DropIdentities implements Pass {
    public DropIdentities() {
    }

    @Override
    public Graph apply(Graph graph) {
        Rewrite r = new Rewrite(graph);
        for (Node n : graph.nodes()) {
            if (n.op() instanceof Dropout) r.remove(n.name());
        }
        return r.apply();
    }
}
