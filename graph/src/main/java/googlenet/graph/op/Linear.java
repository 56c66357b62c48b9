package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.ArrayList;
import java.util.List;

/** y = x·Wᵀ + b on N×in features. Weight {@code [outFeatures][inFeatures]}, bias {@code [outFeatures]}. */
public record Linear(int inFeatures, int outFeatures, boolean bias) implements Op {
    public static Linear of(int in, int out) {
        return new Linear(in, out, true);
    }

    @Override
    public String typeName() {
        return "Linear";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 2);
        if (inFeatures < 1 || outFeatures < 1) {
            throw Op.error(node, this, "features must be ≥ 1, got in " + inFeatures + ", out " + outFeatures);
        }
        if (x.dim(1) != inFeatures) {
            throw Op.error(node, this, "feature mismatch: expects " + inFeatures + " input features, got input " + x);
        }
        return Shape.of(x.dim(0), outFeatures);
    }

    @Override
    public List<Param> params(List<Shape> inputs) {
        List<Param> params = new ArrayList<>(2);
        params.add(new Param("weight", Shape.of(outFeatures, inFeatures), true));
        if (bias) params.add(new Param("bias", Shape.of(outFeatures), true));
        return params;
    }

    @Override
    public long multAdds(List<Shape> inputs, Shape output) {
        return (long) inFeatures * outFeatures * output.dim(0);
    }

    @Override
    public String attributes() {
        return inFeatures + "→" + outFeatures;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
