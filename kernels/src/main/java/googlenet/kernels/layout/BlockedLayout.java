package googlenet.kernels.layout;

import googlenet.kernels.Blocking;
import googlenet.kernels.BlockedTensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Moves tensors between plain NCHW float arrays and the blocked NCHWc layout in a segment. Channels past
 * the tensor's count in its last block are written as zeros, which every kernel relies on.
 */
public final class BlockedLayout {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private BlockedLayout() {
    }

    /** Writes NCHW {@code src} (batch × channels × height × width of {@code dst}) into {@code dst}. */
    public static void pack(float[] src, MemorySegment segment, BlockedTensor dst) {
        int c = Blocking.LANES;
        int hw = dst.height() * dst.width();
        if (src.length != (long) dst.batch() * dst.channels() * hw) {
            throw new IllegalArgumentException("pack: source has " + src.length + " floats, view needs "
                    + (long) dst.batch() * dst.channels() * hw);
        }
        for (int n = 0; n < dst.batch(); n++) {
            for (int b = 0; b < dst.blocks(); b++) {
                long base = dst.at(n, b, 0, 0);
                for (int p = 0; p < hw; p++) {
                    for (int lane = 0; lane < c; lane++) {
                        int ch = b * c + lane;
                        float v = ch < dst.channels() ? src[(n * dst.channels() + ch) * hw + p] : 0f;
                        segment.set(FLOAT, base + ((long) p * c + lane) * Float.BYTES, v);
                    }
                }
            }
        }
    }

    /** Reads {@code src} back as a new NCHW array (padding lanes dropped). */
    public static float[] unpack(MemorySegment segment, BlockedTensor src) {
        int c = Blocking.LANES;
        int hw = src.height() * src.width();
        float[] out = new float[src.batch() * src.channels() * hw];
        for (int n = 0; n < src.batch(); n++) {
            for (int ch = 0; ch < src.channels(); ch++) {
                long base = src.at(n, ch / c, 0, 0) + (long) (ch % c) * Float.BYTES;
                for (int p = 0; p < hw; p++) {
                    out[(n * src.channels() + ch) * hw + p] = segment.get(FLOAT, base + (long) p * c * Float.BYTES);
                }
            }
        }
        return out;
    }
}
