package googlenet.kernels.conv;

/**
 * Shape of a 2-D convolution with PyTorch semantics: weights are {@code [outChannels][inChannels/groups][kernelH][kernelW]},
 * input channel group {@code g} feeds output channels {@code [g·outChannels/groups, (g+1)·outChannels/groups)}, and
 * an output pixel {@code (oy, ox)} reads input {@code (oy·strideH − padTop + ky·dilationH, ox·strideW − padLeft + kx·dilationW)},
 * taps outside the input counting as zero.
 */
public record ConvGeometry(int inChannels, int outChannels, int kernelH, int kernelW, int strideH, int strideW,
                           int padTop, int padLeft, int padBottom, int padRight, int dilationH, int dilationW,
                           int groups) {

    public ConvGeometry {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException("channels must be positive: " + inChannels + " → " + outChannels);
        }
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("kernel " + kernelH + "×" + kernelW + ", stride " + strideH + "×" + strideW
                    + " and dilation " + dilationH + "×" + dilationW + " must be positive");
        }
        if (padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) {
            throw new IllegalArgumentException("negative padding " + padTop + "," + padLeft + "," + padBottom + "," + padRight);
        }
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("groups " + groups + " must divide " + inChannels + " and " + outChannels);
        }
    }

    /** Square kernel, equal stride, symmetric padding, no dilation, one group. */
    public static ConvGeometry of(int inChannels, int outChannels, int kernel, int stride, int pad) {
        return new ConvGeometry(inChannels, outChannels, kernel, kernel, stride, stride, pad, pad, pad, pad, 1, 1, 1);
    }

    /** Input channels per group (the I of the OIHW weights). */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** Output channels per group. */
    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** Output height for an input of height {@code inH}; throws if the padded input is smaller than the kernel span. */
    public int outHeight(int inH) {
        return outSize("height", inH, padTop + padBottom, kernelH, dilationH, strideH);
    }

    /** Output width for an input of width {@code inW}; throws if the padded input is smaller than the kernel span. */
    public int outWidth(int inW) {
        return outSize("width", inW, padLeft + padRight, kernelW, dilationW, strideW);
    }

    /** Mult-adds of one image with input {@code inH × inW} (for GFLOP/s: twice this). */
    public long multAdds(int inH, int inW) {
        return (long) outChannels * inChannelsPerGroup() * kernelH * kernelW * outHeight(inH) * outWidth(inW);
    }

    private static int outSize(String what, int in, int pad, int kernel, int dilation, int stride) {
        if (in < 1) {
            throw new IllegalArgumentException("input " + what + " must be positive, was " + in);
        }
        int span = (kernel - 1) * dilation + 1;
        if (in + pad < span) {
            throw new IllegalArgumentException("input " + what + " " + in + " + padding " + pad + " < kernel span " + span);
        }
        return (in + pad - span) / stride + 1;
    }
}
