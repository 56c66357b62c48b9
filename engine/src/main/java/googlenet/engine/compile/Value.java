package googlenet.engine.compile;

import googlenet.kernels.BlockedTensor;

/**
 * A node's output as placed: blocked NCHWc in {@code buffer} at {@code offsetInBuffer}, with the image
 * stride of the buffer it lives in (larger than its own size when it is a concat slice). Features of
 * rank-2 tensors are channels with H = W = 1. Flatten's output is its input's value.
 */
record Value(Buffer buffer, long offsetInBuffer, int batch, int channels, int height, int width, long imageStride) {
    BlockedTensor view() {
        return new BlockedTensor(buffer.offset + offsetInBuffer, batch, channels, height, width, imageStride);
    }
}
