package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Builds convolution steps over NCHWc tensors. {@link #create} picks the Vector API register-tiled kernel when
 * {@link Blocking#VECTOR} holds and the convolution has one group, no dilation and a horizontal stride of 1 or 2
 * (every GoogLeNet convolution); anything else runs on the scalar blocked kernel, which is correct, not fast.
 *
 * <p>{@code in} and {@code out} are views into the arena the kernel later runs on; {@code out} may be a channel slice
 * of a larger tensor (a concat), and the kernel writes exactly its blocks, zeros in the padding lanes of the last one.
 * The input's padding lanes must be zero. Output height and width must be those the geometry gives for the input.
 * The packed weights' segment must be readable by every thread that runs the kernel.
 */
public final class Conv2dKernels {
    private Conv2dKernels() {
    }

    /** The fastest kernel available for this convolution. */
    public static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        return create(g, w, relu, in, out, false);
    }

    /**
     * With {@code compact}, the vector kernel runs its register tiles as a few small loops with the same float operations
     * in the same order (the same bits): C2 compiles them in milliseconds instead of seconds, and they run 4–5× slower
     * once compiled. For a process that runs one inference.
     */
    public static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out,
                                boolean compact) {
        return create(g, w, relu, ConvInput.of(in), out, compact);
    }

    /** Always the scalar blocked kernel: the fallback and the twin the vector kernel is tested against. */
    public static Kernel createScalar(ConvGeometry g, PackedConvWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        return createScalar(g, w, relu, ConvInput.of(in), out);
    }

    /**
     * Whether a convolution can read its input plain, in NCHW (see {@link #create(ConvGeometry, PackedConvWeights,
     * boolean, PlainTensor, BlockedTensor, boolean)}): at most one block of channels.
     */
    public static boolean readsPlainInput(ConvGeometry g) {
        return g.inChannels() <= Blocking.LANES;
    }

    /**
     * The fastest kernel for this convolution reading plain NCHW input (the network's input, as the caller gave it)
     * instead of a blocked copy: the input of a first convolution is then never packed. Only for {@link
     * #readsPlainInput}. The same bits as on the blocked input.
     */
    public static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, PlainTensor in, BlockedTensor out,
                                boolean compact) {
        return create(g, w, relu, ConvInput.of(in), out, compact);
    }

    /** The scalar kernel on plain NCHW input: the twin of the vector one. */
    public static Kernel createScalar(ConvGeometry g, PackedConvWeights w, boolean relu, PlainTensor in, BlockedTensor out) {
        return createScalar(g, w, relu, ConvInput.of(in), out);
    }

    private static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, ConvInput in, BlockedTensor out,
                                 boolean compact) {
        check(g, w, in, out);
        if (Blocking.VECTOR && Conv2dVector.supports(g)) {
            return VectorFactory.create(g, w, relu, in, out, compact);
        }
        return new Conv2dScalar(g, w, relu, in, out);
    }

    private static Kernel createScalar(ConvGeometry g, PackedConvWeights w, boolean relu, ConvInput in, BlockedTensor out) {
        check(g, w, in, out);
        return new Conv2dScalar(g, w, relu, in, out);
    }

    /**
     * A 3×3 stride-1 convolution by Winograd F(4×4, 3×3) (see {@link WinogradWeights#supports}): on the Vector API
     * when {@link Blocking#VECTOR} holds, else on its scalar twin, which computes the same bits. Its tasks need
     * {@link Kernel#scratchBytes()} of scratch each; run them with {@link Kernel#run(MemorySegment, int, MemorySegment)}.
     */
    public static Kernel createWinograd(WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        return createWinograd(w, relu, in, out, false);
    }

    /** With {@code compact}, the product runs as a small loop: see {@link #create(ConvGeometry, PackedConvWeights, boolean, BlockedTensor, BlockedTensor, boolean)}. */
    public static Kernel createWinograd(WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out,
                                        boolean compact) {
        Objects.requireNonNull(w, "weights");
        checkShapes(w.geometry(), ConvInput.of(in), out);
        if (Blocking.VECTOR) return VectorFactory.createWinograd(w, relu, in, out, compact);
        return new Conv2dWinogradScalar(w.geometry(), w, relu, in, out);
    }

    /** Always the scalar Winograd kernel: the twin the vector one is tested against. */
    public static Kernel createWinogradScalar(WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        Objects.requireNonNull(w, "weights");
        checkShapes(w.geometry(), ConvInput.of(in), out);
        return new Conv2dWinogradScalar(w.geometry(), w, relu, in, out);
    }

    /** One call of one register tile on a small scratch problem (see {@link #tileWarmUps}). */
    public record TileCall(String tile, Runnable call) {
    }

    /**
     * For JIT warm-up: the distinct register tiles that {@code kernels} (a plan's steps; other kernels are ignored)
     * run, each as a call on a small scratch convolution in {@code arena} (zeros, a few KB). A tile method is
     * compiled by C2 only after thousands of calls or loop iterations; a tile that a plan runs only at a few border
     * pixels or in one small step would otherwise stay interpreted (boxing every vector) long after the hot tiles
     * are compiled. Calling each of these until it stops allocating brings every tile a plan uses to C2 cheaply.
     */
    public static List<TileCall> tileWarmUps(Iterable<Kernel> kernels, Arena arena) {
        Objects.requireNonNull(arena, "arena");
        TreeSet<Integer> codes = tileCodes(kernels);
        List<TileCall> calls = new ArrayList<>();
        if (codes.isEmpty()) return calls;
        // One scratch kernel per flavour (channel kind, stride): a 3×3 unpadded convolution, 4 output blocks, a row wide
        // enough for the widest tile; each tile code runs over all its taps at the first output pixels (a row pair, of
        // stride 1, at the first two rows).
        Scratch[] scratch = new Scratch[4];
        for (int code : codes) {
            boolean partial = Conv2dVectorTiles.isPartial(code);
            int stride = Conv2dVectorTiles.stride(code);
            int index = (partial ? 2 : 0) + stride - 1;
            if (scratch[index] == null) scratch[index] = Scratch.of(partial, stride, arena);
            Scratch s = scratch[index];
            calls.add(new TileCall(Conv2dVectorTiles.name(code), () -> s.kernel.callTile(code, s.memory)));
        }
        return calls;
    }

    /** The names of the register tiles ({@code tile4x5s1}, …) the vector convolutions among {@code kernels} run. */
    public static List<String> tilesUsed(Iterable<Kernel> kernels) {
        return tileCodes(kernels).stream().map(Conv2dVectorTiles::name).toList();
    }

    private static TreeSet<Integer> tileCodes(Iterable<Kernel> kernels) {
        TreeSet<Integer> codes = new TreeSet<>();
        for (Kernel k : kernels) {
            if (k instanceof Conv2dVector v) {
                for (int code : v.tileCodes()) codes.add(code);
            }
        }
        return codes;
    }

    private record Scratch(Conv2dVector kernel, MemorySegment memory) {
        static Scratch of(boolean partial, int stride, Arena arena) {
            int inChannels = partial ? 3 : Blocking.LANES;
            int width = (Conv2dVectorTiles.MAX_PIXELS[1] - 1) * stride + 3;
            ConvGeometry g = ConvGeometry.of(inChannels, 4 * Blocking.LANES, 3, stride, 0);
            PackedConvWeights w = PackedConvWeights.pack(g, new float[g.outChannels() * inChannels * 9], null, arena);
            BlockedTensor in = BlockedTensor.dense(0, 1, inChannels, 4, width); // 2 output rows at stride 1: row pairs
            BlockedTensor out = BlockedTensor.dense(in.end(), 1, g.outChannels(), g.outHeight(4), g.outWidth(width));
            return new Scratch(new Conv2dVector(g, w, false, in, out), arena.allocate(out.end(), 64));
        }
    }

    private static void check(ConvGeometry g, PackedConvWeights w, ConvInput in, BlockedTensor out) {
        Objects.requireNonNull(g, "geometry");
        Objects.requireNonNull(w, "weights");
        if (!w.geometry().equals(g)) {
            throw new IllegalArgumentException("weights were packed for " + w.geometry() + ", not " + g);
        }
        checkShapes(g, in, out);
    }

    private static void checkShapes(ConvGeometry g, ConvInput in, BlockedTensor out) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        if (in.channels() != g.inChannels() || out.channels() != g.outChannels()) {
            throw new IllegalArgumentException("channels " + in.channels() + "→" + out.channels() + " do not match " + g);
        }
        if (in.batch() != out.batch()) {
            throw new IllegalArgumentException("batch " + in.batch() + " in, " + out.batch() + " out");
        }
        if (out.height() != g.outHeight(in.height()) || out.width() != g.outWidth(in.width())) {
            throw new IllegalArgumentException("output " + out.height() + "×" + out.width() + " but " + g + " on "
                    + in.height() + "×" + in.width() + " gives " + g.outHeight(in.height()) + "×" + g.outWidth(in.width()));
        }
    }

    /** Keeps Vector API classes out of this class's linkage, so that their absence cannot break it. */
    private static final class VectorFactory {
        static Kernel create(ConvGeometry g, PackedConvWeights w, boolean relu, ConvInput in, BlockedTensor out,
                             boolean compact) {
            return new Conv2dVector(g, w, relu, in, out, compact);
        }

        static Kernel createWinograd(WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out,
                                     boolean compact) {
            return new Conv2dWinogradVector(w.geometry(), w, relu, in, out, compact);
        }
    }
}
