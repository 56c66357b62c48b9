package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PixelTiledShape;
import googlenet.kernels.PixelTiles;


/**
 * Copies a blocked tensor into channels {@code [k, k + C)} of another blocked tensor of the same batch and H×W,
 * for any {@code k}: the fallback when a concat slice is not block-aligned, so lanes shift across blocks. Lanes of
 * the destination outside {@code [k, k + C)} are left untouched (another producer's channels), except padding
 * lanes (≥ the destination's channel count) of the blocks it touches, which it writes as 0.
 * <p>
 * The factory of {@link ChannelCopyScalar} and {@link ChannelCopyVector}. Tasks: images × pixel tiles × destination
 * blocks touched ({@link PixelTiles}).
 */
public final class ChannelCopy {
    private static final int PIXELS_PER_TASK = 4096;

    private ChannelCopy() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor src, BlockedTensor dst, int channelOffset) {
        Params p = new Params(src, dst, channelOffset);
        return Blocking.VECTOR ? VectorFactory.create(p) : new ChannelCopyScalar(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor src, BlockedTensor dst, int channelOffset) {
        return new ChannelCopyScalar(new Params(src, dst, channelOffset));
    }

    /** What the two kernels share: the tensors and the offset, checked, and the task split. */
    record Params(BlockedTensor src, BlockedTensor dst, int k, int firstBlock, PixelTiles tiles)
            implements PixelTiledShape {
        /** {@code k}: the channel offset; {@code firstBlock}: the first destination block the copy touches. */
        Params(BlockedTensor src, BlockedTensor dst, int channelOffset) {
            if (src == null || dst == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (src.batch() != dst.batch() || src.height() != dst.height() || src.width() != dst.width()) {
                throw new IllegalArgumentException("channel copy: batch or spatial size differ");
            }
            if (channelOffset < 0 || channelOffset + src.channels() > dst.channels()) {
                throw new IllegalArgumentException("channels [" + channelOffset + ", " + (channelOffset
                        + src.channels()) + ") do not fit in " + dst.channels());
            }
            if (src.overlaps(dst)) {
                throw new IllegalArgumentException("channel copy source overlaps its destination");
            }
            int firstBlock = channelOffset / Blocking.LANES;
            int touched = (channelOffset + src.channels() - 1) / Blocking.LANES - firstBlock + 1;
            this(src, dst, channelOffset, firstBlock,
                    PixelTiles.of(src.batch(), src.height(), src.width(), touched, PIXELS_PER_TASK));
        }

        @Override
        public String describe() {
            return "channel copy " + src.channels() + " → [" + k + ", " + (k + src.channels()) + ") of "
                    + dst.channels();
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(Params p) {
            return new ChannelCopyVector(p);
        }
    }
}
