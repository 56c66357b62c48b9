package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** A graph input of a fixed shape (the batch dimension first). */
public record Input(Shape shape) implements Op {
    @Override
    public String typeName() {
        return "Input";
    }

    @Override
    public int arity() {
        return 0;
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        return shape;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.INJECTIVE;
    }
}
