package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * Local response normalization across channels (Caffe, ONNX and PyTorch agree):
 * y = x / (k + alpha/size · Σ x²)^beta over the {@code size} neighbouring channels.
 */
public record Lrn(int size, double alpha, double beta, double k) implements Op {
    @Override
    public String typeName() {
        return "LocalResponseNorm";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 4);
        if (size < 1) throw Op.error(node, this, "size must be ≥ 1, got " + size);
        return x;
    }

    @Override
    public String attributes() {
        return "size " + size + " α " + alpha + " β " + beta + " k " + k;
    }
}
