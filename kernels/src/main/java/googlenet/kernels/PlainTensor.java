package googlenet.kernels;

/**
 * Where a plain NCHW float32 tensor lives in a session's arena: {@code [N][C][H][W]}, dense, at byte offset
 * {@code offset}. The network's input is one (the session copies the caller's values there); a first convolution of
 * at most {@link Blocking#LANES} channels reads it as it is, instead of a packed copy.
 */
public record PlainTensor(long offset, int batch, int channels, int height, int width) {
    public PlainTensor {
        if (batch < 1 || channels < 1 || height < 1 || width < 1 || offset < 0) {
            throw new IllegalArgumentException("bad plain tensor " + batch + "×" + channels + "×" + height + "×" + width
                    + " at " + offset);
        }
    }

    public long planeBytes() {
        return (long) height * width * Float.BYTES;
    }

    public long imageStride() {
        return channels * planeBytes();
    }

    public long rowStride() {
        return (long) width * Float.BYTES;
    }

    /** Highest byte this tensor occupies, plus one. */
    public long end() {
        return offset + batch * imageStride();
    }
}
