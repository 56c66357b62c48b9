package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** max(x, 0), elementwise. */
public record Relu() implements Op {
    @Override
    public String typeName() {
        return "ReLU";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        return inputs.getFirst();
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.ELEMENTWISE;
    }
}
