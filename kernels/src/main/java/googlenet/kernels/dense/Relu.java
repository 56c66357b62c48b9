package googlenet.kernels.dense;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Standalone ReLU over an NCHWc tensor, {@code y = x > 0 ? x : +0} with NaN kept (as {@code ReferenceActivations}),
 * for producers that could not fuse it. May run in place ({@code in} and {@code out} the same view); padding lanes
 * map 0 to 0. Tasks: images × pixel tiles × channel blocks.
 */
public final class Relu {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final int PIXELS_PER_TASK = 4096;

    private Relu() {
    }

    /** Vector API kernel when {@link Blocking#VECTOR}, else the scalar blocked kernel. */
    public static Kernel create(BlockedTensor in, BlockedTensor out) {
        Params p = new Params(in, out);
        return Blocking.VECTOR ? new VectorRelu(p) : new ScalarRelu(p);
    }

    /** The scalar blocked kernel, whatever {@link Blocking#VECTOR} says. */
    public static Kernel createScalar(BlockedTensor in, BlockedTensor out) {
        return new ScalarRelu(new Params(in, out));
    }

    private static final class Params {
        final BlockedTensor in;
        final BlockedTensor out;
        final int blocks;
        final int plane;
        final int pixelsPerTile;
        final int tiles;

        Params(BlockedTensor in, BlockedTensor out) {
            if (in == null || out == null) {
                throw new IllegalArgumentException("tensors must not be null");
            }
            if (in.batch() != out.batch() || in.channels() != out.channels() || in.height() != out.height()
                    || in.width() != out.width()) {
                throw new IllegalArgumentException("relu input and output shapes differ");
            }
            if (!in.equals(out) && in.offset() < out.end() && out.offset() < in.end()) {
                throw new IllegalArgumentException("relu output overlaps its input without being the same view");
            }
            this.in = in;
            this.out = out;
            this.blocks = in.blocks();
            this.plane = in.height() * in.width();
            this.pixelsPerTile = Math.min(plane, PIXELS_PER_TASK);
            this.tiles = Math.ceilDiv(plane, pixelsPerTile);
        }

        int tasks() {
            return in.batch() * blocks * tiles;
        }
    }

    private static final class ScalarRelu implements Kernel {
        private final Params p;

        ScalarRelu(Params p) {
            this.p = p;
        }

        @Override
        public int tasks() {
            return p.tasks();
        }

        @Override
        public String describe() {
            return "relu " + p.in.channels() + "×" + p.in.height() + "×" + p.in.width() + " scalar";
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int block = task % p.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / p.blocks;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            long from = (long) p0 * Blocking.LANES * Float.BYTES;
            long to = (long) p1 * Blocking.LANES * Float.BYTES;
            long src = p.in.at(n, block, 0, 0);
            long dst = p.out.at(n, block, 0, 0);
            for (long off = from; off < to; off += Float.BYTES) {
                float v = arena.get(FLOAT, src + off);
                arena.set(FLOAT, dst + off, v > 0 || v != v ? v : 0f);
            }
        }
    }

    /** Only loaded when the Vector API is present. */
    private static final class VectorRelu implements Kernel {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final ByteOrder ORDER = ByteOrder.nativeOrder();
        private final Params p;

        VectorRelu(Params p) {
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
            return "relu " + p.in.channels() + "×" + p.in.height() + "×" + p.in.width() + " vector";
        }

        @Override
        public void run(MemorySegment arena, int task) {
            Params p = this.p;
            int block = task % p.blocks; // by image, then rows, then channel block (see the worker pool)
            int rest = task / p.blocks;
            int tile = rest % p.tiles;
            int n = rest / p.tiles;
            int p0 = tile * p.pixelsPerTile;
            int p1 = Math.min(p.plane, p0 + p.pixelsPerTile);
            long vec = (long) Blocking.LANES * Float.BYTES;
            long from = p0 * vec;
            long to = p1 * vec;
            long src = p.in.at(n, block, 0, 0);
            long dst = p.out.at(n, block, 0, 0);
            for (long off = from; off < to; off += vec) {
                FloatVector v = FloatVector.fromMemorySegment(S, arena, src + off, ORDER);
                v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoMemorySegment(arena, dst + off, ORDER);
            }
        }
    }
}
