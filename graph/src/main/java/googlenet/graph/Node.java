package googlenet.graph;

import googlenet.graph.op.Op;
import googlenet.graph.op.Param;

import java.util.List;

/**
 * One operation of a graph with its inferred output shape. The name is a dotted module path
 * ({@code "2.0.p2_1"}) whose parameters are stored as {@code name + ".weight"} etc., as in PyTorch.
 */
public record Node(String name, Op op, List<String> inputs, List<Shape> inputShapes, Shape shape) {
    public Node {
        inputs = List.copyOf(inputs);
        inputShapes = List.copyOf(inputShapes);
    }

    public List<Param> params() {
        return op.params(inputShapes);
    }

    public String paramKey(Param p) {
        return name + "." + p.role();
    }

    /** Learned parameters (BatchNorm's running statistics excluded). */
    public long parameterCount() {
        long n = 0;
        for (Param p : params()) if (p.learned()) n += p.shape().elements();
        return n;
    }

    public long multAdds() {
        return op.multAdds(inputShapes, shape);
    }
}
