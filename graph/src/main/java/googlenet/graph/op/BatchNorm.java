package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * Inference-mode batch normalization over channels:
 * y = (x − running_mean) / √(running_var + eps) · weight + bias.
 */
public record BatchNorm(int channels, double eps) implements Op {
    @Override
    public String typeName() {
        return "BatchNorm2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        if (x.rank() < 2) throw Op.error(node, this, "expects an input with channels, got " + x);
        if (!(eps >= 0)) throw Op.error(node, this, "eps must be ≥ 0, got " + eps);
        if (x.dim(1) != channels) {
            throw Op.error(node, this, "channel mismatch: expects " + channels + " channels, got input " + x);
        }
        return x;
    }

    @Override
    public List<Param> params(List<Shape> inputs) {
        Shape c = Shape.of(channels);
        return List.of(new Param("weight", c, true), new Param("bias", c, true),
                new Param("running_mean", c, false), new Param("running_var", c, false));
    }

    @Override
    public String attributes() {
        return "eps " + eps;
    }
}
