package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.layout.ChannelCopy.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The channel copy on the Vector API (see {@link ChannelCopy}): a destination block's lanes from two source blocks
 * with one {@code slice}, blended under masks. Only loaded when the Vector API is present.
 */
final class ChannelCopyVector extends FamilyVectorKernel<Params> {

    ChannelCopyVector(Params p) {
        super(p);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int touched) {
        int block = p.firstBlock() + touched;
        int c = Blocking.LANES;
        int k = p.k();
        BlockedTensor src = p.src();
        BlockedTensor dst = p.dst();
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        long pixelStride = dst.pixelStride();
        int base = block * c;
        // Destination lane l takes source channel base + l - k: blocks s0 and s0 + 1 from lane r on.
        int s0 = Math.floorDiv(base - k, c);
        int r = Math.floorMod(base - k, c);
        int srcBlocks = src.blocks();
        boolean hasLo = s0 >= 0 && s0 < srcBlocks;
        boolean hasHi = r != 0 && s0 + 1 < srcBlocks;
        long lo = hasLo ? src.at(n, s0, 0, 0) + p0 * pixelStride : 0;
        long hi = hasHi ? src.at(n, s0 + 1, 0, 0) + p0 * pixelStride : 0;
        int writeFrom = Math.max(k - base, 0);
        int writeTo = Math.min(k + src.channels() - base, c);
        int padFrom = Math.clamp(dst.channels() - base, 0, c);
        long writeBits = lanes(writeFrom, writeTo);
        long padBits = lanes(padFrom, c);
        long keepBits = lanes(0, c) & ~writeBits & ~padBits;
        VectorMask<Float> write = VectorMask.fromLong(S, writeBits);
        VectorMask<Float> keep = VectorMask.fromLong(S, keepBits);
        FloatVector zero = FloatVector.zero(S);
        long d = dst.at(n, block, 0, 0) + p0 * pixelStride;
        for (int q = p0; q < p1; q++, d += pixelStride, lo += pixelStride, hi += pixelStride) {
            FloatVector a = hasLo ? FloatVector.fromMemorySegment(S, arena, lo, ORDER) : zero;
            FloatVector v;
            if (r == 0) {
                v = a;
            } else {
                FloatVector b = hasHi ? FloatVector.fromMemorySegment(S, arena, hi, ORDER) : zero;
                v = a.slice(r, b);
            }
            v = zero.blend(v, write);
            if (keepBits != 0) {
                v = v.blend(FloatVector.fromMemorySegment(S, arena, d, ORDER), keep);
            }
            v.intoMemorySegment(arena, d, ORDER);
        }
    }

    private static long lanes(int from, int to) {
        long upTo = to >= 64 ? -1L : (1L << to) - 1;
        long below = (1L << from) - 1;
        return from >= to ? 0L : upTo & ~below;
    }
}
