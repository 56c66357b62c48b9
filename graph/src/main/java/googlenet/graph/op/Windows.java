package googlenet.graph.op;

/** Output sizes of sliding windows (convolution and pooling) along one axis. */
final class Windows {
    private Windows() {
    }

    /**
     * PyTorch's and ONNX's rule: {@code floor_or_ceil((in + padBegin + padEnd - dilation*(k-1) - 1) / stride) + 1};
     * in ceil mode the last window must start inside the input or its leading padding.
     *
     * @return the size, or a value ≤ 0 when no window fits
     */
    static int outputSize(int in, int kernel, int stride, int padBegin, int padEnd, int dilation, boolean ceilMode) {
        long span = (long) in + padBegin + padEnd - (long) dilation * (kernel - 1) - 1;
        if (span < 0) return 0;
        long out = (ceilMode ? Math.ceilDiv(span, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + padBegin) out--;
        return (int) Math.min(out, Integer.MAX_VALUE);
    }

    /** Validates a window op's attributes and infers one spatial size, with messages naming the node. */
    static int checkedOutputSize(String node, Op op, String axis, int in, int kernel, int stride,
                                 int padBegin, int padEnd, int dilation, boolean ceilMode) {
        if (kernel < 1) throw Op.error(node, op, "kernel " + axis + " must be ≥ 1, got " + kernel);
        if (stride < 1) throw Op.error(node, op, "stride " + axis + " must be ≥ 1, got " + stride);
        if (dilation < 1) throw Op.error(node, op, "dilation " + axis + " must be ≥ 1, got " + dilation);
        long effectiveKernel = (long) dilation * (kernel - 1) + 1;
        long padded = (long) in + padBegin + padEnd;
        if (effectiveKernel > padded) {
            throw Op.error(node, op, "kernel " + axis + " " + effectiveKernel + " is larger than the padded input "
                    + axis + " " + padded + " (input " + in + " + padding " + padBegin + "+" + padEnd + ")");
        }
        int out = outputSize(in, kernel, stride, padBegin, padEnd, dilation, ceilMode);
        if (out <= 0) throw Op.error(node, op, "output " + axis + " would be " + out + " (input " + in + ")");
        return out;
    }
}
