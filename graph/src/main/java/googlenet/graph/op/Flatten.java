package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * Flattens the dimensions before {@code axis} into the first and the rest into the second, as ONNX's Flatten: axis 1
 * (the usual) keeps the batch, N×C×H×W → N×(C·H·W); axis 0 gives 1×(N·C·H·W), axis 2 (N·C)×(H·W). The data stay the
 * same contiguous floats; only the shape differs.
 */
public record Flatten(int axis) implements Op {
    /** Axis 1: keeps the batch dimension and flattens the rest. */
    public Flatten() {
        this(1);
    }

    public Flatten {
        if (axis < 0) throw new IllegalArgumentException("Flatten axis " + axis + " is negative");
    }

    @Override
    public String typeName() {
        return "Flatten";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        if (axis > x.rank()) throw Op.error(node, this, "axis " + axis + " is beyond the rank of " + x);
        long outer = 1;
        for (int i = 0; i < axis; i++) outer *= x.dim(i);
        long inner = x.elements() / outer;
        if (outer > Integer.MAX_VALUE || inner > Integer.MAX_VALUE) throw Op.error(node, this, "too many features in " + x);
        return Shape.of((int) outer, (int) inner);
    }

    @Override
    public String attributes() {
        return axis == 1 ? "" : "axis " + axis;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.INJECTIVE;
    }
}
