package googlenet.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The register tiles of {@link Conv2dVectorTiles} and the Winograd product of {@link Conv2dWinogradVector} as a few
 * small loops, one output vector at a time, with exactly their float operations in their order: the same bits. A
 * one-shot run uses them (see {@code Options.compactKernels}): until C2 compiles the Vector API, every vector is boxed
 * and the code runs about 100× slower, and C2 takes seconds over the large unrolled tiles but milliseconds over
 * these. They run 4–5× slower than the tiles once both are compiled (one accumulator chain at a time, so FMA latency
 * bound), which is nothing against the seconds of compilation a single inference would otherwise wait for.
 */
final class CompactTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int C = S.length();
    private static final long PIX = (long) C * Float.BYTES;
    private static final ByteOrder NO = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** All of memory, as in Conv2dVectorTiles: the caller checks the bounds. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private CompactTiles() {
    }

    /**
     * What {@link Conv2dVectorTiles#tile} computes for the same arguments: each of the tile's {@code ob × p} output
     * vectors (or the pair's 2) starts from its bias and takes the steps of the taps in {@code runs} in order, channels
     * inside; a one-pixel tile on whole blocks sums the even and the odd channel steps in two chains (from the bias and
     * from −0) and adds them at the end, as the generated one does.
     */
    static void tile(TileConstants k, int code, MemorySegment arena, long in, long w, long bias, long out, long[] runs,
                     long pairIn, long pairOut) {
        in += arena.address();
        out += arena.address();
        w += k.weightsAddress;
        bias += k.weightsAddress;
        int ob = code >> 4 & 0xf;
        int p = code & 0xf;
        // Arithmetic, not branches, on what differs between layers: a branch that one layer never takes is left out
        // of C2's code for it, and the next layer that takes it sends the tile back to the interpreter.
        int pair = Conv2dVectorTiles.pairBit(code);
        int partial = Conv2dVectorTiles.partialBit(code);
        int chans = C - partial * (C - k.lastBlockChannels);
        int pixels = p + pair * (2 - p);
        // A partial tile reads blocked or plain input (pixel and channel strides of the kernel's input).
        long pixel = PIX + partial * (k.inPixelBytes - PIX);
        long channel = Float.BYTES + partial * (k.inChannelBytes - Float.BYTES);
        long strideIn = Conv2dVectorTiles.stride(code) * pixel;
        long pixelIn = strideIn + pair * (pairIn - strideIn);
        long pixelOut = PIX + pair * (pairOut - PIX);
        boolean twoChains = p == 1 && partial == 0;
        FloatVector floor = FloatVector.broadcast(S, k.floor);
        for (int b = 0; b < ob; b++) {
            long wb = w + b * k.weightBlockStride;
            for (int px = 0; px < pixels; px++) {
                long x = in + px * pixelIn;
                FloatVector acc = FloatVector.fromMemorySegment(S, ALL, bias + b * PIX, NO);
                if (twoChains) {
                    FloatVector odd = FloatVector.broadcast(S, -0f);
                    for (int t = 0; t < runs.length; t += 2) {
                        long xj = x + runs[t];
                        long wj = wb + runs[t + 1];
                        for (int c = 0; c < C; c += 2, xj += 2 * Float.BYTES, wj += 2 * PIX) {
                            acc = step(xj, wj, acc);
                            odd = step(xj + Float.BYTES, wj + PIX, odd);
                        }
                    }
                    acc = acc.add(odd);
                } else {
                    for (int t = 0; t < runs.length; t += 2) {
                        long xj = x + runs[t];
                        long wj = wb + runs[t + 1];
                        for (int c = 0; c < chans; c++, xj += channel, wj += PIX) {
                            acc = step(xj, wj, acc);
                        }
                    }
                }
                acc.max(floor).intoMemorySegment(ALL, out + b * k.outBlockStride + px * pixelOut, NO);
            }
        }
    }

    /**
     * What {@link Conv2dWinogradVector} multiplies for the same arguments (see {@link Conv2dWinograd#multiply}): each
     * {@code M[b][p]} from zero over the input channels in order.
     */
    static void multiply(long v, long u, long m, int icBlocks, int blocks) {
        int tiles = Conv2dWinograd.P;
        for (int b = 0; b < blocks; b++) {
            for (int p = 0; p < tiles; p++) {
                FloatVector acc = FloatVector.zero(S);
                long x = v + p * PIX;
                long w = u + b * PIX;
                for (int icb = 0; icb < icBlocks; icb++, x += tiles * PIX) {
                    for (int i = 0; i < C; i++, w += blocks * PIX) {
                        acc = step(x + i * Float.BYTES, w, acc);
                    }
                }
                acc.intoMemorySegment(ALL, m + (long) (b * tiles + p) * Conv2dWinograd.XI * PIX, NO);
            }
        }
    }

    /** One channel step: the input float at {@code x} broadcast, times the weight vector at {@code w}, plus {@code acc}. */
    private static FloatVector step(long x, long w, FloatVector acc) {
        return FloatVector.broadcast(S, ALL.get(F, x)).fma(FloatVector.fromMemorySegment(S, ALL, w, NO), acc);
    }
}
