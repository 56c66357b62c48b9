package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;

import java.lang.foreign.MemorySegment;

/**
 * Shared bookkeeping of the pooling kernels: argument checks and the task split (images × output-row tiles ×
 * channel blocks), which depends only on the shapes, never on the thread count.
 */
final class PoolSupport {
    /** Output pixels per task, roughly: enough work to amortize a task hand-off. */
    private static final int PIXELS_PER_TASK = 512;

    private PoolSupport() {
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static void checkPair(BlockedTensor in, BlockedTensor out) {
        check(in != null && out != null, "tensors must not be null");
        check(in.batch() == out.batch(), "batch differs: " + in.batch() + " vs " + out.batch());
        check(in.channels() == out.channels(), "channels differ: " + in.channels() + " vs " + out.channels());
    }

    /**
     * Output rows per task for an output of {@code outH × outW}; at most half of them for a stride-1 pool. Those are the
     * Inception pool branches, whose 1×1 convolution after them is split by rows: where a 14×14 or 7×7 pool was one row
     * tile (its tasks by channel block), each thread of two wrote half the channels of every pixel and the convolution
     * then read half its input from the other core; in halves by rows it reads its own (d2l on two threads, the four
     * steps of each pool branch together, from the first five blocks: 83 µs less per image).
     */
    static int rowsPerTile(int outH, int outW, int stride) {
        int rows = rowsPerTile(outH, outW);
        return stride == 1 ? Math.min(rows, Math.ceilDiv(outH, 2)) : rows;
    }

    /**
     * Output rows per task for an output of {@code outH × outW}: up to {@link #PIXELS_PER_TASK} pixels, the row tiles
     * as even as their count allows (28 rows as 14 + 14, not 18 + 10: on two threads, torchvision's 56×56 → 28×28
     * pool 72 → 56 µs and the convolution after it 64 → 56 µs).
     */
    static int rowsPerTile(int outH, int outW) {
        int rows = Math.max(1, Math.min(outH, PIXELS_PER_TASK / Math.max(1, outW)));
        return Math.ceilDiv(outH, Math.ceilDiv(outH, rows));
    }

    /** Writes the value of an output pixel whose window holds no input: {@code value} in real lanes, 0 in padding. */
    static void storeEmpty(MemorySegment arena, long at, int realLanes, float value) {
        for (int lane = 0; lane < Blocking.LANES; lane++) {
            arena.set(FamilyKernel.FLOAT, at + (long) lane * Float.BYTES, lane < realLanes ? value : 0f);
        }
    }

    /** Reference ReLU: {@code v > 0 ? v : +0}, NaN stays NaN. */
    static float relu(float v) {
        return v > 0 || v != v ? v : 0f;
    }

    /** Lanes of block {@code block} that hold real channels. */
    static int realLanes(int channels, int block) {
        return Math.min(Blocking.LANES, channels - block * Blocking.LANES);
    }
}
