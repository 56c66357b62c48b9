package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.PlainTensor;

import java.util.Objects;

/**
 * How a convolution addresses its input, blocked NCHWc or plain NCHW alike: channel {@code i} of block {@code b} at
 * pixel (y, x) of image n is at {@code offset + n·imageStride + b·blockStride + y·rowStride + x·pixelBytes +
 * i·channelBytes}. Blocked: a pixel is c floats, a channel one float. Plain: one block, a pixel one float, a channel
 * one plane.
 */
record ConvInput(long offset, int batch, int channels, int height, int width, long imageStride, long blockStride,
                 long rowStride, long pixelBytes, long channelBytes, long end, boolean plain) {

    static ConvInput of(BlockedTensor t) {
        Objects.requireNonNull(t, "in");
        return new ConvInput(t.offset(), t.batch(), t.channels(), t.height(), t.width(), t.imageStride(),
                t.blockStride(), t.rowStride(), t.pixelStride(), Float.BYTES, t.end(), false);
    }

    /** A plain tensor of at most {@link Blocking#LANES} channels: one block. */
    static ConvInput of(PlainTensor t) {
        Objects.requireNonNull(t, "in");
        if (t.channels() > Blocking.LANES) {
            throw new IllegalArgumentException("a convolution reads plain NCHW input of at most " + Blocking.LANES
                    + " channels, not " + t.channels());
        }
        return new ConvInput(t.offset(), t.batch(), t.channels(), t.height(), t.width(), t.imageStride(),
                t.imageStride(), t.rowStride(), Float.BYTES, t.planeBytes(), t.end(), true);
    }

    int blocks() {
        return Blocking.blocks(channels);
    }

    /** Byte offset of channel 0 of {@code block}, row {@code y}, column {@code x} of image {@code n}. */
    long at(int n, int block, int y, int x) {
        return offset + n * imageStride + block * blockStride + y * rowStride + x * pixelBytes;
    }
}
