package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Softmax over the last axis of N×K scores. */
public record Softmax() implements Op {
    @Override
    public String typeName() {
        return "Softmax";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 2);
        return x;
    }
}
