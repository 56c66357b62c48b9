package googlenet.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.BlockedLayout;
import googlenet.kernels.reference.ReferenceActivations;
import googlenet.kernels.reference.ReferenceConv2d;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Winograd F(4×4, 3×3) kernels: the vector one bitwise equal to its scalar twin on random floats (they do the
 * same operations in the same order), both within a bound derived from the transforms of the direct reference
 * convolution (computed in double), over every tail of the 4×4 tiles, paddings, partial channel blocks and output
 * groups, several units and chunks, and a concat slice with guards around it.
 */
class WinogradKernelsTest {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int C = Blocking.LANES;
    private static final float GUARD = -12345.5f;
    private static final int XI = WinogradWeights.XI;

    record Case(String name, ConvGeometry g, int batch, int h, int w, boolean bias, boolean relu, int before, int after,
                int parts) {
        Case(String name, ConvGeometry g, int batch, int h, int w, boolean bias, boolean relu) {
            this(name, g, batch, h, w, bias, relu, 0, 0, 1);
        }

        Case(String name, ConvGeometry g, int batch, int h, int w, boolean bias, boolean relu, int before, int after) {
            this(name, g, batch, h, w, bias, relu, before, after, 1);
        }

        Case parts(int parts) {
            return new Case(name, g, batch, h, w, bias, relu, before, after, parts);
        }

        @Override
        public String toString() {
            return name + " " + g.inChannels() + "→" + g.outChannels() + " pad " + g.padTop() + "," + g.padLeft() + ","
                    + g.padBottom() + "," + g.padRight() + " n" + batch + " " + h + "×" + w + (bias ? " bias" : "")
                    + (relu ? " relu" : "") + (before + after > 0 ? " slice" : "") + (parts > 1 ? " parts " + parts : "");
        }
    }

