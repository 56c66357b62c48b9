package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Scalar blocked convolution: plain loops over NCHWc tensors (the input may also be plain NCHW, see {@link ConvInput})
 * and {@link PackedConvWeights}, any groups, strides, paddings and dilations. The fallback when the Vector API is absent and the twin the vector kernel is tested
 * against. One task per (image, output-channel block, output row); each output sums bias then taps in
 * (ic, ky, kx) order in float.
 */
final class Conv2dScalar implements Kernel {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int C = Blocking.LANES;

    private final ConvGeometry g;
    private final MemorySegment weights;
    private final long biasOffset;
    private final boolean relu;
    private final ConvInput in;
    private final BlockedTensor out;
    private final int outBlocks;
    private final int outH;
    private final int outW;
    private final long[] weightBlock; // byte offset of [ocb=0][icb][ky][kx], index (icb·KH + ky)·KW + kx
    private final long weightOcbStride;

    Conv2dScalar(ConvGeometry g, PackedConvWeights w, boolean relu, ConvInput in, BlockedTensor out) {
        this.g = g;
        this.weights = w.segment();
        this.biasOffset = w.biasOffset();
        this.relu = relu;
        this.in = in;
        this.out = out;
        this.outBlocks = out.blocks();
        this.outH = out.height();
        this.outW = out.width();
        int icb = in.blocks();
        this.weightBlock = new long[icb * g.kernelH() * g.kernelW()];
        for (int b = 0; b < icb; b++) {
            for (int ky = 0; ky < g.kernelH(); ky++) {
                for (int kx = 0; kx < g.kernelW(); kx++) {
                    weightBlock[(b * g.kernelH() + ky) * g.kernelW() + kx] = w.blockOffset(0, b, ky, kx);
                }
            }
        }
        this.weightOcbStride = w.blockOffset(1, 0, 0, 0);
    }

    @Override
    public int tasks() {
        return out.batch() * outBlocks * outH;
    }

    @Override
    public void run(MemorySegment arena, int task) {
        int oy = task % outH;
        int rest = task / outH;
        int ocb = rest % outBlocks;
        int n = rest / outBlocks;
        int cig = g.inChannelsPerGroup();
        int cog = g.outChannelsPerGroup();
        int kh = g.kernelH();
        int kw = g.kernelW();
        int inH = in.height();
        int inW = in.width();
        long pixel = in.pixelBytes();
        if (g.groups() == 1) {
            runDense(arena, n, ocb, oy);
            return;
        }
        for (int ox = 0; ox < outW; ox++) {
            long dst = out.at(n, ocb, oy, ox);
            for (int lane = 0; lane < C; lane++) {
                int oc = ocb * C + lane;
                float acc = 0f;
                if (oc < g.outChannels()) {
                    acc = weights.get(FLOAT, biasOffset + (long) oc * Float.BYTES);
                    int ic0 = (oc / cog) * cig;
                    for (int ic = ic0; ic < ic0 + cig; ic++) {
                        int icb = ic / C;
                        int icLane = ic % C;
                        long wLane = (long) ocb * weightOcbStride + ((long) icLane * C + lane) * Float.BYTES;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                            if (iy < 0 || iy >= inH) {
                                continue;
                            }
                            long row = in.at(n, icb, iy, 0) + icLane * in.channelBytes();
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                                if (ix < 0 || ix >= inW) {
                                    continue;
                                }
                                float x = arena.get(FLOAT, row + ix * pixel);
                                float wv = weights.get(FLOAT, weightBlock[(icb * kh + ky) * kw + kx] + wLane);
                                acc += x * wv;
                            }
                        }
                    }
                    if (relu && acc < 0f) {
                        acc = 0f;
                    }
                }
                arena.set(FLOAT, dst + (long) lane * Float.BYTES, acc);
            }
        }
    }

    /**
     * One group: the output pixel's c lanes are the accumulators (bias first, then every tap in (ic, ky, kx)
     * order, each adding x · w[lane] for all lanes at once), so the innermost loop runs along contiguous lanes.
     */
    private void runDense(MemorySegment arena, int n, int ocb, int oy) {
        int kh = g.kernelH();
        int kw = g.kernelW();
        int inH = in.height();
        int inW = in.width();
        int inBlocks = in.blocks();
        long pixel = in.pixelBytes();
        long bias = biasOffset + (long) ocb * C * Float.BYTES;
        long wOcb = (long) ocb * weightOcbStride;
        for (int ox = 0; ox < outW; ox++) {
            long dst = out.at(n, ocb, oy, ox);
            for (int lane = 0; lane < C; lane++) {
                arena.set(FLOAT, dst + (long) lane * Float.BYTES, weights.get(FLOAT, bias + (long) lane * Float.BYTES));
            }
            for (int icb = 0; icb < inBlocks; icb++) {
                int icn = Math.min(C, g.inChannels() - icb * C);
                for (int i = 0; i < icn; i++) {
                    for (int ky = 0; ky < kh; ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                        if (iy < 0 || iy >= inH) {
                            continue;
                        }
                        long row = in.at(n, icb, iy, 0) + i * in.channelBytes();
                        for (int kx = 0; kx < kw; kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                            if (ix < 0 || ix >= inW) {
                                continue;
                            }
                            float x = arena.get(FLOAT, row + ix * pixel);
                            long wp = wOcb + weightBlock[(icb * kh + ky) * kw + kx] + (long) i * C * Float.BYTES;
                            for (int lane = 0; lane < C; lane++) {
                                long o = dst + (long) lane * Float.BYTES;
                                arena.set(FLOAT, o, arena.get(FLOAT, o) + x * weights.get(FLOAT, wp + (long) lane * Float.BYTES));
                            }
                        }
                    }
                }
            }
            if (relu) {
                for (int lane = 0; lane < C; lane++) {
                    long o = dst + (long) lane * Float.BYTES;
                    if (arena.get(FLOAT, o) < 0f) {
                        arena.set(FLOAT, o, 0f);
                    }
                }
            }
        }
    }

    @Override
    public String describe() {
        return "conv " + g.kernelH() + "×" + g.kernelW() + "/" + g.strideH() + " " + g.inChannels() + "→" + g.outChannels()
                + (g.groups() > 1 ? " groups " + g.groups() : "") + (g.dilationH() > 1 || g.dilationW() > 1 ? " dilated" : "")
                + (relu ? " +relu" : "") + (in.plain() ? " from NCHW" : "") + " scalar";
    }
}
