package googlenet.kernels;

/**
 * Where a float32 activation tensor lives in a session's arena, in the blocked layout NCHWc:
 * {@code [N][C/c][H][W][c]}, {@code c = Blocking.LANES}, channels past {@code channels} zero in the last
 * block. All offsets and strides are in bytes. Blocks and rows are contiguous, images are
 * {@code imageStride} apart: a view of channel blocks {@code [k, k+m)} of a larger tensor (a concat
 * slice) keeps the larger tensor's image stride.
 */
public record BlockedTensor(long offset, int batch, int channels, int height, int width, long imageStride) {
    public BlockedTensor {
        if (batch < 1 || channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad blocked tensor " + batch + "×" + channels + "×" + height + "×" + width);
        }
        if (offset < 0 || imageStride < (long) Blocking.blocks(channels) * height * width * Blocking.LANES * Float.BYTES) {
            throw new IllegalArgumentException("bad offset " + offset + " or image stride " + imageStride);
        }
    }

    /** A dense tensor at {@code offset}: images back to back. */
    public static BlockedTensor dense(long offset, int batch, int channels, int height, int width) {
        return new BlockedTensor(offset, batch, channels, height, width, bytes(1, channels, height, width));
    }

    /** Bytes of a dense blocked tensor of this shape. */
    public static long bytes(int batch, int channels, int height, int width) {
        return (long) batch * Blocking.blocks(channels) * height * width * Blocking.LANES * Float.BYTES;
    }

    public int blocks() {
        return Blocking.blocks(channels);
    }

    public long blockStride() {
        return (long) height * width * Blocking.LANES * Float.BYTES;
    }

    public long rowStride() {
        return (long) width * Blocking.LANES * Float.BYTES;
    }

    public long pixelStride() {
        return (long) Blocking.LANES * Float.BYTES;
    }

    /** Byte offset of channel block {@code block}, row {@code y}, column {@code x} of image {@code n}. */
    public long at(int n, int block, int y, int x) {
        return offset + n * imageStride + block * blockStride() + y * rowStride() + x * pixelStride();
    }

    /** Channel blocks {@code [firstBlock, firstBlock + channels/c)} as a tensor of their own (a concat slice). */
    public BlockedTensor slice(int firstBlock, int sliceChannels) {
        return new BlockedTensor(offset + firstBlock * blockStride(), batch, sliceChannels, height, width, imageStride);
    }

    /** Highest byte this view touches, plus one. */
    public long end() {
        return offset + (batch - 1) * imageStride + blocks() * blockStride();
    }

    /** Whether {@code other} has this view's batch, channels, height and width (wherever it lies). */
    public boolean sameShape(BlockedTensor other) {
        return batch == other.batch && channels == other.channels && height == other.height && width == other.width;
    }

    /** Whether this view's bytes {@code [offset, end())} and {@code other}'s meet. */
    public boolean overlaps(BlockedTensor other) {
        return offset < other.end() && other.offset < end();
    }

    /** Channels × height × width, as kernels describe themselves: "64×56×56". */
    public String dims() {
        return channels + "×" + height + "×" + width;
    }
}