    private static ConvGeometry pad(int ic, int oc, int top, int left, int bottom, int right) {
        return new ConvGeometry(ic, oc, 3, 3, 1, 1, top, left, bottom, right, 1, 1, 1);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("googlenet b2", ConvGeometry.of(64, 192, 3, 1, 1), 1, 12, 12, true, true));
        cases.add(new Case("googlenet 4a", ConvGeometry.of(96, 208, 3, 1, 1), 1, 14, 14, true, true));
        cases.add(new Case("googlenet 5b", ConvGeometry.of(192, 384, 3, 1, 1), 1, 7, 7, true, true));
        cases.add(new Case("batch 2", ConvGeometry.of(32, 48, 3, 1, 1), 2, 9, 11, true, false));
        cases.add(new Case("several units", ConvGeometry.of(16, 16, 3, 1, 1), 3, 21, 19, true, true));
        cases.add(new Case("rgb", ConvGeometry.of(3, 20, 3, 1, 1), 1, 8, 5, true, false));
        cases.add(new Case("no pad", ConvGeometry.of(20, 40, 3, 1, 0), 1, 10, 13, false, true));
        cases.add(new Case("pad 2", ConvGeometry.of(16, 16, 3, 1, 2), 1, 5, 6, true, false));
        cases.add(new Case("pad beyond kernel", ConvGeometry.of(16, 16, 3, 1, 3), 1, 4, 4, true, false));
        cases.add(new Case("asym pad", pad(24, 36, 0, 2, 1, 0), 2, 7, 9, true, true));
        cases.add(new Case("one pixel", ConvGeometry.of(17, 33, 3, 1, 1), 1, 1, 1, true, true));
        cases.add(new Case("one row", ConvGeometry.of(16, 64, 3, 1, 1), 1, 1, 23, true, false));
        for (int outBlocks = 1; outBlocks <= 6; outBlocks++) {
            cases.add(new Case("groups", ConvGeometry.of(C + 3, outBlocks * C - 1, 3, 1, 1), 1, 6, 6, true, true));
        }
        for (int h = 1; h <= 9; h++) {
            for (int w = 1; w <= 9; w += (h % 2 == 0 ? 1 : 2)) {
                cases.add(new Case("tail", ConvGeometry.of(8, 20, 3, 1, 1), 1, h, w, (h + w) % 2 == 0, h % 3 == 0));
            }
        }
        cases.add(new Case("slice", ConvGeometry.of(64, 48, 3, 1, 1), 2, 6, 7, true, true, 2, 1));
        cases.add(new Case("slice 5 groups", ConvGeometry.of(32, 5 * 4 * C, 3, 1, 1), 1, 9, 9, true, false, 1, 3));
        cases.add(new Case("googlenet 4a", ConvGeometry.of(96, 208, 3, 1, 1), 1, 14, 14, true, true).parts(2));
        cases.add(new Case("slice 13 blocks", ConvGeometry.of(40, 13 * C, 3, 1, 1), 2, 9, 10, true, true, 1, 2).parts(3));
        cases.add(new Case("more parts than blocks", ConvGeometry.of(16, 2 * C + 1, 3, 1, 1), 1, 5, 5, true, false).parts(5));
        cases.add(new Case("several units", ConvGeometry.of(16, 6 * C, 3, 1, 1), 3, 21, 19, true, true).parts(2));
        cases.add(new Case("rows in two uneven units", ConvGeometry.of(16, 2 * C, 3, 1, 1), 1, 28, 28, true, true).parts(2));
        cases.add(new Case("rows in six uneven units", ConvGeometry.of(64, 2 * C, 3, 1, 1), 1, 56, 56, true, false).parts(2));
        cases.add(new Case("images across threads", ConvGeometry.of(16, 3 * C, 3, 1, 1), 8, 5, 5, false, true).parts(2));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorEqualsScalarBitwiseAndBothMatchTheReference(Case c) {
        ConvGeometry g = c.g();
        SplittableRandom random = new SplittableRandom(c.toString().hashCode());
        int oh = g.outHeight(c.h());
        int ow = g.outWidth(c.w());
        float[] x = values(random, c.batch() * g.inChannels() * c.h() * c.w());
        float[] wt = values(random, g.outChannels() * g.inChannels() * 9);
        float[] bias = c.bias() ? values(random, g.outChannels()) : null;
        float[] expected = new float[c.batch() * g.outChannels() * oh * ow];
        ReferenceConv2d.conv2d(x, c.batch(), g.inChannels(), c.h(), c.w(), wt, bias, g.outChannels(), 3, 3, 1, 1,
                g.padTop(), g.padLeft(), 1, 1, 1, expected, oh, ow);
        if (c.relu()) ReferenceActivations.relu(expected, expected);

        float[] scalar = run(c, x, wt, bias, true);
        assertWithinTransformBound(c, expected, scalar, "scalar");
        if (Blocking.VECTOR) {
            float[] vector = run(c, x, wt, bias, false);
            for (int i = 0; i < scalar.length; i++) {
                if (Float.floatToRawIntBits(scalar[i]) != Float.floatToRawIntBits(vector[i])) {
                    throw new AssertionError(c + ": index " + i + " scalar " + scalar[i] + " vector " + vector[i]);
                }
            }
        }
    }

