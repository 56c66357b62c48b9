package googlenet.engine.compile.passes;

import googlenet.graph.Graph;

/** One graph-to-graph transformation of the compiler. The result computes what the input computed. */
public interface Pass {
    Graph apply(Graph graph);

    /** Short name for logs and plans. */
    default String name() {
        return getClass().getSimpleName();
    }
}
