package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Keeps the batch dimension and flattens the rest: N×C×H×W → N×(C·H·W). */
public record Flatten() implements Op {
    @Override
    public String typeName() {
        return "Flatten";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        long features = x.elements() / x.dim(0);
        if (features > Integer.MAX_VALUE) throw Op.error(node, this, "too many features in " + x);
        return Shape.of(x.dim(0), (int) features);
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.INJECTIVE;
    }
}