    /** The compact product (a one-shot run's) computes the register tile's bits on random floats. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compactProductEqualsTheRegisterTileBitwise(Case c) {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        ConvGeometry g = c.g();
        SplittableRandom random = new SplittableRandom(c.toString().hashCode() + 5L);
        float[] x = values(random, c.batch() * g.inChannels() * c.h() * c.w());
        float[] wt = values(random, g.outChannels() * g.inChannels() * 9);
        float[] bias = c.bias() ? values(random, g.outChannels()) : null;
        try (Arena arena = Arena.ofConfined()) {
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(wt),
                    bias == null ? null : MemorySegment.ofArray(bias), arena, c.parts());
            BlockedTensor in = BlockedTensor.dense(0, c.batch(), g.inChannels(), c.h(), c.w());
            BlockedTensor out = BlockedTensor.dense(in.end(), c.batch(), g.outChannels(), g.outHeight(c.h()), g.outWidth(c.w()));
            MemorySegment[] results = new MemorySegment[2];
            for (int compact = 0; compact < 2; compact++) {
                MemorySegment seg = arena.allocate(out.end(), 64);
                BlockedLayout.pack(x, seg, in);
                Kernel kernel = Conv2dKernels.createWinograd(w, c.relu(), in, out, compact == 1);
                assertEquals(compact == 1, kernel.describe().contains("compact"), kernel.describe());
                MemorySegment scratch = arena.allocate(kernel.scratchBytes(), 64);
                for (int t = 0; t < kernel.tasks(); t++) kernel.run(seg, t, scratch);
                results[compact] = seg;
            }
            assertEquals(-1, results[0].mismatch(results[1]), c + ": first differing byte");
        }
    }

    /**
     * Rounding error of F(4×4, 3×3) in float: each product term passes through {@code Bᵀ·d·B} (row sums of |Bᵀ| ≤ 10,
     * so |V| ≤ 100·max|x|), the weight transform (|U| ≤ max|w|), a sum over 9·ic/9 = ic channels and {@code Aᵀ·M·A}
     * (row sums of |Aᵀ| ≤ 18: a factor 324). A few roundings of each, growing with √ic for random signs: the bound
     * is 16·ε·100·324·√ic·max|x|·max|w|, plus the bias's rounding.
     */
    private static void assertWithinTransformBound(Case c, float[] expected, float[] actual, String which) {
        double eps = Math.ulp(1f);
        double tolerance = 16 * eps * 100 * 324 * Math.sqrt(c.g().inChannels()) + 4 * eps;
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            if (!(error <= tolerance)) {
                throw new AssertionError(c + " " + which + ": index " + i + " expected " + expected[i] + " got "
                        + actual[i] + " (tolerance " + tolerance + ")");
            }
        }
    }

    private static float[] run(Case c, float[] x, float[] wt, float[] bias, boolean scalar) {
        ConvGeometry g = c.g();
        int oh = g.outHeight(c.h());
        int ow = g.outWidth(c.w());
        try (Arena arena = Arena.ofConfined()) {
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(wt),
                    bias == null ? null : MemorySegment.ofArray(bias), arena, c.parts());
            long guard = 256;
            BlockedTensor in = BlockedTensor.dense(guard, c.batch(), g.inChannels(), c.h(), c.w());
            int outBlocks = Blocking.blocks(g.outChannels());
            BlockedTensor whole = BlockedTensor.dense(in.end() + guard, c.batch(), (c.before() + outBlocks + c.after()) * C, oh, ow);
            BlockedTensor out = whole.slice(c.before(), g.outChannels());
            long size = whole.end() + guard;
            MemorySegment seg = arena.allocate(size, 64);
            for (long off = 0; off < size; off += Float.BYTES) seg.set(FLOAT, off, GUARD);
            BlockedLayout.pack(x, seg, in);
            MemorySegment before = arena.allocate(size, 64);
            before.copyFrom(seg);
            Kernel kernel = scalar ? Conv2dKernels.createWinogradScalar(w, c.relu(), in, out)
                    : Conv2dKernels.createWinograd(w, c.relu(), in, out);
            assertTrue(kernel.describe().contains("winograd"), kernel.describe());
            MemorySegment scratch = arena.allocate(kernel.scratchBytes(), 64);
            // Garbage in the scratch must not matter; tasks in reverse order: nothing may depend on the order.
            for (long off = 0; off + 4 <= scratch.byteSize(); off += 4) scratch.set(FLOAT, off, Float.NaN);
            for (int t = kernel.tasks() - 1; t >= 0; t--) kernel.run(seg, t, scratch);
            // Padding lanes of the last block are zero; nothing outside the output view changed.
            for (int n = 0; n < c.batch(); n++) {
                for (int lane = g.outChannels() - (outBlocks - 1) * C; lane < C; lane++) {
                    for (int p = 0; p < oh * ow; p++) {
                        assertEquals(0f, seg.get(FLOAT, out.at(n, outBlocks - 1, 0, 0) + ((long) p * C + lane) * Float.BYTES),
                                c + " padding lane " + lane);
                    }
                }
            }
            for (long off = 0; off < size; off += Float.BYTES) {
                if (!inside(out, off) && Float.floatToRawIntBits(seg.get(FLOAT, off)) != Float.floatToRawIntBits(before.get(FLOAT, off))) {
                    throw new AssertionError(c + ": byte " + off + " outside the output changed");
                }
            }
            return BlockedLayout.unpack(seg, out);
        }
    }

    private static boolean inside(BlockedTensor view, long off) {
        for (int n = 0; n < view.batch(); n++) {
            long start = view.at(n, 0, 0, 0);
            if (off >= start && off < start + view.blocks() * view.blockStride()) return true;
        }
        return false;
    }

    private static float[] values(SplittableRandom random, int count) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = (float) random.nextDouble(-1, 1);
        return v;
    }

    /**
     * Each packed value is {@code G·g·Gᵀ} by the matrices of Lavin and Gray, multiplied out here in double: the packing's
     * float arithmetic (a few roundings of terms no larger than Σ|G||g||Gᵀ|) stays within 8 ulps of that sum.
     */
    /**
     * The threads share rows (units of tiles) where the units can be a multiple of them within 25 % of each other, or
     * there are at least 4 units per thread counting images; else each unit is cut by output parts.
     */
    @Test
    void threadsShareRowsWhereTheUnitsAreEvenElseOutputParts() {
        // 14×14: 16 tiles in 3 blocks of 6, one unit, cut into 2 parts; 28×28: 49 tiles in 9 blocks, 2 units of 5 and 4
        // (at 128 input channels the budget takes 4 blocks, 3 units; 2 of 5 blocks are within a quarter over it).
        assertEquals(List.of("2 tasks by part", "2 tasks", "2 tasks", "8 tasks", "1 tasks"), Stream.of(
                new Case("14×14 (3 blocks of tiles)", ConvGeometry.of(96, 208, 3, 1, 1), 1, 14, 14, true, true).parts(2),
                new Case("28×28 (9 blocks: 5 + 4)", ConvGeometry.of(96, 128, 3, 1, 1), 1, 28, 28, true, true).parts(2),
                new Case("28×28, 128 in", ConvGeometry.of(128, 192, 3, 1, 1), 1, 28, 28, true, true).parts(2),
                new Case("14×14, 8 images", ConvGeometry.of(96, 208, 3, 1, 1), 8, 14, 14, true, true).parts(2),
                new Case("one part", ConvGeometry.of(96, 208, 3, 1, 1), 1, 14, 14, true, true)).map(c -> {
            ConvGeometry g = c.g();
            try (Arena arena = Arena.ofConfined()) {
                WinogradWeights w = WinogradWeights.pack(g, arena.allocate((long) g.outChannels() * g.inChannels() * 9 * 4),
                        null, arena, c.parts());
                BlockedTensor in = BlockedTensor.dense(0, c.batch(), g.inChannels(), c.h(), c.w());
                BlockedTensor out = BlockedTensor.dense(in.end(), c.batch(), g.outChannels(), c.h(), c.w());
                String described = Conv2dKernels.createWinogradScalar(w, true, in, out).describe();
                return described.substring(described.lastIndexOf(", ") + 2);
            }
        }).toList());
    }

    @ParameterizedTest(name = "parts {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
    void transformedWeightsAreGgGtInTheirPlaces(int parts) {
        double[][] gm = {{0.25, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
            {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
        int ic = C + 5;
        int oc = 5 * C + 3;
        ConvGeometry g = ConvGeometry.of(ic, oc, 3, 1, 1);
        float[] wt = values(new SplittableRandom(3), oc * ic * 9);
        float[] bias = values(new SplittableRandom(4), oc);
        try (Arena arena = Arena.ofConfined()) {
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(wt), MemorySegment.ofArray(bias), arena, parts);
            MemorySegment seg = w.segment();
            assertEquals(parts, w.parts());
            assertEquals(6L * XI * Blocking.padded(ic) * C * Float.BYTES, w.biasOffset(), "groups hold only their blocks");
            for (int o = 0; o < Blocking.padded(oc); o++) {
                int gr = 0;
                while (w.firstBlock(gr) + w.blocks(gr) <= o / C) gr++;
                for (int i = 0; i < Blocking.padded(ic); i++) {
                    for (int r = 0; r < 6; r++) {
                        for (int q = 0; q < 6; q++) {
                            double u = 0;
                            double magnitude = 0;
                            if (o < oc && i < ic) {
                                for (int a = 0; a < 3; a++) {
                                    for (int b = 0; b < 3; b++) {
                                        double term = gm[r][a] * wt[((o * ic + i) * 3 + a) * 3 + b] * gm[q][b];
                                        u += term;
                                        magnitude += Math.abs(term);
                                    }
                                }
                            }
                            long at = w.groupOffset(gr) + (r * 6 + q) * w.xiStride(gr)
                                    + ((long) (i * w.blocks(gr) + o / C - w.firstBlock(gr)) * C + o % C) * Float.BYTES;
                            float packed = seg.get(FLOAT, at);
                            assertTrue(Math.abs(packed - u) <= 8 * Math.ulp((float) magnitude),
                                    "o " + o + " i " + i + " ξ " + (r * 6 + q) + ": " + packed + " vs " + u);
                        }
                    }
                }
            }
            for (int o = 0; o < oc; o++) assertEquals(bias[o], seg.get(FLOAT, w.biasOffset() + o * Float.BYTES));
        }
    }

    /**
     * The output blocks cut into parts differing by at most one block, the larger first, each into the fewest groups of
     * at most GROUP blocks differing by at most one; by hand for GoogLeNet's 4a (13 blocks) at 16 lanes.
     */
    @Test
    void partsAndGroupsAreEven() {
        try (Arena arena = Arena.ofConfined()) {
            for (int blocks = 1; blocks <= 21; blocks++) {
                for (int parts = 1; parts <= 4; parts++) {
                    ConvGeometry g = ConvGeometry.of(3, blocks * C, 3, 1, 1);
                    WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(new float[blocks * C * 27]), null,
                            arena, parts);
                    int expectedParts = Math.min(parts, blocks);
                    assertEquals(expectedParts, w.parts());
                    int next = 0;
                    for (int p = 0; p < expectedParts; p++) {
                        int size = blocks / expectedParts + (p < blocks % expectedParts ? 1 : 0);
                        int groups = w.partFirst(p + 1) - w.partFirst(p);
                        assertEquals(Math.ceilDiv(size, WinogradWeights.GROUP), groups, blocks + " blocks, part " + p);
                        int sum = 0;
                        for (int gr = w.partFirst(p); gr < w.partFirst(p + 1); gr++) {
                            assertEquals(next, w.firstBlock(gr), "groups are consecutive");
                            int b = w.blocks(gr);
                            assertTrue(b <= WinogradWeights.GROUP && b >= size / groups && b <= Math.ceilDiv(size, groups),
                                    blocks + " blocks, part " + p + ", group " + gr + ": " + b);
                            next += b;
                            sum += b;
                        }
                        assertEquals(size, sum);
                    }
                    assertEquals(blocks, next);
                }
            }
            if (WinogradWeights.GROUP == 4) {
                ConvGeometry g = ConvGeometry.of(3, 13 * C, 3, 1, 1);
                WinogradWeights one = WinogradWeights.pack(g, MemorySegment.ofArray(new float[13 * C * 27]), null, arena, 1);
                assertEquals(List.of(4, 3, 3, 3), List.of(one.blocks(0), one.blocks(1), one.blocks(2), one.blocks(3)));
                WinogradWeights two = WinogradWeights.pack(g, MemorySegment.ofArray(new float[13 * C * 27]), null, arena, 2);
                assertEquals(List.of(4, 3, 3, 3), List.of(two.blocks(0), two.blocks(1), two.blocks(2), two.blocks(3)));
                assertEquals(2, two.partFirst(1), "7 blocks, then 6");
            }
        }
    }

    @Test
    void vectorAndScalarWeightTransformsPackTheSameBits() {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        ConvGeometry g = ConvGeometry.of(2 * C + 1, 9 * C + 5, 3, 1, 1);
        float[] wt = values(new SplittableRandom(5), g.outChannels() * g.inChannels() * 9);
        try (Arena arena = Arena.ofConfined()) {
            WinogradWeights v = WinogradWeights.pack(g, MemorySegment.ofArray(wt), null, arena, 2, true);
            WinogradWeights s = WinogradWeights.pack(g, MemorySegment.ofArray(wt), null, arena, 2, false);
            assertEquals(-1, v.segment().mismatch(s.segment()));
        }
    }

    @Test
    void oneTaskAllocatesItsOwnScratchWhenRunWithout() {
        ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(new float[16 * 16 * 9]), null, arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, 16, 4, 4);
            BlockedTensor out = BlockedTensor.dense(in.end(), 1, 16, 4, 4);
            MemorySegment seg = arena.allocate(out.end(), 64);
            Kernel k = Conv2dKernels.createWinograd(w, false, in, out);
            k.run(seg, 0);
            assertEquals(0f, seg.get(FLOAT, out.offset()));
        }
    }

    @Test
    void refusesWhatItCannotRun() {
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> WinogradWeights.pack(ConvGeometry.of(16, 16, 3, 2, 1),
                    MemorySegment.ofArray(new float[16 * 16 * 9]), null, arena));
            assertThrows(IllegalArgumentException.class, () -> WinogradWeights.pack(ConvGeometry.of(16, 16, 5, 1, 2),
                    MemorySegment.ofArray(new float[16 * 16 * 25]), null, arena));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WinogradWeights.pack(
                    ConvGeometry.of(16, 16, 3, 1, 1), MemorySegment.ofArray(new float[10]), null, arena));
            assertTrue(e.getMessage().contains("expected 2304 floats"), e.getMessage());
            ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(new float[16 * 16 * 9]), null, arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, 16, 4, 4);
            BlockedTensor out = BlockedTensor.dense(in.end(), 1, 16, 4, 4);
            Kernel k = Conv2dKernels.createWinograd(w, false, in, out);
            MemorySegment small = arena.allocate(k.scratchBytes() - 64, 64);
            MemorySegment seg = arena.allocate(out.end(), 64);
            assertThrows(IllegalArgumentException.class, () -> k.run(seg, 0, small));
            assertThrows(IllegalArgumentException.class, () -> k.run(MemorySegment.ofArray(new float[(int) out.end() / 4]), 0));
        }
    }

    @Test
    void vectorKernelWhenTheVectorApiIsThere() {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        try (Arena arena = Arena.ofConfined()) {
            ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
            WinogradWeights w = WinogradWeights.pack(g, MemorySegment.ofArray(new float[16 * 16 * 9]), null, arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, 16, 4, 4);
            Kernel k = Conv2dKernels.createWinograd(w, true, in, BlockedTensor.dense(in.end(), 1, 16, 4, 4));
            assertTrue(k.describe().contains("vector"), k.describe());
        }
    }
}
