package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Concatenation along {@code axis} (1 = channels); every other dimension must match. */
public record Concat(int axis) implements Op {
    @Override
    public String typeName() {
        return "Concat";
    }

    @Override
    public int arity() {
        return -1;
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape first = inputs.getFirst();
        if (axis < 0 || axis >= first.rank()) {
            throw Op.error(node, this, "axis " + axis + " is out of range for input " + first);
        }
        long total = 0;
        for (Shape s : inputs) {
            if (s.rank() != first.rank()) {
                throw Op.error(node, this, "inputs of different rank: " + first + " and " + s);
            }
            for (int d = 0; d < s.rank(); d++) {
                if (d != axis && s.dim(d) != first.dim(d)) {
                    throw Op.error(node, this, "inputs differ outside axis " + axis + ": " + first + " and " + s);
                }
            }
            total += s.dim(axis);
        }
        if (total > Integer.MAX_VALUE) throw Op.error(node, this, "concatenated size overflows");
        return first.with(axis, (int) total);
    }

    @Override
    public String attributes() {
        return "axis " + axis;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.INJECTIVE;
    }
}
