package googlenet.kernels.layout;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyVectorKernel;
import googlenet.kernels.layout.UnpackOutput.Params;

import java.lang.foreign.MemorySegment;

/**
 * Unpacking on the Vector API (see {@link UnpackOutput}), only loaded when the Vector API is present: a block's pixels
 * 16 at a time (the last group moved back to end at the last pixel, its overlap written twice with the same values),
 * 16 pixels × 16 channels transposed in registers ({@link TransposeVector16}), the real channels' 16-pixel runs stored
 * whole. A plane of fewer than 16 pixels (the logits' 1×1) runs the scalar loop. Reads and writes at absolute
 * addresses; {@link #run} checks once per task that the arena is native memory holding the source and the destination.
 */
final class UnpackOutputVector extends FamilyVectorKernel<Params> {
    private static final int C = TransposeVector16.C;
    private static final long PIXEL = (long) C * Float.BYTES;

    UnpackOutputVector(Params p) {
        super(p);
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        if (!arena.isNative() || arena.byteSize() < p.arenaBytes()) {
            throw new IllegalArgumentException("unpack needs native memory of at least " + p.arenaBytes()
                    + " bytes (its source and destination); got " + (arena.isNative() ? "" : "a heap segment of ")
                    + arena.byteSize() + " bytes");
        }
        BlockedTensor src = p.src();
        long plane = (long) src.height() * src.width();
        if (plane < C || src.pixelStride() != PIXEL) {
            UnpackOutputScalar.unpack(p, arena, n, block);
            return;
        }
        int real = Math.min(Blocking.LANES, src.channels() - block * Blocking.LANES);
        long in = arena.address() + src.at(n, block, 0, 0);
        long out = arena.address() + p.destination(n, block);
        long planeBytes = plane * Float.BYTES;
        for (long i = 0; i < plane; i += C) {
            long x = Math.min(i, plane - C);
            TransposeVector16.transpose(in + x * PIXEL, PIXEL, C, out + x * Float.BYTES, planeBytes, real);
        }
    }
}
