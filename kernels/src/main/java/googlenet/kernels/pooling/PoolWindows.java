package googlenet.kernels.pooling;

import googlenet.kernels.BlockedTensor;

/**
 * Where the window of every output row and column of a pooling lies in its input, computed once by the factory: output
 * (oy, ox) covers input rows {@code [firstRow[oy], endRow[oy])} and columns {@code [firstColumn[ox], endColumn[ox])},
 * clamped to the input (empty when the window lies wholly in the padding), and an average divides by
 * {@code rowCount[oy] · columnCount[ox]}. The kernels read these in their row and column loops, never in a window's.
 */
final class PoolWindows {
    final int[] firstRow;
    final int[] endRow;
    final int[] rowCount;
    final int[] firstColumn;
    final int[] endColumn;
    final int[] columnCount;

    private PoolWindows(Axis rows, Axis columns) {
        this.firstRow = rows.first;
        this.endRow = rows.end;
        this.rowCount = rows.count;
        this.firstColumn = columns.first;
        this.endColumn = columns.end;
        this.columnCount = columns.count;
    }

    /**
     * The windows of a max or average pooling (PyTorch's divisor rule, see {@link AvgPool}): a count includes the
     * padding (only the padding up to the padded input's edge) when {@code countIncludePad}, else only input pixels.
     */
    static PoolWindows strided(PoolWindow g, BlockedTensor in, BlockedTensor out, boolean countIncludePad) {
        return new PoolWindows(
                Axis.strided(out.height(), in.height(), g.kernelH(), g.strideH(), g.padTop(), g.padBottom(),
                        countIncludePad),
                Axis.strided(out.width(), in.width(), g.kernelW(), g.strideW(), g.padLeft(), g.padRight(),
                        countIncludePad));
    }

    /**
     * The windows of an adaptive average pooling: output row i covers input rows {@code [floor(i·H/outH),
     * ceil((i+1)·H/outH))}, columns likewise, and counts what it covers.
     */
    static PoolWindows adaptive(BlockedTensor in, BlockedTensor out) {
        return new PoolWindows(Axis.adaptive(out.height(), in.height()), Axis.adaptive(out.width(), in.width()));
    }

    /** One axis: each output index's first and end input index and its count. */
    private record Axis(int[] first, int[] end, int[] count) {
        Axis(int outputs) {
            this(new int[outputs], new int[outputs], new int[outputs]);
        }

        static Axis strided(int outputs, int size, int kernel, int stride, int padBefore, int padAfter,
                            boolean countPadding) {
            Axis a = new Axis(outputs);
            for (int o = 0; o < outputs; o++) {
                int start = o * stride - padBefore;
                int stop = Math.min(start + kernel, size + padAfter);
                a.first[o] = Math.max(start, 0);
                a.end[o] = Math.min(stop, size);
                a.count[o] = countPadding ? Math.max(stop - start, 0) : Math.max(a.end[o] - a.first[o], 0);
            }
            return a;
        }

        static Axis adaptive(int outputs, int size) {
            Axis a = new Axis(outputs);
            for (int o = 0; o < outputs; o++) {
                a.first[o] = Math.floorDiv(o * size, outputs);
                a.end[o] = Math.ceilDiv((o + 1) * size, outputs);
                a.count[o] = a.end[o] - a.first[o];
            }
            return a;
        }
    }
}
