package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * Average pooling to a fixed output size ({@code nn.AdaptiveAvgPool2d((outH, outW))}): output row i averages
 * input rows {@code [floor(i·H/outH), ceil((i+1)·H/outH))}, so windows may overlap and differ in size.
 * torchvision's auxiliary classifiers pool 14×14 to 4×4 this way (windows of 4 at offsets 0, 3, 7, 10).
 */
public record AdaptiveAvgPool2d(int outH, int outW) implements Op {
    @Override
    public String typeName() {
        return "AdaptiveAvgPool2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 4);
        if (outH < 1 || outW < 1) throw Op.error(node, this, "output size must be ≥ 1, got " + outH + "×" + outW);
        return Shape.of(x.dim(0), x.dim(1), outH, outW);
    }

    @Override
    public String attributes() {
        return "to " + outH + "×" + outW;
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
