package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Dropout with probability p: the identity at inference. */
public record Dropout(double p) implements Op {
    @Override
    public String typeName() {
        return "Dropout";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        if (!(p >= 0 && p < 1)) throw Op.error(node, this, "probability must be in [0, 1), got " + p);
        return inputs.getFirst();
    }

    @Override
    public String attributes() {
        return "p " + p;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.INJECTIVE;
    }
}
