package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * Average pooling. With {@code countIncludePad} padded taps count in the divisor, but, as in PyTorch,
 * the part of a ceil-mode window beyond the padded input never does.
 */
public record AvgPool2d(int kernelH, int kernelW, int strideH, int strideW, Padding padding, boolean ceilMode,
                        boolean countIncludePad) implements Op {

    /** {@code nn.AvgPool2d(kernel, stride, padding, ceil_mode, count_include_pad)}. */
    public static AvgPool2d of(int kernel, int stride, int pad, boolean ceilMode, boolean countIncludePad) {
        return new AvgPool2d(kernel, kernel, stride, stride, Padding.of(pad), ceilMode, countIncludePad);
    }

    @Override
    public String typeName() {
        return "AvgPool2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        return Pooling.inferShape(node, this, inputs.getFirst(), kernelH, kernelW, strideH, strideW, padding, ceilMode);
    }

    @Override
    public String attributes() {
        return Pooling.attributes(kernelH, kernelW, strideH, strideW, padding, ceilMode)
                + (countIncludePad ? "" : " exclude pad");
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
