package googlenet.kernels.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;
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
 * The blocked convolution kernels (vector when available, and the scalar twin) against the NCHW reference: bitwise
 * on small integers (exact in any summation order), within a relative bound on random floats.
 */
class Conv2dKernelsTest {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int C = Blocking.LANES;
    /** A value no kernel writes: guards around outputs must keep it. */
    private static final float GUARD = -12345.5f;

    /** One convolution to check: geometry, batch, input size, bias, ReLU, and where the output goes. */
    record Case(String name, ConvGeometry g, int batch, int h, int w, boolean bias, boolean relu, int sliceBlocksBefore,
                int sliceBlocksAfter) {
        Case(String name, ConvGeometry g, int batch, int h, int w, boolean bias, boolean relu) {
            this(name, g, batch, h, w, bias, relu, 0, 0);
        }

        @Override
        public String toString() {
            return name + " " + g.inChannels() + "→" + g.outChannels() + " " + g.kernelH() + "×" + g.kernelW() + "/"
                    + g.strideH() + "," + g.strideW() + " n" + batch + " " + h + "×" + w + (bias ? " bias" : "")
                    + (relu ? " relu" : "") + (sliceBlocksBefore + sliceBlocksAfter > 0 ? " slice" : "");
        }
    }

    private static ConvGeometry geo(int ic, int oc, int kh, int kw, int sh, int sw, int pt, int pl, int pb, int pr) {
        return new ConvGeometry(ic, oc, kh, kw, sh, sw, pt, pl, pb, pr, 1, 1, 1);
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // GoogLeNet shapes at reduced spatial size.
        cases.add(new Case("stem", ConvGeometry.of(3, 64, 7, 2, 3), 1, 30, 30, true, true));
        cases.add(new Case("stem odd", ConvGeometry.of(3, 64, 7, 2, 3), 2, 23, 17, false, false));
        cases.add(new Case("1x1", ConvGeometry.of(64, 64, 1, 1, 0), 1, 9, 9, true, true));
        cases.add(new Case("1x1 192", ConvGeometry.of(192, 64, 1, 1, 0), 2, 5, 6, true, false));
        cases.add(new Case("1x1 832", ConvGeometry.of(832, 384, 1, 1, 0), 1, 3, 3, true, true));
        cases.add(new Case("1x1 reduce 24", ConvGeometry.of(20, 24, 1, 1, 0), 3, 5, 7, true, true));
        cases.add(new Case("1x1 1000", ConvGeometry.of(100, 1000, 1, 1, 0), 1, 1, 1, true, false));
        cases.add(new Case("3x3", ConvGeometry.of(64, 192, 3, 1, 1), 1, 10, 10, true, true));
        cases.add(new Case("3x3 96→208", ConvGeometry.of(96, 208, 3, 1, 1), 1, 7, 7, true, true));
        cases.add(new Case("3x3 small", ConvGeometry.of(16, 32, 3, 1, 1), 2, 6, 6, false, true));
        cases.add(new Case("3x3 rgb", ConvGeometry.of(3, 20, 3, 1, 1), 1, 8, 5, true, false));
        cases.add(new Case("3x3 100", ConvGeometry.of(100, 100, 3, 1, 1), 2, 5, 9, true, true));
        cases.add(new Case("3x3 48→96", ConvGeometry.of(48, 96, 3, 1, 1), 1, 4, 13, true, true));
        cases.add(new Case("3x3 rows first, 2 groups", ConvGeometry.of(16, 80, 3, 1, 1), 1, 28, 28, true, true));
        cases.add(new Case("5x5", ConvGeometry.of(16, 48, 5, 1, 2), 1, 7, 7, true, true));
        cases.add(new Case("5x5 32→96", ConvGeometry.of(32, 96, 5, 1, 2), 1, 8, 8, true, false));
        cases.add(new Case("5x5 24→64 tiny", ConvGeometry.of(24, 64, 5, 1, 2), 2, 4, 3, false, true));
        cases.add(new Case("5x5 no pad", ConvGeometry.of(20, 16, 5, 1, 0), 1, 9, 11, true, true));
        // Row pairs of one-pixel tiles (border pixels, short interiors): GoogLeNet's 5b and 4b-like shapes.
        cases.add(new Case("5x5 pairs 48→128", ConvGeometry.of(48, 128, 5, 1, 2), 1, 7, 7, true, true));
        cases.add(new Case("5x5 pairs 24→64", ConvGeometry.of(24, 64, 5, 1, 2), 2, 14, 14, true, false));
        cases.add(new Case("3x3 pairs 40→72", ConvGeometry.of(40, 72, 3, 1, 1), 1, 7, 7, false, true));
        cases.add(new Case("stride 2", ConvGeometry.of(32, 48, 3, 2, 1), 2, 9, 11, true, true));
        cases.add(new Case("stride 2 no pad", ConvGeometry.of(16, 64, 3, 2, 0), 1, 12, 15, true, false));
        cases.add(new Case("stride 2 1x1", ConvGeometry.of(24, 32, 1, 2, 0), 1, 7, 8, true, false));
        cases.add(new Case("stride 3", ConvGeometry.of(16, 16, 3, 3, 1), 1, 10, 10, true, false));
        cases.add(new Case("stride h2 w1", geo(16, 48, 3, 3, 2, 1, 1, 1, 1, 1), 1, 9, 8, true, true));
        cases.add(new Case("asym pad", geo(20, 40, 3, 2, 1, 2, 0, 2, 1, 0), 2, 7, 9, true, true));
        cases.add(new Case("asym pad 2", geo(16, 64, 2, 3, 1, 1, 1, 0, 0, 2), 1, 6, 10, false, false));
        cases.add(new Case("1x1 padded", ConvGeometry.of(16, 32, 1, 1, 1), 1, 4, 5, true, true));
        cases.add(new Case("one pixel wide", ConvGeometry.of(32, 64, 3, 1, 0), 1, 6, 3, true, true));
        cases.add(new Case("one pixel", ConvGeometry.of(48, 64, 7, 1, 0), 2, 7, 7, true, true));
        cases.add(new Case("1x1 one pixel", ConvGeometry.of(64, 48, 1, 1, 0), 1, 1, 1, true, true));
        cases.add(new Case("pad beyond kernel", ConvGeometry.of(16, 16, 3, 1, 3), 1, 4, 4, true, false));
        cases.add(new Case("wide pad window", ConvGeometry.of(16, 32, 5, 1, 2), 1, 1, 1, true, true));
        cases.add(new Case("gray stem", ConvGeometry.of(1, 64, 7, 2, 3), 2, 19, 21, true, true));
        cases.add(new Case("1x1 rgb long row", ConvGeometry.of(3, 40, 1, 1, 0), 2, 5, 7, true, false));
        // Every tail of the pixel tile for 1..4 output blocks, interior and long row.
        for (int outBlocks = 1; outBlocks <= 4; outBlocks++) {
            for (int w = 1; w <= 15; w++) {
                cases.add(new Case("tail", ConvGeometry.of(20, outBlocks * C, 3, 1, 1), 1, 2, w, true, w % 2 == 0));
            }
            for (int pixels = 1; pixels <= 14; pixels++) {
                cases.add(new Case("long row tail", ConvGeometry.of(24, outBlocks * C - 3, 1, 1, 0), 1, 1, pixels,
                        pixels % 3 == 0, true));
            }
        }
        // Scalar-only shapes.
        cases.add(new Case("groups 2", new ConvGeometry(8, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), 2, 6, 7, true, true));
        cases.add(new Case("groups 4", new ConvGeometry(32, 48, 3, 3, 2, 1, 1, 1, 0, 1, 1, 1, 4), 1, 7, 6, true, false));
        cases.add(new Case("depthwise", new ConvGeometry(20, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 20), 1, 5, 5, false, true));
        cases.add(new Case("dilation 2", new ConvGeometry(16, 32, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, 1), 1, 8, 9, true, true));
        cases.add(new Case("dilation 2x1", new ConvGeometry(3, 20, 3, 3, 1, 2, 2, 1, 1, 0, 2, 1, 1), 2, 9, 7, true, false));
        // Writing into a channel slice of a concat, with guards around.
        cases.add(new Case("slice 3x3", ConvGeometry.of(64, 48, 3, 1, 1), 2, 6, 7, true, true, 2, 1));
        cases.add(new Case("slice 1x1", ConvGeometry.of(48, 24, 1, 1, 0), 2, 5, 5, true, false, 1, 3));
        cases.add(new Case("slice 5x5", ConvGeometry.of(16, 64, 5, 1, 2), 3, 4, 6, false, true, 3, 0));
        cases.add(new Case("slice stem", ConvGeometry.of(3, 64, 7, 2, 3), 2, 13, 13, true, true, 0, 2));
        cases.add(new Case("slice groups", new ConvGeometry(8, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2), 2, 5, 5, true, true, 1, 1));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exactFast(Case c) {
        check(c, false, true, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exactScalar(Case c) {
        check(c, true, true, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void floatFast(Case c) {
        check(c, false, false, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void floatScalar(Case c) {
        check(c, true, false, false);
    }

    /** The cases whose input is one block of channels: the convolutions that can read plain NCHW input. */
    static Stream<Case> plainCases() {
        return cases().filter(c -> Conv2dKernels.readsPlainInput(c.g()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void exactFastOnPlainInput(Case c) {
        check(c, false, true, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void exactScalarOnPlainInput(Case c) {
        check(c, true, true, true);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void floatFastOnPlainInput(Case c) {
        check(c, false, false, true);
    }

    /**
     * On random floats, reading the input plain gives the bits of reading it blocked where the blocked kernel too runs
     * over the real channels only (fewer than a block; a whole block runs the full tiles, whose one-pixel tile sums in
     * two chains); and the compact tiles give the register tiles' bits on plain input.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("plainCases")
    void plainInputGivesTheBitsOfBlockedInput(Case c) {
        ConvGeometry g = c.g();
        SplittableRandom random = new SplittableRandom(c.toString().hashCode() * 31L + 5);
        float[] x = values(random, c.batch() * g.inChannels() * c.h() * c.w(), false);
        float[] wt = values(random, g.outChannels() * g.inChannelsPerGroup() * g.kernelH() * g.kernelW(), false);
        float[] bias = c.bias() ? values(random, g.outChannels(), false) : null;
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights packed = PackedConvWeights.pack(g, wt, bias, arena);
            BlockedTensor blocked = BlockedTensor.dense(0, c.batch(), g.inChannels(), c.h(), c.w());
            PlainTensor plain = new PlainTensor(blocked.end(), c.batch(), g.inChannels(), c.h(), c.w());
            BlockedTensor out = BlockedTensor.dense(plain.end(), c.batch(), g.outChannels(), g.outHeight(c.h()),
                    g.outWidth(c.w()));
            MemorySegment seg = arena.allocate(out.end(), 64);
            BlockedLayout.pack(x, seg, blocked);
            MemorySegment.copy(x, 0, seg, FLOAT, plain.offset(), x.length);
            float[] fromBlocked = run(Conv2dKernels.create(g, packed, c.relu(), blocked, out), seg, out);
            float[] fromPlain = run(Conv2dKernels.create(g, packed, c.relu(), plain, out, false), seg, out);
            float[] compact = run(Conv2dKernels.create(g, packed, c.relu(), plain, out, true), seg, out);
            float[] scalar = run(Conv2dKernels.createScalar(g, packed, c.relu(), plain, out), seg, out);
            float[] scalarBlocked = run(Conv2dKernels.createScalar(g, packed, c.relu(), blocked, out), seg, out);
            assertArrayEquals(scalarBlocked, scalar, c + ": scalar kernel, plain against blocked input");
            if (Blocking.VECTOR && g.inChannels() < C) {
                assertArrayEquals(fromBlocked, fromPlain, c + ": plain against blocked input");
            }
            assertArrayEquals(fromPlain, compact, c + ": compact tiles against register tiles on plain input");
        }
    }

    private static float[] run(Kernel kernel, MemorySegment seg, BlockedTensor out) {
        for (int t = 0; t < kernel.tasks(); t++) kernel.run(seg, t);
        return BlockedLayout.unpack(seg, out);
    }

    /**
     * The compact tiles (a one-shot run's) compute the register tiles' bits on random floats, where a different summation
     * order would show in the last bits; every output word, padding lanes and the slices around it included.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void compactTilesEqualTheRegisterTilesBitwise(Case c) {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        ConvGeometry g = c.g();
        assumeTrue(g.groups() == 1 && g.dilationH() == 1 && g.dilationW() == 1 && g.strideW() <= 2, "scalar kernel");
        SplittableRandom random = new SplittableRandom(c.toString().hashCode() * 31L + 3);
        float[] x = values(random, c.batch() * g.inChannels() * c.h() * c.w(), false);
        float[] wt = values(random, g.outChannels() * g.inChannelsPerGroup() * g.kernelH() * g.kernelW(), false);
        float[] bias = c.bias() ? values(random, g.outChannels(), false) : null;
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights packed = PackedConvWeights.pack(g, wt, bias, arena);
            BlockedTensor in = BlockedTensor.dense(0, c.batch(), g.inChannels(), c.h(), c.w());
            int outBlocks = Blocking.blocks(g.outChannels());
            BlockedTensor whole = BlockedTensor.dense(in.end(), c.batch(),
                    (c.sliceBlocksBefore() + outBlocks + c.sliceBlocksAfter()) * C, g.outHeight(c.h()), g.outWidth(c.w()));
            BlockedTensor out = whole.slice(c.sliceBlocksBefore(), g.outChannels());
            MemorySegment[] results = new MemorySegment[2];
            for (int compact = 0; compact < 2; compact++) {
                MemorySegment seg = arena.allocate(whole.end(), 64);
                BlockedLayout.pack(x, seg, in);
                Kernel kernel = Conv2dKernels.create(g, packed, c.relu(), in, out, compact == 1);
                assertEquals(compact == 1, kernel.describe().contains("compact"), kernel.describe());
                for (int t = 0; t < kernel.tasks(); t++) kernel.run(seg, t);
                results[compact] = seg;
            }
            long mismatch = results[0].mismatch(results[1]);
            if (mismatch >= 0) {
                throw new AssertionError(c + ": byte " + mismatch + " differs, tiles " + results[0].get(FLOAT, mismatch & ~3)
                        + ", compact " + results[1].get(FLOAT, mismatch & ~3));
            }
        }
    }

    private static void check(Case c, boolean scalar, boolean exact, boolean plain) {
        ConvGeometry g = c.g();
        SplittableRandom random = new SplittableRandom(c.toString().hashCode() * 31L + (exact ? 1 : 2) + (plain ? 7 : 0));
        int oh = g.outHeight(c.h());
        int ow = g.outWidth(c.w());
        float[] x = values(random, c.batch() * g.inChannels() * c.h() * c.w(), exact);
        float[] wt = values(random, g.outChannels() * g.inChannelsPerGroup() * g.kernelH() * g.kernelW(), exact);
        float[] bias = c.bias() ? values(random, g.outChannels(), exact) : null;

        float[] expected = new float[c.batch() * g.outChannels() * oh * ow];
        ReferenceConv2d.conv2d(x, c.batch(), g.inChannels(), c.h(), c.w(), wt, bias, g.outChannels(), g.kernelH(),
                g.kernelW(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.dilationH(), g.dilationW(), g.groups(),
                expected, oh, ow);
        if (c.relu()) {
            ReferenceActivations.relu(expected, expected);
        }

        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights packed = PackedConvWeights.pack(g, wt, bias, arena);
            long guardBytes = 256;
            BlockedTensor in = BlockedTensor.dense(guardBytes, c.batch(), g.inChannels(), c.h(), c.w());
            PlainTensor plainIn = new PlainTensor(guardBytes, c.batch(), g.inChannels(), c.h(), c.w());
            int outBlocks = Blocking.blocks(g.outChannels());
            int totalChannels = (c.sliceBlocksBefore() + outBlocks + c.sliceBlocksAfter()) * C;
            long outStart = (plain ? plainIn.end() : in.end()) + guardBytes;
            BlockedTensor whole = BlockedTensor.dense(outStart, c.batch(), totalChannels, oh, ow);
            BlockedTensor out = whole.slice(c.sliceBlocksBefore(), g.outChannels());
            long size = whole.end() + guardBytes;
            MemorySegment seg = arena.allocate(size, 64);
            for (long off = 0; off < size; off += Float.BYTES) {
                seg.set(FLOAT, off, GUARD);
            }
            if (plain) {
                MemorySegment.copy(x, 0, seg, FLOAT, plainIn.offset(), x.length);
            } else {
                BlockedLayout.pack(x, seg, in);
            }
            MemorySegment before = arena.allocate(size, 64);
            before.copyFrom(seg);

            Kernel kernel = plain
                    ? scalar ? Conv2dKernels.createScalar(g, packed, c.relu(), plainIn, out)
                    : Conv2dKernels.create(g, packed, c.relu(), plainIn, out, false)
                    : scalar ? Conv2dKernels.createScalar(g, packed, c.relu(), in, out)
                    : Conv2dKernels.create(g, packed, c.relu(), in, out);
            assertEquals(plain, kernel.describe().contains("from NCHW"), kernel.describe());
            assertTrue(kernel.tasks() > 0);
            // Tasks in reverse order: nothing may depend on the order.
            for (int t = kernel.tasks() - 1; t >= 0; t--) {
                kernel.run(seg, t);
            }
            float[] actual = BlockedLayout.unpack(seg, out);
            String what = c + " " + kernel.describe();
            if (exact) {
                assertArrayEquals(expected, actual, what);
            } else {
                float max = 0f;
                for (float v : expected) {
                    max = Math.max(max, Math.abs(v));
                }
                int reduction = g.inChannelsPerGroup() * g.kernelH() * g.kernelW();
                double tolerance = 1e-5 * max * Math.max(1.0, reduction / 256.0) + 1e-6;
                for (int i = 0; i < expected.length; i++) {
                    double error = Math.abs(expected[i] - actual[i]);
                    if (!(error <= tolerance)) {
                        throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " got " + actual[i]
                                + " (tolerance " + tolerance + ")");
                    }
                }
            }
            // Padding lanes of the last output block are zero; everything outside the view is untouched.
            for (int n = 0; n < c.batch(); n++) {
                for (int lane = g.outChannels() - (outBlocks - 1) * C; lane < C; lane++) {
                    for (int p = 0; p < oh * ow; p++) {
                        long off = out.at(n, outBlocks - 1, 0, 0) + ((long) p * C + lane) * Float.BYTES;
                        assertEquals(0f, seg.get(FLOAT, off), what + " padding lane " + lane);
                    }
                }
            }
            for (long off = 0; off < size; off += Float.BYTES) {
                if (!insideView(out, off)) {
                    float v = seg.get(FLOAT, off);
                    if (Float.floatToRawIntBits(v) != Float.floatToRawIntBits(before.get(FLOAT, off))) {
                        throw new AssertionError(what + ": byte " + off + " outside the output changed to " + v);
                    }
                }
            }
        }
    }

    private static boolean insideView(BlockedTensor view, long off) {
        for (int n = 0; n < view.batch(); n++) {
            long start = view.at(n, 0, 0, 0);
            if (off >= start && off < start + view.blocks() * view.blockStride()) {
                return true;
            }
        }
        return false;
    }

    private static float[] values(SplittableRandom random, int count, boolean exact) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = exact ? random.nextInt(-3, 4) : (float) random.nextDouble(-1, 1);
        }
        return v;
    }

    /**
     * Tasks go by output-channel group first where the weights outweigh an input image (so each thread reads its groups'
     * weights only), by rows first otherwise; a 1×1 long row always by rows.
     */
    @Test
    void tasksGoByGroupFirstWhereTheWeightsOutweighTheImage() {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        // weights 80·16·9 floats (46 KB) < image 16·28·28 (50 KB); 208·96·9 (719 KB) > 96·7·7 (19 KB); 1×1 832→384 at 7×7.
        assertEquals(List.of(false, true, false), Stream.of(
                new Case("", ConvGeometry.of(16, 80, 3, 1, 1), 1, 28, 28, true, true),
                new Case("", ConvGeometry.of(96, 208, 3, 1, 1), 1, 7, 7, true, true),
                new Case("", ConvGeometry.of(832, 384, 1, 1, 0), 1, 7, 7, true, true)).map(c -> {
            ConvGeometry g = c.g();
            try (Arena arena = Arena.ofConfined()) {
                PackedConvWeights w = PackedConvWeights.pack(g, new float[g.outChannels() * g.inChannels() * g.kernelH()
                        * g.kernelW()], null, arena);
                BlockedTensor in = BlockedTensor.dense(0, 1, g.inChannels(), c.h(), c.w());
                BlockedTensor out = BlockedTensor.dense(in.end(), 1, g.outChannels(), g.outHeight(c.h()), g.outWidth(c.w()));
                return Conv2dKernels.create(g, w, true, in, out).describe().endsWith(" by group");
            }
        }).toList());
    }

    @Test
    void tileWarmUpsCallEveryTileTheKernelsUseOnScratch() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        try (Arena arena = Arena.ofConfined()) {
            List<Kernel> kernels = new ArrayList<>();
            // A padded 3×3 (interior, one-pixel border tiles), a 1×1 long row, the stride-2 stem (partial tiles).
            ConvGeometry[] geometries = {ConvGeometry.of(32, 64, 3, 1, 1), ConvGeometry.of(48, 16, 1, 1, 0),
                ConvGeometry.of(3, 40, 7, 2, 3)};
            int[] sizes = {15, 7, 30};
            for (int i = 0; i < geometries.length; i++) {
                ConvGeometry g = geometries[i];
                int h = sizes[i];
                PackedConvWeights w = PackedConvWeights.pack(g,
                        new float[g.outChannels() * g.inChannels() * g.kernelH() * g.kernelW()], null, arena);
                BlockedTensor in = BlockedTensor.dense(0, 1, g.inChannels(), h, h);
                kernels.add(Conv2dKernels.create(g, w, true, in,
                        BlockedTensor.dense(in.end(), 1, g.outChannels(), g.outHeight(h), g.outWidth(h))));
            }
            List<String> used = Conv2dKernels.tilesUsed(kernels);
            // Tile widths depend on the lanes: 4 blocks × 5 pixels at 16, × 2 at 8 (AVX2's 16 registers).
            String wide = "tile4x" + Conv2dVectorTiles.MAX_PIXELS[4] + "s1";
            // The 1×1's 16 outputs are one block at 16 lanes (a 1×12 long row), two at 8, four at 4.
            int blocks = Math.min(4, Blocking.blocks(16));
            String longRow = "tile" + blocks + "x" + Conv2dVectorTiles.MAX_PIXELS[blocks] + "s1";
            assertTrue(used.containsAll(List.of(wide, "tile4x1s1", longRow)), used::toString);
            assertTrue(used.stream().anyMatch(t -> t.endsWith("s2p")), used::toString);
            // Row pairs of the border pixels: 4·4 accumulators need AVX-512's 32 registers.
            assertEquals(Blocking.LANES >= 16, used.contains("tile4x1s1r2"), used::toString);
            List<Conv2dKernels.TileCall> calls = Conv2dKernels.tileWarmUps(kernels, arena);
            assertEquals(used, calls.stream().map(Conv2dKernels.TileCall::tile).toList());
            for (Conv2dKernels.TileCall c : calls) {
                c.call().run();
            }
        }
    }

    @Test
    void vectorChosenWhenAvailable() {
        ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights w = PackedConvWeights.pack(g, new float[16 * 16 * 9], null, arena);
            BlockedTensor t = BlockedTensor.dense(0, 1, 16, 4, 4);
            String fast = Conv2dKernels.create(g, w, false, t, t).describe();
            assertEquals(Blocking.VECTOR, fast.contains("vector"), fast);
            assertTrue(Conv2dKernels.createScalar(g, w, false, t, t).describe().contains("scalar"));
            ConvGeometry grouped = new ConvGeometry(16, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2);
            PackedConvWeights gw = PackedConvWeights.pack(grouped, new float[16 * 8 * 9], null, arena);
            assertTrue(Conv2dKernels.create(grouped, gw, false, t, t).describe().contains("scalar"));
        }
    }

    @Test
    void packedLayoutAndSize() {
        ConvGeometry g = ConvGeometry.of(3, 20, 3, 1, 1);
        float[] w = new float[20 * 3 * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = i + 1;
        }
        float[] bias = new float[20];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = -(i + 1);
        }
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights p = PackedConvWeights.pack(g, w, bias, arena);
            int ocb = Blocking.blocks(20);
            assertEquals(((long) ocb * 9 * C * C + (long) ocb * C) * Float.BYTES, p.bytes());
            MemorySegment s = p.segment();
            // weight [oc=17][ic=2][ky=1][kx=2] sits at [ocb=17/c][icb=0][1][2][ic=2][oc=17%c] (16 lanes: block 1, lane 1).
            long at = p.blockOffset(17 / C, 0, 1, 2) + ((long) 2 * C + 17 % C) * Float.BYTES;
            assertEquals(w[((17 * 3 + 2) * 3 + 1) * 3 + 2], s.get(FLOAT, at));
            // Input channel 3 is padding (3 input channels): zero.
            assertEquals(0f, s.get(FLOAT, p.blockOffset(17 / C, 0, 1, 2) + ((long) 3 * C + 17 % C) * Float.BYTES));
            assertEquals(-18f, s.get(FLOAT, p.biasOffset() + 17L * Float.BYTES));
            if (Blocking.padded(20) > 20) assertEquals(0f, s.get(FLOAT, p.biasOffset() + 20L * Float.BYTES));
        }
    }

    @Test
    void packsFromRawBytesEveryValueWhereTheLayoutPutsIt() {
        // Two input blocks (20 channels), a partial output block, taps: float32 bytes as a model file holds them.
        ConvGeometry g = ConvGeometry.of(20, 18, 3, 1, 1);
        int n = 18 * 20 * 9;
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(n * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) bytes.putFloat(i + 1);
        java.nio.ByteBuffer biasBytes = java.nio.ByteBuffer.allocate(18 * Float.BYTES).order(java.nio.ByteOrder.nativeOrder());
        for (int i = 0; i < 18; i++) biasBytes.putFloat(-(i + 1));
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights p = PackedConvWeights.pack(g, MemorySegment.ofArray(bytes.array()),
                    MemorySegment.ofArray(biasBytes.array()), arena);
            MemorySegment s = p.segment();
            for (int oc = 0; oc < 32; oc++) {
                for (int ic = 0; ic < 32; ic++) {
                    for (int tap = 0; tap < 9; tap++) {
                        float expected = oc < 18 && ic < 20 ? (oc * 20 + ic) * 9 + tap + 1 : 0f;
                        long at = p.blockOffset(oc / C, ic / C, tap / 3, tap % 3) + ((long) (ic % C) * C + oc % C) * Float.BYTES;
                        if (oc < Blocking.padded(18) && ic < Blocking.padded(20)) {
                            assertEquals(expected, s.get(FLOAT, at), "oc " + oc + " ic " + ic + " tap " + tap);
                        }
                    }
                }
            }
            assertEquals(-18f, s.get(FLOAT, p.biasOffset() + 17L * Float.BYTES));
            assertEquals(0f, s.get(FLOAT, p.biasOffset() + 18L * Float.BYTES));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PackedConvWeights.pack(g, MemorySegment.ofArray(new byte[n * Float.BYTES - 1]), null, arena));
            assertEquals("weights: expected 3240 floats (12960 bytes), got 12959 bytes", e.getMessage());
        }
    }

    static Stream<int[]> packingShapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int cin : new int[] {1, 3, 7, 15, 16, 17, 20, 33}) {
            for (int cout : new int[] {1, 5, 16, 18, 40}) {
                for (int k : new int[] {1, 3, 5, 7}) shapes.add(new int[] {cin, cout, k});
            }
        }
        return shapes.stream();
    }

    /** The vector packing (transposes in registers) against its scalar twin, over every tail of both channel counts. */
    @ParameterizedTest
    @MethodSource("packingShapes")
    void vectorPackingEqualsScalarPackingBitForBit(int[] shape) {
        assumeTrue(Blocking.VECTOR, "the Vector API is not present");
        int cin = shape[0], cout = shape[1], k = shape[2];
        ConvGeometry g = ConvGeometry.of(cin, cout, k, 1, k / 2);
        SplittableRandom random = new SplittableRandom(cin * 1000L + cout * 10L + k);
        float[] w = new float[cout * cin * k * k];
        for (int i = 0; i < w.length; i++) w[i] = (float) random.nextDouble(-1, 1);
        float[] bias = new float[cout];
        for (int i = 0; i < cout; i++) bias[i] = (float) random.nextDouble(-1, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = PackedConvWeights.pack(g, MemorySegment.ofArray(w), MemorySegment.ofArray(bias), arena).segment();
            MemorySegment scalar = PackedConvWeights.packScalar(g, MemorySegment.ofArray(w), MemorySegment.ofArray(bias), arena).segment();
            assertEquals(-1, vector.mismatch(scalar), () -> "first differing byte " + vector.mismatch(scalar) + " for "
                    + cin + "→" + cout + " " + k + "×" + k);
        }
    }

    @Test
    void rejectsMismatches() {
        assertThrows(IllegalArgumentException.class, () -> new ConvGeometry(6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(3, 4, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(3, 4, 3, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> ConvGeometry.of(3, 4, 5, 1, 0).outHeight(4));
        ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> PackedConvWeights.pack(g, new float[10], null, arena));
            PackedConvWeights w = PackedConvWeights.pack(g, new float[16 * 16 * 9], null, arena);
            BlockedTensor t = BlockedTensor.dense(0, 1, 16, 4, 4);
            BlockedTensor small = BlockedTensor.dense(0, 1, 16, 3, 4);
            BlockedTensor other = BlockedTensor.dense(0, 1, 32, 4, 4);
            assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.create(g, w, false, t, small));
            assertThrows(IllegalArgumentException.class, () -> Conv2dKernels.create(g, w, false, other, t));
            assertThrows(IllegalArgumentException.class,
                    () -> Conv2dKernels.create(ConvGeometry.of(16, 16, 1, 1, 0), w, false, t, t));
        }
    }

    /** The vector tiles address the arena absolutely: a heap arena or one too small for the tensors is refused. */
    @Test
    void vectorKernelRefusesArenasThatDoNotHoldItsTensors() {
        assumeTrue(Blocking.VECTOR, "the Vector API is present");
        ConvGeometry g = ConvGeometry.of(16, 16, 3, 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            PackedConvWeights w = PackedConvWeights.pack(g, new float[16 * 16 * 9], null, arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, 16, 4, 4);
            BlockedTensor out = BlockedTensor.dense(in.end(), 1, 16, 4, 4);
            Kernel k = Conv2dKernels.create(g, w, true, in, out);
            MemorySegment enough = arena.allocate(out.end(), 64);
            k.run(enough, 0);
            IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                    () -> k.run(arena.allocate(out.end() - 4, 64), 0));
            assertTrue(small.getMessage().contains(Long.toString(out.end())), small.getMessage());
            assertThrows(IllegalArgumentException.class, () -> k.run(MemorySegment.ofArray(new float[(int) out.end()]), 0));
        }
    }
}
