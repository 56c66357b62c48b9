package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies a blocked tensor into channels {@code [k, k + C)} of another blocked tensor of the same batch and H×W,
 * for any {@code k}: the fallback when a concat slice is not block-aligned, so lanes shift across blocks. Lanes of
 * the destination outside {@code [k, k + C)} are left untouched (another producer's channels), except padding
 * lanes (≥ the destination's channel count) of the blocks it touches, which it writes as 0. Tasks: images ×
 * pixel tiles × destination blocks touched.
 */
public final class ChannelCopy {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int PIXELS_PER_TASK = 4096;

    private ChannelCopy() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor src, BlockedTensor dst, int channelOffset) {
        Params p = new Params(src, dst, channelOffset);
        return Blocking.VECTOR ? new VectorCopy(p) : new ScalarCopy(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor src, BlockedTensor dst, int channelOffset) {
        return new ScalarCopy(new Params(src, dst, channelOffset));
    }

    private static final class Params {
        final BlockedTensor src;
        final BlockedTensor dst;
        final int k;
        final int firstBlock;
        final int touched;
        final int plane;
        final int pixelsPerTile;
        final int tiles;

        Params(BlockedTensor src, BlockedTensor dst, int channelOffset) {
            if (src == null || dst == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (src.batch() != dst.batch() || src.height() != dst.height() || src.width() != dst.width()) {
                throw new IllegalArgumentException("channel copy: batch or spatial size differ");
            }
            if (channelOffset < 0 || channelOffset + src.channels() > dst.channels()) {
                throw new IllegalArgumentException("channels [" + channelOffset + ", " + (channelOffset
                        + src.channels()) + ") do not fit in " + dst.channels());
            }
            if (src.offset() < dst.end() && dst.offset() < src.end()) {
                throw new IllegalArgumentException("channel copy source overlaps its destination");
            }
            int c = Blocking.LANES;
            this.src = src;
            this.dst = dst;
            this.k = channelOffset;
            this.firstBlock = channelOffset / c;
            this.touched = (channelOffset + src.channels() - 1) / c - firstBlock + 1;
            this.plane = src.height() * src.width();
            this.pixelsPerTile = Math.min(plane, PIXELS_PER_TASK);
            this.tiles = Math.ceilDiv(plane, pixelsPerTile);
        }

        int tasks() {
            return src.batch() * touched * tiles;
        }

        String describe(String variant) {
            return "channel copy " + src.channels() + " → [" + k + ", " + (k + src.channels()) + ") of "
                    + dst.channels() + " " + variant;
        }
    }

    private static final class ScalarCopy implements Kernel {
        private final Params p;

        ScalarCopy(Params p) {
            this.p = p;
        }

        @Override
        public int tasks() {
            return p.tasks();
        }

        @Override
        public String describe() {
            return p.describe("scalar");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int c = Blocking.LANES;
            int block = p.firstBlock + task % p.touched; // by image, then pixels, then block (see the worker pool)
            int rest = task / p.touched;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            long pixelStride = p.dst.pixelStride();
            for (int lane = 0; lane < c; lane++) {
                int ch = block * c + lane;
                boolean copy = ch >= p.k && ch < p.k + p.src.channels();
                if (!copy && ch < p.dst.channels()) {
                    continue;
                }
                long d = p.dst.at(n, block, 0, 0) + p0 * pixelStride + (long) lane * Float.BYTES;
                if (copy) {
                    int sch = ch - p.k;
                    long s = p.src.at(n, sch / c, 0, 0) + p0 * pixelStride + (long) (sch % c) * Float.BYTES;
                    for (int q = p0; q < p1; q++, d += pixelStride, s += pixelStride) {
                        arena.set(FLOAT, d, arena.get(FLOAT, s));
                    }
                } else {
                    for (int q = p0; q < p1; q++, d += pixelStride) {
                        arena.set(FLOAT, d, 0f);
                    }
                }
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorCopy implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Params p;

        VectorCopy(Params p) {
            if (S.length() != Blocking.LANES) {
                throw new IllegalStateException("vector species " + S + " does not match block " + Blocking.LANES);
            }
            this.p = p;
        }

        @Override
        public int tasks() {
            return p.tasks();
        }

        @Override
        public String describe() {
            return p.describe("vector");
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int c = Blocking.LANES;
            int block = p.firstBlock + task % p.touched; // by image, then pixels, then block (see the worker pool)
            int rest = task / p.touched;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            long pixelStride = p.dst.pixelStride();
            int base = block * c;
            // Destination lane l takes source channel base + l - k: blocks s0 and s0 + 1 from lane r on.
            int s0 = Math.floorDiv(base - p.k, c);
            int r = Math.floorMod(base - p.k, c);
            int srcBlocks = p.src.blocks();
            boolean hasLo = s0 >= 0 && s0 < srcBlocks;
            boolean hasHi = r != 0 && s0 + 1 < srcBlocks;
            long lo = hasLo ? p.src.at(n, s0, 0, 0) + p0 * pixelStride : 0;
            long hi = hasHi ? p.src.at(n, s0 + 1, 0, 0) + p0 * pixelStride : 0;
            int writeFrom = Math.max(p.k - base, 0);
            int writeTo = Math.min(p.k + p.src.channels() - base, c);
            int padFrom = Math.clamp(p.dst.channels() - base, 0, c);
            long writeBits = lanes(writeFrom, writeTo);
            long padBits = lanes(padFrom, c);
            long keepBits = lanes(0, c) & ~writeBits & ~padBits;
            VectorMask<Float> write = VectorMask.fromLong(S, writeBits);
            VectorMask<Float> keep = VectorMask.fromLong(S, keepBits);
            FloatVector zero = FloatVector.zero(S);
            long d = p.dst.at(n, block, 0, 0) + p0 * pixelStride;
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
}
