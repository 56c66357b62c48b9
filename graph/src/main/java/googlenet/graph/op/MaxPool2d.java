package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/** Max pooling; padded taps never win (PyTorch pads with minus infinity). */
public record MaxPool2d(int kernelH, int kernelW, int strideH, int strideW, Padding padding, boolean ceilMode)
        implements Op {

    /** {@code nn.MaxPool2d(kernel, stride, padding, ceil_mode)}. */
    public static MaxPool2d of(int kernel, int stride, int pad, boolean ceilMode) {
        return new MaxPool2d(kernel, kernel, stride, stride, Padding.of(pad), ceilMode);
    }

    @Override
    public String typeName() {
        return "MaxPool2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        return Pooling.inferShape(node, this, inputs.getFirst(), kernelH, kernelW, strideH, strideW, padding, ceilMode);
    }

    @Override
    public String attributes() {
        return Pooling.attributes(kernelH, kernelW, strideH, strideW, padding, ceilMode);
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
