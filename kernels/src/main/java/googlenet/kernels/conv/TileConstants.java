package googlenet.kernels.conv;

/**
 * What the register tiles ({@link Conv2dVectorTiles}, {@link CompactTiles}) read besides their arguments, fixed when
 * a vector convolution is built: where its weights are and how far apart their output blocks lie, how far apart its
 * input's pixels and channels and its output's blocks lie, the real channels of its last input block, and the floor
 * of its epilogue. A final class of final fields rather than a record: the tiles read each as one field load, as they
 * read the kernel's fields before, not through accessor calls, which C2 may leave out of a tile that has reached its
 * inlining budget.
 */
final class TileConstants {
    /**
     * The weights' address: they may be native memory or a mapped file (the engine's weight cache), and a tile calling
     * {@code address()} on both kinds went back to the interpreter once C2 had compiled it for one.
     */
    final long weightsAddress;
    /** Bytes from one output block's weights to the next. */
    final long weightBlockStride;
    /**
     * Bytes from an input pixel to the next and from a channel to the next: c floats and one (NCHWc), or one and a
     * plane (plain NCHW). The partial tiles read them; the full tiles use the blocked constants.
     */
    final long inPixelBytes;
    final long inChannelBytes;
    /** Bytes from one output block to the next. */
    final long outBlockStride;
    /** Real channels of the last input block: the partial tiles' channel steps per tap. */
    final int lastBlockChannels;
    /** The tiles store {@code max(sum, floor)}: 0 for ReLU, −∞ (the identity, even for −0 and NaN) otherwise. */
    final float floor;

    TileConstants(long weightsAddress, long weightBlockStride, long inPixelBytes, long inChannelBytes,
                  long outBlockStride, int lastBlockChannels, float floor) {
        this.weightsAddress = weightsAddress;
        this.weightBlockStride = weightBlockStride;
        this.inPixelBytes = inPixelBytes;
        this.inChannelBytes = inChannelBytes;
        this.outBlockStride = outBlockStride;
        this.lastBlockChannels = lastBlockChannels;
        this.floor = floor;
    }
}
