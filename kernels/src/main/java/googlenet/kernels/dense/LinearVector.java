package googlenet.kernels.dense;

import static googlenet.kernels.dense.Linear.GROUP;
import static googlenet.kernels.dense.Linear.IMAGES;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.dense.Linear.Params;

import java.lang.foreign.MemorySegment;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The fully connected layer on the Vector API (see {@link Linear}): {@value Linear#GROUP} output blocks (× 4 images
 * when the batch allows) in registers, the group's weights streamed once. Only loaded when the Vector API is present.
 */
final class LinearVector extends FamilyVectorKernel<Params> {

    LinearVector(Params p) {
        super(p, "vector " + GROUP + " blocks × " + IMAGES + " images");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int chunk, int part, int g) {
        int n0 = chunk * IMAGES;
        int n1 = Math.min(p.in.batch(), n0 + IMAGES);
        if (n1 - n0 == IMAGES) {
            tile4(arena, g, n0);
        } else {
            for (int n = n0; n < n1; n++) {
                tile1(arena, g, n);
            }
        }
    }

    private void tile1(MemorySegment arena, int g, int n) {
        Params p = shape;
        MemorySegment weights = p.weights;
        int c = Blocking.LANES;
        long vec = (long) c * Float.BYTES;
        long row = GROUP * vec;
        int b0 = g * GROUP * c;
        FloatVector a0 = FloatVector.fromArray(S, p.bias, b0);
        FloatVector a1 = FloatVector.fromArray(S, p.bias, b0 + c);
        FloatVector a2 = FloatVector.fromArray(S, p.bias, b0 + 2 * c);
        FloatVector a3 = FloatVector.fromArray(S, p.bias, b0 + 3 * c);
        long x = p.in.at(n, 0, 0, 0);
        long xEnd = x + (long) p.k * Float.BYTES;
        long w = (long) g * p.k * row;
        for (; x < xEnd; x += Float.BYTES, w += row) {
            FloatVector xv = FloatVector.broadcast(S, arena.get(FLOAT, x));
            a0 = FloatVector.fromMemorySegment(S, weights, w, ORDER).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(S, weights, w + vec, ORDER).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(S, weights, w + 2 * vec, ORDER).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(S, weights, w + 3 * vec, ORDER).fma(xv, a3);
        }
        int block = g * GROUP;
        int live = Math.min(GROUP, p.outBlocks - block);
        a0.intoMemorySegment(arena, p.out.at(n, block, 0, 0), ORDER);
        if (live > 1) a1.intoMemorySegment(arena, p.out.at(n, block + 1, 0, 0), ORDER);
        if (live > 2) a2.intoMemorySegment(arena, p.out.at(n, block + 2, 0, 0), ORDER);
        if (live > 3) a3.intoMemorySegment(arena, p.out.at(n, block + 3, 0, 0), ORDER);
        finish(arena, n, n + 1, block, live);
    }

