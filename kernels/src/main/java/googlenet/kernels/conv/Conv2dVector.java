package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Direct convolution on the Vector API with register tiles (see {@link Conv2dVectorTiles}): up to 4 output-channel
 * blocks × up to 5–12 output pixels of one row (2–6 below 16 lanes: AVX2 has 16 registers, not 32) held in local
 * accumulators over all input channels and taps, bias and ReLU fused, one store. Output blocks are split into groups of at most 4 (as even as possible: 6 → 3 + 3);
 * each row is split into border pixels (windows touching the left or right padding, one pixel per tile with its
 * own tap range) and interior tiles with no padding checks, of only two widths (the largest and one less, see
 * {@link #interiorTiles}) so that few tile methods exist and each gets hot and C2-compiled early; rows whose windows
 * touch the top or bottom padding just shorten the ky range. One-pixel tiles run in pairs with the same taps (see
 * {@link Conv2dVectorTiles}: each weight then serves two pixels; alone, a border pixel is bound by reading its weights
 * from L2): the same column of two consecutive rows with the same ky range (tasks hold whole pairs of rows), else two
 * neighbours in a row with the same kx range. A 1×1 stride-1 unpadded convolution treats the whole image as one long row. Tasks: images × chunks of rows (or of tiles for a long row) × output-block groups, fixed at build, the groups outside the rows where the weights outweigh an input image (see {@link #groupsFirst}).
 */
final class Conv2dVector implements Kernel {
    private static final int C = Blocking.LANES;
    private static final long PIX = (long) C * Float.BYTES;
    /** About this many mult-adds per task at least (some microseconds on one core). */
    private static final long TASK_MULT_ADDS = 1L << 18;
    /** At most this many tasks per convolution. */
    private static final int MAX_TASKS = 64;

    /** What the tiles read besides their arguments. */
    private final TileConstants tiles;
    /**
     * The weights the tiles read by address: held here so that a dense copy (see the constructor), in an automatic
     * arena, lives as long as the kernel.
     */
    private final MemorySegment weights;
    /** Bytes from one tap's weights to the next: c × c floats, or last × c when repacked densely (see below). */
    private final long tapBytes;
    private final long weightBlockStride;
    private final long weightInBlockStride;
    private final long inBlockStride;
    private final long inRowStride;
    /** Bytes from an input pixel to the next: c floats (NCHWc) or one (plain NCHW). */
    private final long inPixelBytes;
    private final long outBlockStride;
    private final int kernelW;
    /** From a pixel's input to the one of the pixel one output row below, and the same for the output. */
    private final long pairInStride;
    private final long pairOutStride;
    private final int inBlocks;
    private final int lastBlockChannels;
    private final boolean relu;
    /**
     * Whether the tiles loop over the real channels only: for a single partial input block (the RGB stem) and for plain
     * NCHW input. With more blocks, the full tiles also read the last block whole: its padding lanes are zero in the
     * input and the weights, and one long linear run per kernel row is faster than short per-channel runs (and keeps
     * the tile set small).
     */
    private final boolean partial;

    private final ConvGeometry g;
    private final ConvInput in;
    private final BlockedTensor out;
    /** Bytes the arena must hold: the tiles address it directly, unchecked (see Conv2dVectorTiles), so run checks. */
    private final long arenaBytes;
    private final long biasOffset;
    private final boolean longRow;
    private final int stride;
    private final int[] groupFirst;
    private final int[] groupSize;
    private final int chunks;
    /**
     * Whether tasks go by output-channel group before rows: when the weights outweigh an input image (the 3×3 and 5×5
     * layers at 7×7 and 14×14). Rows first, every thread cycles all the weights (up to 2.6 MB) through its L2 once per
     * row chunk; groups first, each thread reads its groups' weights only, from L2 after the first chunk, and the other
     * core's rows of the (smaller) input instead. Not for a 1×1 long row: there the other core's half of a 7×7 input
     * cost more than the weights saved (measured: 832→128 at 7×7 on two threads 52 → 80 µs).
     */
    private final boolean groupsFirst;
    // Per output-block count (index 1..4): the tiles of a row: first pixel, pixel count, tap columns [kxLo, kxHi).
    private final int[][] tileX;
    private final int[][] tileLen;
    private final int[][] tileKxLo;
    private final int[][] tileKxHi;
    /**
     * Per tap range ({@link #runKey}), the taps whose channel steps (C each; the real channels for a single partial
     * input block, on its dense weights) the tile runs in one loop
     * (entered once per tile, not once per input block and kernel row: C2's loop-entry code costs as much as several
     * steps): pairs (input byte offset from tap (0, 0) of the tile's first pixel in input block 0, weight byte offset
     * from the group's first tap), one per tap in range of each input block, in the order input block, ky, kx — with
     * the channels inside, the summation order of the scalar kernel. Built here for every tap range the tiles use.
     */
    private final long[][] runs;
    /** The tile codes ({@link Conv2dVectorTiles#code}) {@link #run} calls, ascending. */
    private final int[] codes;
    /** Whether the tiles run as {@link CompactTiles}: the same bits, compiled in milliseconds, slower. */
    private final boolean compact;

    /** Whether the vector kernel handles this geometry (one group, no dilation, horizontal stride 1 or 2). */
    static boolean supports(ConvGeometry g) {
        return g.groups() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.strideW() <= 2;
    }

    Conv2dVector(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        this(g, w, relu, in, out, false);
    }

    Conv2dVector(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out, boolean compact) {
        this(g, w, relu, ConvInput.of(in), out, compact);
    }

    Conv2dVector(ConvGeometry g, PackedConvWeights w, boolean relu, ConvInput in, BlockedTensor out, boolean compact) {
        this.compact = compact;
        if (!supports(g)) {
            throw new IllegalArgumentException("vector convolution cannot run " + g);
        }
        Blocking.requireLanes(Conv2dVectorTiles.C, "vector convolution");
        this.g = g;
        this.in = in;
        this.out = out;
        this.arenaBytes = Math.max(in.end(), out.end());
        this.relu = relu;
        this.inBlocks = in.blocks();
        this.lastBlockChannels = in.channels() - (inBlocks - 1) * C;
        this.partial = inBlocks == 1 && (lastBlockChannels != C || in.plain());
        if (partial) {
            // One partial input block (the RGB stem), or plain input: keep only the weight rows of real channels, so
            // that a tile's weights are dense (37 KB for the stem, not 4 × 49 KB strided 1 KB apart, which thrashes L1 sets).
            int kh = g.kernelH();
            int kw = g.kernelW();
            int ocb = out.blocks();
            long tap = lastBlockChannels * PIX;
            long block = kh * kw * tap;
            MemorySegment dense = Arena.ofAuto().allocate(ocb * block + ocb * PIX, 64);
            for (int b = 0; b < ocb; b++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        MemorySegment.copy(w.segment(), w.blockOffset(b, 0, ky, kx), dense,
                                b * block + (ky * kw + kx) * tap, tap);
                    }
                }
            }
            MemorySegment.copy(w.segment(), w.biasOffset(), dense, ocb * block, ocb * PIX);
            this.weights = dense;
            this.biasOffset = ocb * block;
            this.tapBytes = tap;
            this.weightBlockStride = block;
            this.weightInBlockStride = block;
        } else {
            this.weights = w.segment();
            this.biasOffset = w.biasOffset();
            this.tapBytes = (long) C * PIX;
            this.weightBlockStride = w.blockOffset(1, 0, 0, 0);
            this.weightInBlockStride = w.blockOffset(0, 1, 0, 0);
        }
        this.inBlockStride = in.blockStride();
        this.inRowStride = in.rowStride();
        this.inPixelBytes = in.pixelBytes();
        this.outBlockStride = out.blockStride();
        this.tiles = new TileConstants(weights.address(), weightBlockStride, inPixelBytes, in.channelBytes(),
                outBlockStride, lastBlockChannels, relu ? 0f : Float.NEGATIVE_INFINITY);
        this.kernelW = g.kernelW();
        this.pairInStride = in.rowStride() * g.strideH();
        this.pairOutStride = out.rowStride();
        this.stride = g.strideW();
        this.longRow = g.kernelH() == 1 && g.kernelW() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.padTop() == 0 && g.padLeft() == 0 && g.padBottom() == 0 && g.padRight() == 0;

        int outBlocks = out.blocks();
        int groups = Math.ceilDiv(outBlocks, Conv2dVectorTiles.MAX_BLOCKS);
        groupFirst = new int[groups];
        groupSize = new int[groups];
        for (int i = 0, first = 0; i < groups; i++) {
            groupSize[i] = outBlocks / groups + (i < outBlocks % groups ? 1 : 0);
            groupFirst[i] = first;
            first += groupSize[i];
        }

        tileX = new int[5][];
        tileLen = new int[5][];
        tileKxLo = new int[5][];
        tileKxHi = new int[5][];
        // Rows go to tasks in whole pairs (see firstRow).
        int units = longRow ? Integer.MAX_VALUE : Math.ceilDiv(out.height(), 2);
        for (int ob : groupSize) {
            if (tileX[ob] == null) {
                planRow(ob);
                if (longRow) {
                    units = Math.min(units, tileX[ob].length);
                }
            }
        }
        runs = new long[(g.kernelH() + 1) * (g.kernelH() + 1) * (g.kernelW() + 1) * (g.kernelW() + 1)][];
        for (int oy = 0; oy < (longRow ? 1 : out.height()); oy++) {
            int kyLo = longRow ? 0 : rowKyLo(oy);
            int kyHi = longRow ? 1 : rowKyHi(oy);
            for (int ob = 1; ob <= 4; ob++) {
                if (tileX[ob] != null) {
                    for (int t = 0; t < tileX[ob].length; t++) {
                        int key = runKey(kyLo, kyHi, tileKxLo[ob][t], tileKxHi[ob][t]);
                        if (runs[key] == null) {
                            runs[key] = buildRuns(kyLo, kyHi, tileKxLo[ob][t], tileKxHi[ob][t]);
                        }
                    }
                }
            }
        }
        long multAdds = (long) out.batch() * g.multAdds(in.height(), in.width());
        long wanted = Math.clamp(multAdds / TASK_MULT_ADDS, 1, MAX_TASKS);
        long perImageGroup = (wanted + (long) out.batch() * groups - 1) / ((long) out.batch() * groups);
        this.chunks = Math.clamp(perImageGroup, 1, units);
        long weightBytes = (long) outBlocks * weightBlockStride;
        long imageBytes = in.plain() ? in.imageStride() : (long) inBlocks * in.height() * in.width() * PIX;
        this.groupsFirst = !longRow && weightBytes > imageBytes;
        boolean columnPairs = false;
        for (int chunk = 0; chunk < chunks && !longRow; chunk++) {
            for (int oy = firstRow(chunk); oy + 1 < firstRow(chunk + 1); oy++) {
                columnPairs |= samePairRows(oy);
            }
        }
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        for (int ob = 1; ob <= 4; ob++) {
            if (tileX[ob] != null) {
                for (int p : tileLen[ob]) {
                    used.add(Conv2dVectorTiles.code(partial, longRow ? 1 : stride, ob, p));
                }
                boolean singles = Arrays.stream(tileLen[ob]).anyMatch(p -> p == 1);
                if (!longRow && !partial && pairsFit(ob) && singles && (columnPairs || pairsWithinRow(ob))) {
                    used.add(Conv2dVectorTiles.pairCode(ob));
                }
            }
        }
        this.codes = used.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The first output row of task chunk {@code chunk} (for a chunk past the last: the output height): chunks hold
     * whole pairs of rows, so that the rows of a pair are in one task.
     */
    private int firstRow(int chunk) {
        return Math.min(out.height(), 2 * (int) ((long) chunk * Math.ceilDiv(out.height(), 2) / chunks));
    }

    /** Whether a row for {@code ob} output blocks has two neighbouring one-pixel tiles with the same kx range. */
    private boolean pairsWithinRow(int ob) {
        for (int t = 0; t + 1 < tileX[ob].length; t++) {
            if (pairsInRow(ob, t)) return true;
        }
        return false;
    }

    /** Whether tiles {@code t} and {@code t + 1} of a row for {@code ob} output blocks are one pixel with the same taps. */
    private boolean pairsInRow(int ob, int t) {
        return tileLen[ob][t] == 1 && tileLen[ob][t + 1] == 1 && tileKxLo[ob][t] == tileKxLo[ob][t + 1]
                && tileKxHi[ob][t] == tileKxHi[ob][t + 1];
    }

    /** Whether output rows {@code oy} and {@code oy + 1} have the same ky range, so their one-pixel tiles can pair. */
    private boolean samePairRows(int oy) {
        return !partial && rowKyLo(oy) == rowKyLo(oy + 1) && rowKyHi(oy) == rowKyHi(oy + 1);
    }

    /**
     * Whether pairs run for {@code ob} output blocks: their 4·ob accumulators fit the registers with 16 lanes
     * (AVX-512: 32); with fewer lanes (AVX2: 16 registers) up to 2 blocks.
     */
    private static boolean pairsFit(int ob) {
        return C >= 16 || ob <= 2;
    }

    private int rowKyLo(int oy) {
        return Math.max(0, g.padTop() - oy * g.strideH());
    }

    private int rowKyHi(int oy) {
        int iy = oy * g.strideH() - g.padTop();
        return Math.max(rowKyLo(oy), Math.min(g.kernelH(), in.height() - iy));
    }

    private int runKey(int kyLo, int kyHi, int kxLo, int kxHi) {
        int kh = g.kernelH() + 1;
        int kw = g.kernelW() + 1;
        return ((kyLo * kh + kyHi) * kw + kxLo) * kw + kxHi;
    }

    private long[] buildRuns(int kyLo, int kyHi, int kxLo, int kxHi) {
        long[] r = new long[2 * inBlocks * (kyHi - kyLo) * (kxHi - kxLo)];
        int i = 0;
        for (int icb = 0; icb < inBlocks; icb++) {
            for (int ky = kyLo; ky < kyHi; ky++) {
                for (int kx = kxLo; kx < kxHi; kx++) {
                    r[i++] = icb * inBlockStride + ky * inRowStride + kx * inPixelBytes;
                    r[i++] = icb * weightInBlockStride + ((long) ky * kernelW + kx) * tapBytes;
                }
            }
        }
        return r;
    }

    /** Splits one output row (or the long row) into tiles for {@code ob} output blocks. */
    private void planRow(int ob) {
        int maxPixels = Conv2dVectorTiles.MAX_PIXELS[ob];
        int width = longRow ? out.height() * out.width() : out.width();
        int kw = g.kernelW();
        int s = g.strideW();
        int pad = g.padLeft();
        int inW = in.width();
        int left = 0;
        while (left < width && left * s - pad < 0) {
            left++;
        }
        int right = width;
        while (right > left && (right - 1) * s - pad + kw > inW) {
            right--;
        }
        if (longRow) {
            left = 0;
            right = width;
        }
        int interior = right - left;
        int[] sizes = interiorTiles(interior, maxPixels, !longRow);
        int count = left + sizes.length + (width - right);
        int[] x = new int[count];
        int[] len = new int[count];
        int[] lo = new int[count];
        int[] hi = new int[count];
        int t = 0;
        for (int ox = 0; ox < left; ox++, t++) {
            x[t] = ox;
            len[t] = 1;
            lo[t] = Math.max(0, pad - ox * s);
            hi[t] = Math.clamp((long) inW - ox * s + pad, lo[t], kw);
        }
        for (int i = 0, start = left; i < sizes.length; i++, t++) {
            int n = sizes[i];
            // An overlapping last tile (see interiorTiles) starts early and recomputes some pixels, in the same order.
            x[t] = Math.min(start, right - n);
            len[t] = n;
            lo[t] = 0;
            hi[t] = kw;
            start += n;
        }
        for (int ox = right; ox < width; ox++, t++) {
            x[t] = ox;
            len[t] = 1;
            lo[t] = Math.clamp((long) pad - ox * s, 0, kw);
            hi[t] = Math.clamp((long) inW - ox * s + pad, lo[t], kw);
        }
        tileX[ob] = x;
        tileLen[ob] = len;
        tileKxLo[ob] = lo;
        tileKxHi[ob] = hi;
    }

    /**
     * Pixel counts of the interior tiles of a run of {@code n} pixels, only from the tiles that exist ({@code max},
     * {@code max − 1}, 1): the fewest tiles of {@code max} and {@code max − 1} that sum to {@code n}; failing that
     * (and if {@code overlap} allows), tiles of {@code max} whose last one overlaps the one before; else tiles of
     * {@code max} then single pixels.
     */
    static int[] interiorTiles(int n, int max, boolean overlap) {
        if (max == 1) {
            return filled(n, 0, 0);
        }
        for (int tiles = (n + max - 1) / max; tiles * (max - 1) <= n; tiles++) {
            // tiles · (max − 1) ≤ n ≤ tiles · max: n − tiles · (max − 1) tiles of max, the rest of max − 1.
            if (n <= tiles * max) {
                int big = n - tiles * (max - 1);
                int[] sizes = new int[tiles];
                for (int i = 0; i < tiles; i++) {
                    sizes[i] = i < big ? max : max - 1;
                }
                return sizes;
            }
        }
        if (overlap && n >= max) {
            int[] sizes = new int[(n + max - 1) / max];
            Arrays.fill(sizes, max);
            return sizes;
        }
        if (overlap && n >= max - 1) {
            int[] sizes = new int[(n + max - 2) / (max - 1)];
            Arrays.fill(sizes, max - 1);
            return sizes;
        }
        return filled(n % max, n / max, max);
    }

    /** {@code big} tiles of {@code max} pixels, then {@code ones} single pixels. */
    private static int[] filled(int ones, int big, int max) {
        int[] sizes = new int[big + ones];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = i < big ? max : 1;
        }
        return sizes;
    }

    /** The tile codes this kernel runs (see {@link Conv2dVectorTiles#code}). */
    int[] tileCodes() {
        return codes.clone();
    }

    /**
     * One call of the tile {@code code} over every tap of this kernel's first output pixels (for JIT warm-up on a
     * scratch kernel: see {@link Conv2dKernels#tileWarmUps}); {@code arena} holds this kernel's tensors.
     */
    void callTile(int code, MemorySegment arena) {
        checkArena(arena);
        int kh = g.kernelH();
        int kw = g.kernelW();
        Conv2dVectorTiles.tile(tiles, code, arena, in.offset(), 0, biasOffset, out.offset(), runs[runKey(0, kh, 0, kw)],
                pairInStride, pairOutStride);
    }

    @Override
    public int tasks() {
        return out.batch() * groupSize.length * chunks;
    }

    @Override
    public void run(MemorySegment arena, int task) {
        checkArena(arena);
        // Tasks by image, then rows and output-channel groups in the order groupsFirst says: see WorkerPool.
        int withinImage = task % (groupSize.length * chunks);
        int n = task / (groupSize.length * chunks);
        int group = groupsFirst ? withinImage / chunks : withinImage % groupSize.length;
        int chunk = groupsFirst ? withinImage % chunks : withinImage / groupSize.length;
        int ob = groupSize[group];
        int first = groupFirst[group];
        int[] x = tileX[ob];
        int[] len = tileLen[ob];
        long w = first * weightBlockStride;
        long bias = biasOffset + first * PIX;
        long inImage = in.offset() + n * in.imageStride();
        long outImage = out.offset() + n * out.imageStride() + first * outBlockStride;
        if (longRow) {
            int t0 = (int) ((long) chunk * x.length / chunks);
            int t1 = (int) ((long) (chunk + 1) * x.length / chunks);
            long[] longRuns = runs[runKey(0, 1, 0, 1)];
            for (int t = t0; t < t1; t++) {
                tile(Conv2dVectorTiles.code(partial, 1, ob, len[t]), arena, inImage + x[t] * inPixelBytes, w, bias,
                        outImage + x[t] * PIX, longRuns, 0, 0);
            }
            return;
        }
        int[] kxLo = tileKxLo[ob];
        int[] kxHi = tileKxHi[ob];
        int y0 = firstRow(chunk);
        int y1 = firstRow(chunk + 1);
        int kh = g.kernelH();
        int inH = in.height();
        long outRowStride = out.rowStride();
        boolean fit = pairsFit(ob);
        for (int oy = y0; oy < y1; ) {
            int iy = oy * g.strideH() - g.padTop();
            int kyLo = Math.max(0, -iy);
            int kyHi = Math.max(kyLo, Math.min(kh, inH - iy));
            int rowKey = runKey(kyLo, kyHi, 0, 0);
            long inRow = inImage + iy * inRowStride;
            long outRow = outImage + oy * outRowStride;
            boolean pair = fit && oy + 1 < y1 && samePairRows(oy);
            // A row pair's one-pixel tiles cover both rows; its other tiles run for each row. In a single row, two
            // neighbouring one-pixel tiles with the same taps pair.
            for (int row = 0; row < (pair ? 2 : 1); row++) {
                for (int t = 0; t < x.length; t++) {
                    long ix = (long) x[t] * stride - g.padLeft();
                    long inAt = inRow + row * pairInStride + ix * inPixelBytes;
                    long outAt = outRow + row * outRowStride + x[t] * PIX;
                    long[] taps = runs[rowKey + kxLo[t] * (kernelW + 1) + kxHi[t]];
                    if (pair && len[t] == 1) {
                        if (row == 0) {
                            tile(Conv2dVectorTiles.pairCode(ob), arena, inAt, w, bias, outAt, taps,
                                    pairInStride, pairOutStride);
                        }
                    } else if (!pair && fit && !partial && t + 1 < x.length && pairsInRow(ob, t)) {
                        long dx = x[t + 1] - x[t];
                        tile(Conv2dVectorTiles.pairCode(ob), arena, inAt, w, bias, outAt, taps,
                                dx * stride * PIX, dx * PIX);
                        t++;
                    } else {
                        tile(Conv2dVectorTiles.code(partial, stride, ob, len[t]), arena, inAt, w,
                                bias, outAt, taps, 0, 0);
                    }
                }
            }
            oy += pair ? 2 : 1;
        }
    }

    private void tile(int code, MemorySegment arena, long in, long w, long bias, long out, long[] taps, long pairIn,
                      long pairOut) {
        if (compact) {
            CompactTiles.tile(tiles, code, arena, in, w, bias, out, taps, pairIn, pairOut);
        } else {
            Conv2dVectorTiles.tile(tiles, code, arena, in, w, bias, out, taps, pairIn, pairOut);
        }
    }

    /**
     * The tiles read the input and write the output by absolute address (see Conv2dVectorTiles#ALL): the arena must be
     * native memory holding both tensors. Inside them, every address is the geometry's, checked by the tests.
     */
    private void checkArena(MemorySegment arena) {
        if (!arena.isNative() || arena.byteSize() < arenaBytes) {
            throw new IllegalArgumentException("vector convolution needs a native arena of at least " + arenaBytes
                    + " bytes (its input and output tensors); got " + (arena.isNative() ? "" : "a heap segment of ")
                    + arena.byteSize() + " bytes");
        }
    }

    @Override
    public String describe() {
        int ob = groupSize[0];
        return "conv " + g.kernelH() + "×" + g.kernelW() + "/" + g.strideH() + " " + g.inChannels() + "→" + g.outChannels()
                + (relu ? " +relu" : "") + (in.plain() ? " from NCHW" : "") + " vector " + ob + "×" + Conv2dVectorTiles.MAX_PIXELS[ob] + (compact ? " compact" : "") + " tile"
                + (longRow ? " long row" : "") + ", " + tasks() + " tasks" + (groupsFirst ? " by group" : "");
    }
}
