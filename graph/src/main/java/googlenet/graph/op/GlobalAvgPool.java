package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Mean over height and width: NCHW → N×C×1×1 ({@code nn.AdaptiveAvgPool2d((1, 1))}). */
public record GlobalAvgPool() implements Op {
    @Override
    public String typeName() {
        return "AdaptiveAvgPool2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 4);
        return Shape.of(x.dim(0), x.dim(1), 1, 1);
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
