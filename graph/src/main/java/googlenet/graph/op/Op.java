package googlenet.graph.op;

import googlenet.graph.GraphException;
import googlenet.graph.Shape;

import java.util.List;

/**
 * The operation of one graph node: a record of its attributes. Ops know how to infer their
 * output shape, which parameters they need and how many multiply-adds they cost; they know
 * nothing of how they are computed.
 */
public sealed interface Op
        permits Input, Conv2d, Relu, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, GlobalAvgPool, Fused, Concat, Flatten, Linear,
        BatchNorm, Lrn, Dropout, Softmax {

    /** The PyTorch class name of the layer, used by walks and tables. */
    String typeName();

    /**
     * The output shape for these input shapes.
     *
     * @throws GraphException naming {@code node}, the expected and the actual shapes
     */
    Shape inferShape(String node, List<Shape> inputs);

    /** How the op combines with its neighbours in fusion; opaque unless it says otherwise. */
    default OpPattern pattern() {
        return OpPattern.OPAQUE;
    }

    /** Number of inputs the op takes, or -1 for any number of at least one. */
    default int arity() {
        return 1;
    }

    default List<Param> params(List<Shape> inputs) {
        return List.of();
    }

    /** Multiply-adds of one run: weight elements × output positions × batch, 0 for ops without weights. */
    default long multAdds(List<Shape> inputs, Shape output) {
        return 0;
    }

    /** A short summary of the attributes for tables and pictures, e.g. "7×7/2 pad 3". */
    default String attributes() {
        return "";
    }

    static GraphException error(String node, Op op, String problem) {
        return new GraphException("node '" + node + "' (" + op.typeName() + "): " + problem);
    }

    static void requireRank(String node, Op op, Shape input, int rank) {
        if (input.rank() != rank) {
            throw error(node, op, "expects a rank-" + rank + " input, got " + input);
        }
    }
}
