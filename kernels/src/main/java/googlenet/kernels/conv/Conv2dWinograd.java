package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A 3×3 stride-1 convolution by Winograd F(4×4, 3×3): 36 multiplies per 4×4 output tile and channel pair instead of
 * 144. The output is cut into 4×4 tiles (6×6 input windows, overlapping by 2); per tile and input block
 * {@code V = Bᵀ·d·B}; per position ξ of the 36 the tiles' {@code V} times the transformed weights {@code U} (see
 * {@link WinogradWeights}), summed over the input channels in order — a batched matrix product, register-tiled as
 * 4 output blocks × {@link #P} tiles; then {@code Y = Aᵀ·M·A}, plus the bias, ReLU, stored into the output view (a
 * concat slice too), tiles at the right and bottom edges clipped. The transforms and the product are the
 * subclass's: the vector kernel and its scalar twin do the same float operations in the same order, so they agree
 * bitwise on any input.
 *
 * <p>Tasks: images × units of consecutive tiles (row-major, so by rows), and where the threads cannot share the units
 * evenly, × the weights' parts of the output blocks (one per thread of the plan: see {@link WinogradWeights}). Units
 * are as large as {@link #UNIT_BUDGET} allows (a whole 14×14 image: the weights, 4× the direct ones, come from memory),
 * in blocks of P tiles, and as many as a multiple of the threads when that keeps them within 25 % of each other: split
 * by rows, each thread transforms only its own tiles' input and writes whole pixels, which the next layer, split by
 * rows too, reads on the same core. Split by parts (a 14×14 image at batch 1 is only 3 blocks), a unit's input
 * transform is done once per part, and each weight of the part's groups is read once per unit. A task needs
 * {@link #scratchBytes()} of scratch: the unit's transformed inputs {@code V [ξ][k][icb][p][c]} (k: block of P tiles), the products {@code M [k][b][p][ξ][c]} of one output group, and
 * two 6×6 pixel buffers (the transforms' intermediate and a zero-padded input window for tiles that touch the
 * padding).
 */
abstract sealed class Conv2dWinograd implements Kernel permits Conv2dWinogradVector, Conv2dWinogradScalar {
    static final int C = Blocking.LANES;
    static final long PIX = (long) C * Float.BYTES;
    /** Tiles of one register tile of the product. */
    static final int P = 6;
    /**
     * Bytes of transformed inputs and products a unit may hold: within a 1 MB L2, and enough for a whole 14×14 image
     * (3 blocks of P tiles) at up to 192 input channels, so that such a layer streams its weights once.
     */
    private static final long UNIT_BUDGET = 768 * 1024;
    static final int XI = WinogradWeights.XI;
    static final int GROUP = WinogradWeights.GROUP;
    /** All of memory, addressed absolutely (see Conv2dVectorTiles#ALL); {@link #checkArena} checks the bounds. */
    static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /** 6×6 pixels of zeros: the input window of tiles past the end of a unit, and the padding's fill. */
    private static final MemorySegment ZEROS = Arena.global().allocate(XI * PIX, 64);

    final ConvGeometry g;
    final WinogradWeights w;
    /** {@code w.segment().address()}, a field: native or mapped weights alike (see Conv2dVector#weightsAddress). */
    private final long weightsAddress;
    final boolean relu;
    /** Stored values are {@code max(y, floor)}: 0 for ReLU, −∞ otherwise (the identity). */
    final float floor;
    final BlockedTensor in;
    final BlockedTensor out;
    private final long arenaBytes;
    private final int inBlocks;
    private final int tilesX;
    private final int tiles;
    private final int units;
    private final int tileBlocks;
    /** Blocks of P tiles of the largest unit; unit u holds blocks {@code [u·tileBlocks/units, (u+1)·tileBlocks/units)}. */
    private final int unitBlocks;
    private final int parts;
    /** Whether a task computes one part of the output blocks ({@code parts} tasks per unit) or all of them. */
    private final boolean byParts;
    private final long vBytes;
    private final long mBytes;

    Conv2dWinograd(ConvGeometry g, WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        if (!WinogradWeights.supports(g) || !w.geometry().equals(g)) {
            throw new IllegalArgumentException("Winograd convolution cannot run " + g + " with weights for " + w.geometry());
        }
        this.g = g;
        this.w = w;
        this.weightsAddress = w.segment().address();
        this.relu = relu;
        this.floor = relu ? 0f : Float.NEGATIVE_INFINITY;
        this.in = in;
        this.out = out;
        this.arenaBytes = Math.max(in.end(), out.end());
        this.inBlocks = in.blocks();
        this.tilesX = (out.width() + 3) / 4;
        this.tiles = (out.height() + 3) / 4 * tilesX;
        this.tileBlocks = (tiles + P - 1) / P;
        int maxBlocks = (int) Math.max(1, UNIT_BUDGET / ((long) XI * P * PIX * (inBlocks + GROUP)));
        int fewest = (tileBlocks + maxBlocks - 1) / maxBlocks;
        this.parts = w.parts();
        // Units shared evenly by the threads: more of them, or fewer and up to a quarter over the budget (28×28 at 128→192:
        // 2 units of 5 and 4 blocks rather than 3 of 3 blocks cut into parts).
        int more = Math.ceilDiv(fewest, parts) * parts;
        int fewer = fewest / parts * parts;
        int shared = even(more) ? more
                : fewer > 0 && Math.ceilDiv(tileBlocks, fewer) * 4 <= maxBlocks * 5 && even(fewer) ? fewer : 0;
        this.byParts = shared == 0 && (long) out.batch() * fewest < 4L * parts;
        this.units = shared > 0 ? shared : fewest;
        this.unitBlocks = Math.ceilDiv(tileBlocks, units);
        this.vBytes = (long) XI * unitBlocks * inBlocks * P * PIX;
        this.mBytes = (long) unitBlocks * GROUP * P * XI * PIX;
    }

    /** Whether the tile blocks split into {@code units} near-equal units within 25 % of each other. */
    private boolean even(int units) {
        return units <= tileBlocks && Math.ceilDiv(tileBlocks, units) * 4 <= tileBlocks / units * 5;
    }

    /**
     * {@code Bᵀ·d·B} of the 6×6 pixels at {@code src} (rows {@code rowStride} apart, pixels {@link #PIX}), each a
     * vector of c channels, into the 36 positions {@code v + ξ·xiStride}; {@code temp} holds 36 pixels.
     */
    final void inputTile(long src, long rowStride, long v, long xiStride, long temp) {
        for (int c = 0; c < 6; c++) {
            inputColumn(src + c * PIX, rowStride, temp + c * PIX, 6 * PIX);
        }
        for (int r = 0; r < 6; r++) {
            inputColumn(temp + r * 6 * PIX, PIX, v + r * 6 * xiStride, xiStride);
        }
    }

    /** {@code Bᵀ·d} of 6 pixels {@code ss} bytes apart, into 6 pixels {@code ds} apart. */
    abstract void inputColumn(long src, long ss, long dst, long ds);

    /**
     * One position's product for P tiles × {@code blocks} output blocks (1–4): {@code M[b][p] = Σ_ic V[p][ic]·U[ic][b]}
     * over {@code icBlocks·c} input channels in order, starting from zero. {@code V[p][ic]} is at
     * {@code v + (ic / c)·P·PIX + p·PIX + (ic % c)·4}, the c lanes of {@code U[ic][b]} at
     * {@code u + (ic·blocks + b)·PIX}; {@code M[b][p]} goes to {@code m + (b·P + p)·XI·PIX}.
     */
    abstract void multiply(long v, long u, long m, int icBlocks, int blocks);

    /**
     * {@code Aᵀ·M·A} of the 36 pixels at {@code m} (position ξ at {@code m + ξ·PIX}), plus the c lanes of the bias at
     * {@code bias}, then {@code max(·, floor)}: the first {@code rows × cols} pixels of the 4×4 result are stored at
     * {@code dst} (rows {@code rowStride} apart). {@code temp} holds 24 pixels.
     */
    final void outputTile(long m, long bias, long dst, long rowStride, int rows, int cols, long temp) {
        for (int c = 0; c < 6; c++) {
            outputColumn(m + c * PIX, 6 * PIX, temp + c * PIX, 6 * PIX);
        }
        for (int r = 0; r < rows; r++) {
            outputRow(temp + r * 6 * PIX, bias, dst + r * rowStride, cols);
        }
    }

    /** {@code Aᵀ·m} of 6 pixels {@code ss} bytes apart, into 4 pixels {@code ds} apart. */
    abstract void outputColumn(long src, long ss, long dst, long ds);

    /**
     * {@code Aᵀ·m} of the 6 consecutive pixels at {@code src}, plus the bias, then {@code max(·, floor)}: the first
     * {@code cols} of the 4 pixels stored at {@code dst}.
     */
    abstract void outputRow(long src, long bias, long dst, int cols);

    /** "vector 4×6" or "scalar". */
    abstract String flavour();

    @Override
    public int tasks() {
        return out.batch() * units * (byParts ? parts : 1);
    }

    @Override
    public long scratchBytes() {
        return vBytes + mBytes + 2 * XI * PIX;
    }

    /** Runs one task with scratch of its own, allocated for the call: for tests and one-off use, not for plans. */
    @Override
    public void run(MemorySegment arena, int task) {
        try (Arena a = Arena.ofConfined()) {
            run(arena, task, a.allocate(scratchBytes(), 64));
        }
    }

    @Override
    public void run(MemorySegment arena, int task, MemorySegment scratch) {
        checkArena(arena, scratch);
        int taskParts = byParts ? parts : 1;
        int part = task % taskParts; // tasks by image, then rows (units), then output blocks: see WorkerPool
        int rest = task / taskParts;
        int unit = rest % units;
        int n = rest / units;
        int firstBlock = (int) ((long) unit * tileBlocks / units);
        int blocks = (int) ((long) (unit + 1) * tileBlocks / units) - firstBlock;
        int t0 = firstBlock * P;
        int count = Math.min(blocks * P, tiles - t0);
        long base = arena.address();
        long v = scratch.address();
        long m = v + vBytes;
        long temp = m + mBytes;
        long patch = temp + XI * PIX;
        long vXi = (long) unitBlocks * inBlocks * P * PIX;

        long inImage = base + in.offset() + n * in.imageStride();
        for (int i = 0; i < blocks * P; i++) {
            long vTile = v + ((long) (i / P) * inBlocks * P + i % P) * PIX;
            for (int icb = 0; icb < inBlocks; icb++, vTile += P * PIX) {
                if (i >= count) {
                    inputTile(ZEROS.address(), 6 * PIX, vTile, vXi, temp);
                } else {
                    int t = t0 + i;
                    inputWindow(inImage + icb * in.blockStride(), t / tilesX * 4 - g.padTop(),
                            t % tilesX * 4 - g.padLeft(), vTile, vXi, temp, patch);
                }
            }
        }

        long weights = weightsAddress;
        long outImage = base + out.offset() + n * out.imageStride();
        int lastGroup = w.partFirst(byParts ? part + 1 : parts);
        for (int group = w.partFirst(byParts ? part : 0); group < lastGroup; group++) {
            int ob = w.blocks(group);
            long u = weights + w.groupOffset(group);
            for (int xi = 0; xi < XI; xi++, u += w.xiStride(group)) {
                for (int k = 0; k < blocks; k++) {
                    multiply(v + xi * vXi + (long) k * inBlocks * P * PIX, u,
                            m + ((long) k * GROUP * P * XI + xi) * PIX, inBlocks, ob);
                }
            }
            for (int b = 0; b < ob; b++) {
                int ocb = w.firstBlock(group) + b;
                long bias = weights + w.biasOffset() + ocb * PIX;
                for (int i = 0; i < count; i++) {
                    int t = t0 + i;
                    int oy = t / tilesX * 4;
                    int ox = t % tilesX * 4;
                    long mTile = m + (((long) (i / P) * GROUP + b) * P + i % P) * XI * PIX;
                    outputTile(mTile, bias, outImage + ocb * out.blockStride() + oy * out.rowStride() + ox * PIX,
                            out.rowStride(), Math.min(4, out.height() - oy), Math.min(4, out.width() - ox), temp);
                }
            }
        }
    }

    /**
     * Transforms the 6×6 window with top-left input pixel {@code (iy, ix)} of one input block at {@code block}: in
     * place when it lies inside the input, else copied with zeros for the padding into {@code patch} first.
     */
    private void inputWindow(long block, int iy, int ix, long v, long xiStride, long temp, long patch) {
        int h = in.height();
        int wd = in.width();
        long rowStride = in.rowStride();
        if (iy >= 0 && ix >= 0 && iy + 6 <= h && ix + 6 <= wd) {
            inputTile(block + iy * rowStride + ix * PIX, rowStride, v, xiStride, temp);
            return;
        }
        MemorySegment.copy(ZEROS, 0, ALL, patch, XI * PIX);
        int x0 = Math.max(ix, 0);
        int x1 = Math.min(ix + 6, wd);
        for (int r = Math.max(0, -iy); r < 6 && iy + r < h; r++) {
            if (x1 > x0) {
                MemorySegment.copy(ALL, block + (iy + r) * rowStride + x0 * PIX, ALL,
                        patch + (r * 6L + x0 - ix) * PIX, (x1 - x0) * PIX);
            }
        }
        inputTile(patch, 6 * PIX, v, xiStride, temp);
    }

    /** The kernel addresses memory absolutely: the arena must be native and hold its tensors, the scratch its bytes. */
    private void checkArena(MemorySegment arena, MemorySegment scratch) {
        if (!arena.isNative() || arena.byteSize() < arenaBytes) {
            throw new IllegalArgumentException("Winograd convolution needs a native arena of at least " + arenaBytes
                    + " bytes (its input and output tensors); got " + (arena.isNative() ? "" : "a heap segment of ")
                    + arena.byteSize() + " bytes");
        }
        if (!scratch.isNative() || scratch.byteSize() < scratchBytes()) {
            throw new IllegalArgumentException("Winograd convolution needs " + scratchBytes()
                    + " bytes of native scratch; got " + scratch.byteSize());
        }
    }

    @Override
    public String describe() {
        return "conv 3×3/1 " + g.inChannels() + "→" + g.outChannels() + (relu ? " +relu" : "") + " winograd F(4×4,3×3) "
                + flavour() + ", " + tasks() + " tasks" + (byParts ? " by part" : "");
    }
}