    private void tile4(MemorySegment arena, int g, int n0) {
        Params p = shape;
        MemorySegment weights = p.weights;
        int c = Blocking.LANES;
        long vec = (long) c * Float.BYTES;
        long row = GROUP * vec;
        int b0 = g * GROUP * c;
        FloatVector a00 = FloatVector.fromArray(S, p.bias, b0);
        FloatVector a01 = FloatVector.fromArray(S, p.bias, b0 + c);
        FloatVector a02 = FloatVector.fromArray(S, p.bias, b0 + 2 * c);
        FloatVector a03 = FloatVector.fromArray(S, p.bias, b0 + 3 * c);
        FloatVector a10 = a00, a11 = a01, a12 = a02, a13 = a03;
        FloatVector a20 = a00, a21 = a01, a22 = a02, a23 = a03;
        FloatVector a30 = a00, a31 = a01, a32 = a02, a33 = a03;
        long x0 = p.in.at(n0, 0, 0, 0);
        long x1 = p.in.at(n0 + 1, 0, 0, 0);
        long x2 = p.in.at(n0 + 2, 0, 0, 0);
        long x3 = p.in.at(n0 + 3, 0, 0, 0);
        long w = (long) g * p.k * row;
        for (long off = 0, end = (long) p.k * Float.BYTES; off < end; off += Float.BYTES, w += row) {
            FloatVector w0 = FloatVector.fromMemorySegment(S, weights, w, ORDER);
            FloatVector w1 = FloatVector.fromMemorySegment(S, weights, w + vec, ORDER);
            FloatVector w2 = FloatVector.fromMemorySegment(S, weights, w + 2 * vec, ORDER);
            FloatVector w3 = FloatVector.fromMemorySegment(S, weights, w + 3 * vec, ORDER);
            FloatVector xv = FloatVector.broadcast(S, arena.get(FLOAT, x0 + off));
            a00 = w0.fma(xv, a00);
            a01 = w1.fma(xv, a01);
            a02 = w2.fma(xv, a02);
            a03 = w3.fma(xv, a03);
            xv = FloatVector.broadcast(S, arena.get(FLOAT, x1 + off));
            a10 = w0.fma(xv, a10);
            a11 = w1.fma(xv, a11);
            a12 = w2.fma(xv, a12);
            a13 = w3.fma(xv, a13);
            xv = FloatVector.broadcast(S, arena.get(FLOAT, x2 + off));
            a20 = w0.fma(xv, a20);
            a21 = w1.fma(xv, a21);
            a22 = w2.fma(xv, a22);
            a23 = w3.fma(xv, a23);
            xv = FloatVector.broadcast(S, arena.get(FLOAT, x3 + off));
            a30 = w0.fma(xv, a30);
            a31 = w1.fma(xv, a31);
            a32 = w2.fma(xv, a32);
            a33 = w3.fma(xv, a33);
        }
        int block = g * GROUP;
        int live = Math.min(GROUP, p.outBlocks - block);
        a00.intoMemorySegment(arena, p.out.at(n0, block, 0, 0), ORDER);
        a10.intoMemorySegment(arena, p.out.at(n0 + 1, block, 0, 0), ORDER);
        a20.intoMemorySegment(arena, p.out.at(n0 + 2, block, 0, 0), ORDER);
        a30.intoMemorySegment(arena, p.out.at(n0 + 3, block, 0, 0), ORDER);
        if (live > 1) {
            a01.intoMemorySegment(arena, p.out.at(n0, block + 1, 0, 0), ORDER);
            a11.intoMemorySegment(arena, p.out.at(n0 + 1, block + 1, 0, 0), ORDER);
            a21.intoMemorySegment(arena, p.out.at(n0 + 2, block + 1, 0, 0), ORDER);
            a31.intoMemorySegment(arena, p.out.at(n0 + 3, block + 1, 0, 0), ORDER);
        }
        if (live > 2) {
            a02.intoMemorySegment(arena, p.out.at(n0, block + 2, 0, 0), ORDER);
            a12.intoMemorySegment(arena, p.out.at(n0 + 1, block + 2, 0, 0), ORDER);
            a22.intoMemorySegment(arena, p.out.at(n0 + 2, block + 2, 0, 0), ORDER);
            a32.intoMemorySegment(arena, p.out.at(n0 + 3, block + 2, 0, 0), ORDER);
        }
        if (live > 3) {
            a03.intoMemorySegment(arena, p.out.at(n0, block + 3, 0, 0), ORDER);
            a13.intoMemorySegment(arena, p.out.at(n0 + 1, block + 3, 0, 0), ORDER);
            a23.intoMemorySegment(arena, p.out.at(n0 + 2, block + 3, 0, 0), ORDER);
            a33.intoMemorySegment(arena, p.out.at(n0 + 3, block + 3, 0, 0), ORDER);
        }
        finish(arena, n0, n0 + IMAGES, block, live);
    }

    /**
     * The epilogue, in place on the stored sums of images [n0, n1) × output blocks [block, block + live): ReLU, and
     * zeros in the padding lanes of the last block (even if the input held Inf/NaN). It takes no vector: a vector
     * passed to a call the JIT did not inline is boxed on the heap (C2 stops inlining in a method as large as
     * tile4 once its node budget runs out), so the tiles store their sums and this reloads them.
     */
    private void finish(MemorySegment arena, int n0, int n1, int block, int live) {
        Params p = shape;
        for (int n = n0; n < n1; n++) {
            for (int b = block; b < block + live; b++) {
                long at = p.out.at(n, b, 0, 0);
                FloatVector v = FloatVector.fromMemorySegment(S, arena, at, ORDER);
                if (p.relu) {
                    v = v.blend(0f, v.compare(VectorOperators.LE, 0f));
                }
                int real = p.outFeatures - b * Blocking.LANES;
                if (real < Blocking.LANES) {
                    v = FloatVector.zero(S).blend(v, S.indexInRange(0, real));
                }
                v.intoMemorySegment(arena, at, ORDER);
            }
        }
    }
}
