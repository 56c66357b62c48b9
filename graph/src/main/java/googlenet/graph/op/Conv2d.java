package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution over NCHW input. Weight {@code [outChannels][inChannels/groups][kernelH][kernelW]},
 * optional bias {@code [outChannels]}.
 */
public record Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                     Padding padding, int dilationH, int dilationW, int groups, boolean bias) implements Op {

    /** A square kernel with symmetric padding, dilation 1, one group and a bias: {@code nn.Conv2d(in, out, k, stride, pad)}. */
    public static Conv2d of(int in, int out, int kernel, int stride, int pad) {
        return new Conv2d(in, out, kernel, kernel, stride, stride, Padding.of(pad), 1, 1, 1, true);
    }

    public static Conv2d of(int in, int out, int kernel) {
        return of(in, out, kernel, 1, 0);
    }

    public Conv2d withoutBias() {
        return new Conv2d(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padding, dilationH, dilationW, groups, false);
    }

    @Override
    public String typeName() {
        return "Conv2d";
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        Shape x = inputs.getFirst();
        Op.requireRank(node, this, x, 4);
        if (groups < 1) throw Op.error(node, this, "groups must be ≥ 1, got " + groups);
        if (inChannels < 1 || outChannels < 1) {
            throw Op.error(node, this, "channels must be ≥ 1, got in " + inChannels + ", out " + outChannels);
        }
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw Op.error(node, this, "channels in " + inChannels + " and out " + outChannels
                    + " must both be multiples of groups " + groups);
        }
        if (padding.hasNegative()) throw Op.error(node, this, "negative padding " + padding);
        if (x.dim(1) != inChannels) {
            throw Op.error(node, this, "channel mismatch: expects " + inChannels + " input channels, got input " + x);
        }
        int h = Windows.checkedOutputSize(node, this, "height", x.dim(2), kernelH, strideH, padding.top(), padding.bottom(), dilationH, false);
        int w = Windows.checkedOutputSize(node, this, "width", x.dim(3), kernelW, strideW, padding.left(), padding.right(), dilationW, false);
        return Shape.of(x.dim(0), outChannels, h, w);
    }

    @Override
    public List<Param> params(List<Shape> inputs) {
        List<Param> params = new ArrayList<>(2);
        params.add(new Param("weight", Shape.of(outChannels, inChannels / groups, kernelH, kernelW), true));
        if (bias) params.add(new Param("bias", Shape.of(outChannels), true));
        return params;
    }

    @Override
    public long multAdds(List<Shape> inputs, Shape output) {
        long weights = (long) outChannels * (inChannels / groups) * kernelH * kernelW;
        return weights * output.dim(2) * output.dim(3) * output.dim(0);
    }

    @Override
    public String attributes() {
        StringBuilder sb = new StringBuilder();
        sb.append(kernelH).append('×').append(kernelW);
        if (strideH != 1 || strideW != 1) sb.append('/').append(strideH == strideW ? "" + strideH : strideH + "," + strideW);
        if (!padding.equals(Padding.NONE)) sb.append(" pad ").append(padding);
        if (dilationH != 1 || dilationW != 1) sb.append(" dil ").append(dilationH).append(',').append(dilationW);
        if (groups != 1) sb.append(" groups ").append(groups);
        return sb.toString();
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }
}
