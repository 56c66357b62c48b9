package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.SpatialTasks;

/**
 * What the scalar and the vector kernel of a pooling family share: the family's words ("maxpool 3×3 /2×2 pad
 * [0,0,1,1]"), the tensors (checked: same batch and channels), the fused ReLU, the windows, and the task split, images
 * × tiles of {@code rowsPerTile} output rows × channel blocks.
 */
record PoolShape(String what, BlockedTensor in, BlockedTensor out, boolean relu, PoolWindows windows, int rowsPerTile,
                 SpatialTasks tasks) implements FamilyKernel.Shape {
    /**
     * For max and average pooling, a window moving {@code strideH} rows per output row (see
     * {@link PoolSupport#rowsPerTile(int, int, int)}; {@code countIncludePad}: see {@link PoolWindows#strided}).
     */
    static PoolShape windowed(String what, BlockedTensor in, BlockedTensor out, boolean relu, PoolWindow window,
                              boolean countIncludePad) {
        PoolSupport.checkPair(in, out);
        return of(what, in, out, relu, PoolWindows.strided(window, in, out, countIncludePad),
                PoolSupport.rowsPerTile(out.height(), out.width(), window.strideH()));
    }

    /** For adaptive and global pooling (see {@link PoolSupport#rowsPerTile(int, int)}). */
    static PoolShape adaptive(String what, BlockedTensor in, BlockedTensor out, boolean relu) {
        PoolSupport.checkPair(in, out);
        return of(what, in, out, relu, PoolWindows.adaptive(in, out),
                PoolSupport.rowsPerTile(out.height(), out.width()));
    }

    private static PoolShape of(String what, BlockedTensor in, BlockedTensor out, boolean relu, PoolWindows windows,
                                int rowsPerTile) {
        return new PoolShape(what, in, out, relu, windows, rowsPerTile,
                new SpatialTasks(in.batch(), Math.ceilDiv(out.height(), rowsPerTile), in.blocks()));
    }

    /** The first output row of row tile {@code part}. */
    int firstRow(int part) {
        return part * rowsPerTile;
    }

    /** One past the last output row of row tile {@code part}. */
    int endRow(int part) {
        return Math.min(out.height(), (part + 1) * rowsPerTile);
    }

    /** The family's words and the shapes: "maxpool 3×3 … 64×112×112 → 56×56 +relu". */
    @Override
    public String describe() {
        return what + " " + in.dims() + " → " + out.height() + "×" + out.width() + (relu ? " +relu" : "");
    }
}
