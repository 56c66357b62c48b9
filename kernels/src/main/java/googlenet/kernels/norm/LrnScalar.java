package googlenet.kernels.norm;

import googlenet.kernels.Blocking;
import googlenet.kernels.FamilyKernel;
import googlenet.kernels.norm.Lrn.Params;

import java.lang.foreign.MemorySegment;

/**
 * The scalar LRN (see {@link Lrn}): computes in double exactly as the reference and equals it bit for bit. The
 * fallback when the Vector API is absent or the window or β does not suit the vector kernel, and its tested twin.
 */
final class LrnScalar extends FamilyKernel<Params> {

    LrnScalar(Params p) {
        super(p, "scalar");
    }

    @Override
    protected void run(MemorySegment arena, Params p, int n, int part, int block) {
        double scale = (double) p.alpha() / p.size();
        float k = p.k();
        float beta = p.beta();
        int before = p.before();
        int after = p.after();
        int c = Blocking.LANES;
        int channels = p.in().channels();
        long blockStride = p.in().blockStride();
        long pixelStride = p.in().pixelStride();
        long inImage = p.in().at(n, 0, 0, 0);
        long outBase = p.out().at(n, block, 0, 0);
        int p0 = p.tiles().first(part);
        int p1 = p.tiles().end(part);
        for (int lane = 0; lane < c; lane++) {
            int ch = block * c + lane;
            if (ch >= channels) {
                for (int q = p0; q < p1; q++) {
                    arena.set(FLOAT, outBase + q * pixelStride + (long) lane * Float.BYTES, 0f);
                }
                continue;
            }
            int lo = Math.max(0, ch - before);
            int hi = Math.min(channels - 1, ch + after);
            for (int q = p0; q < p1; q++) {
                long pixel = inImage + q * pixelStride;
                double sumSquares = 0.0;
                for (int j = lo; j <= hi; j++) {
                    double v = arena.get(FLOAT, pixel + (j / c) * blockStride + (long) (j % c) * Float.BYTES);
                    sumSquares += v * v;
                }
                float x = arena.get(FLOAT, pixel + block * blockStride + (long) lane * Float.BYTES);
                float y = (float) (x / Math.pow(k + scale * sumSquares, beta));
                arena.set(FLOAT, outBase + q * pixelStride + (long) lane * Float.BYTES, y);
            }
        }
    }
}
