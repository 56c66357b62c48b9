package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;

import java.util.Arrays;

/**
 * Converts Gemm and MatMul of a computed input by a constant matrix into a {@link PendingLinear}: the weight as
 * {@code [out, in]} (transposed when the file stores {@code [in, out]}), so that a following Add of a constant can
 * still join the bias before the Linear node is made.
 */
final class LinearOps {
    private final OnnxReader r;

    LinearOps(OnnxReader r) {
        this.r = r;
    }

    void gemm() {
        String a = r.real(0);
        r.requireRank(a, 2);
        Const bm = r.floats(1, "B");
        if (bm.dims().length != 2) throw r.unsupported("B of shape " + Arrays.toString(bm.dims()) + " is not 2-D");
        float alpha = r.attrs.f("alpha", 1f);
        float beta = r.attrs.f("beta", 1f);
        if (r.attrs.i("transA", 0) != 0) throw r.unsupported("transA=1 is not supported (the activations must be N×K)");
        boolean transB = r.attrs.i("transB", 0) != 0;
        r.attrs.ignore("broadcast"); // opsets < 7 only; C broadcasts unidirectionally from 7 on
        int out = (int) (transB ? bm.dims()[0] : bm.dims()[1]);
        int k = (int) (transB ? bm.dims()[1] : bm.dims()[0]);
        if (r.shape(a).dim(1) != k) throw r.unsupported("A " + r.shape(a) + " and B " + Arrays.toString(bm.dims()) + " do not fit"
                + (transB ? " (transB=1)" : ""));
        Tensor w;
        if (transB && alpha == 1f) {
            w = bm.tensor(Shape.of(out, k)); // B is already [out, in]: passed on as read
        } else {
            float[] t = transB ? bm.f().clone() : transpose(bm.f(), k, out);
            if (alpha != 1f) for (int j = 0; j < t.length; j++) t[j] *= alpha;
            w = new Tensor(Shape.of(out, k), t);
        }
        float[] bias = null;
        if (r.has(2) && beta != 0f) {
            bias = vector(r.floats(2, "C"), out, r.shape(a).dim(0), "C");
            if (beta != 1f) for (int j = 0; j < bias.length; j++) bias[j] *= beta;
        }
        r.output(new PendingLinear(a, k, out, w, bias, OnnxReader.label(r.node)));
    }

    /** A constant that broadcasts along the last axis of N×out: scalar, [out], [1, out] (or [N, out] with N = 1). */
    float[] vector(Const c, int out, int batch, String role) {
        long[] d = c.dims();
        long count = c.count();
        boolean ok = count == 1 || (count == out && (d.length == 1 || (d.length == 2 && d[0] == 1)));
        if (!ok) throw r.unsupported(role + " of shape " + Arrays.toString(d) + " does not broadcast as one value per output feature (" + out + ")");
        float[] v = new float[out];
        for (int j = 0; j < out; j++) v[j] = c.f()[count == 1 ? 0 : j];
        return v;
    }

    static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        return t;
    }

    void matMul() {
        if (r.in(0) instanceof Const) throw r.unsupported("a constant first operand is not supported (expected activations × weights)");
        String a = r.real(0);
        if (r.shape(a).rank() != 2) throw r.unsupported("activations of shape " + r.shape(a) + " are not N×K (only 2-D MatMul is supported)");
        Const bm = r.floats(1, "B");
        if (bm.dims().length != 2) throw r.unsupported("weights of shape " + Arrays.toString(bm.dims()) + " are not 2-D");
        int k = (int) bm.dims()[0];
        int out = (int) bm.dims()[1];
        if (r.shape(a).dim(1) != k) throw r.unsupported("A " + r.shape(a) + " and B " + Arrays.toString(bm.dims()) + " do not fit");
        r.output(new PendingLinear(a, k, out, new Tensor(Shape.of(out, k), transpose(bm.f(), k, out)), null, OnnxReader.label(r.node)));
    }
}
