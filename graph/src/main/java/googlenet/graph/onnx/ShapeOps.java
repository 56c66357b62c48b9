package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Flatten;
import googlenet.graph.onnx.Value.Real;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;
import googlenet.graph.onnx.proto.OnnxProto.TensorProto;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Converts the ops that move data without computing: Concat (on channels, or of constants), Flatten at any axis,
 * Reshape and Squeeze/Unsqueeze that flatten or only add or drop unit axes, Gather, Shape and Cast — folded when their
 * inputs are constants (the shape arithmetic exporters write).
 */
final class ShapeOps {
    private final OnnxReader r;

    ShapeOps(OnnxReader r) {
        this.r = r;
    }

    void concat() {
        AttributeProto a = r.attrs.attr("axis");
        if (a == null && r.opset >= 4) throw r.unsupported("attribute 'axis' is required");
        long axisAttr = r.attrs.i("axis", 1); // opsets 1-3: 1 by default
        List<Value> ins = new ArrayList<>();
        for (int k = 0; k < r.node.getInputCount(); k++) if (r.has(k)) ins.add(r.in(k));
        if (ins.isEmpty()) throw r.unsupported("no inputs");
        if (ins.stream().allMatch(v -> v instanceof Const c && !c.isFloat() && c.dims().length == 1)) {
            List<Long> all = new ArrayList<>();
            for (Value v : ins) for (long x : ((Const) v).i()) all.add(x);
            r.output(new Const(new long[] {all.size()}, null, all.stream().mapToLong(Long::longValue).toArray()));
            return;
        }
        if (ins.stream().allMatch(v -> v instanceof Affine af && !af.squeezed && af.materialized == null)) {
            Affine first = (Affine) ins.getFirst();
            int rank = r.shape(first.src).rank();
            if (r.axis(axisAttr, rank) == 1 && ins.stream().allMatch(v -> ((Affine) v).src.equals(first.src))) {
                int total = ins.stream().mapToInt(v -> ((Affine) v).channels.length).sum();
                int[] ch = new int[total];
                double[] sc = new double[total];
                double[] sh = new double[total];
                int o = 0;
                for (Value v : ins) {
                    Affine af = (Affine) v;
                    System.arraycopy(af.channels, 0, ch, o, af.channels.length);
                    System.arraycopy(af.scale, 0, sc, o, af.channels.length);
                    System.arraycopy(af.shift, 0, sh, o, af.channels.length);
                    o += af.channels.length;
                }
                r.output(new Affine(first.src, ch, sc, sh, false, OnnxReader.label(r.node)));
                return;
            }
        }
        String[] xs = new String[ins.size()];
        boolean nonNeg = true;
        for (int k = 0; k < xs.length; k++) {
            xs[k] = r.materialize(ins.get(k), r.user());
            nonNeg &= r.nonNegative.contains(xs[k]);
        }
        String n = r.add(new Concat(r.axis(axisAttr, r.shape(xs[0]).rank())), xs);
        if (nonNeg) r.nonNegative.add(n);
    }

    void flatten() {
        String x = r.real(0);
        int rank = r.shape(x).rank();
        long axis = r.attrs.i("axis", 1);
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a > rank) throw r.unsupported("axis " + axis + " is out of range for rank " + rank);
        String n = r.add(new Flatten((int) a), x);
        if (r.nonNegative.contains(x)) r.nonNegative.add(n);
    }

    void reshape() {
        Value v = r.in(0);
        Const target = r.opset < 5 ? shapeAttribute() : r.constant(1, "shape");
        if (target.isFloat() || target.dims().length != 1) throw r.unsupported("the shape must be a 1-D int64 constant");
        boolean allowZero = r.attrs.i("allowzero", 0) != 0;
        if (v instanceof Const c) {
            long[] dims = resolveShape(c.dims(), target.i(), allowZero);
            r.output(c.reshaped(dims));
            return;
        }
        String x = r.materialize(v, r.user());
        int[] in = r.shape(x).dims();
        long[] inL = Arrays.stream(in).asLongStream().toArray();
        long[] dims = resolveShape(inL, target.i(), allowZero);
        if (Arrays.equals(dims, inL)) {
            r.output(new Real(x));
            return;
        }
        long features = r.shape(x).elements() / in[0];
        if (dims.length == 2 && dims[0] == in[0] && dims[1] == features) {
            String n = r.add(new Flatten(), x);
            if (r.nonNegative.contains(x)) r.nonNegative.add(n);
            return;
        }
        throw r.unsupported("reshaping " + r.shape(x) + " to " + Arrays.toString(target.i())
                + " is not supported (only flattening to [N, -1])");
    }

    /** Reshape's target shape in opsets 1-4: the attribute 'shape'. */
    Const shapeAttribute() {
        long[] shape = r.attrs.ints("shape", null);
        if (shape == null) throw r.unsupported("attribute 'shape' is required (opset " + r.opset + ")");
        return new Const(new long[] {shape.length}, null, shape);
    }

    /** ONNX Reshape's rules: 0 copies the input dimension (unless allowzero), one -1 is inferred. */
    long[] resolveShape(long[] in, long[] target, boolean allowZero) {
        long total = 1;
        for (long d : in) total *= d;
        long[] out = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) throw r.unsupported("shape " + Arrays.toString(target) + " copies a dimension the input lacks");
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) throw r.unsupported("shape " + Arrays.toString(target) + " has two -1");
                infer = i;
            } else if (out[i] <= 0) {
                throw r.unsupported("shape " + Arrays.toString(target) + " has dimension " + out[i]);
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || total % known != 0) throw r.unsupported("cannot reshape " + Arrays.toString(in) + " to " + Arrays.toString(target));
            out[infer] = total / known;
        } else if (known != total) {
            throw r.unsupported("cannot reshape " + Arrays.toString(in) + " (" + total + " values) to " + Arrays.toString(target));
        }
        return out;
    }

    long[] axesInput(String what) {
        if (r.opset >= 13) {
            if (!r.has(1)) return null;
            Const c = r.constant(1, "axes");
            if (c.isFloat()) throw r.unsupported("axes must be integers");
            return c.i();
        }
        return r.attrs.ints("axes", null);
    }

    void squeeze() {
        Value v = r.in(0);
        long[] axes = axesInput("Squeeze");
        if (v instanceof Const c) {
            List<Long> dims = new ArrayList<>();
            for (int i = 0; i < c.dims().length; i++) {
                final int ax = i;
                boolean drop = axes == null ? c.dims()[i] == 1
                        : Arrays.stream(axes).anyMatch(a -> (a < 0 ? a + c.dims().length : a) == ax);
                if (!drop) dims.add(c.dims()[i]);
            }
            r.output(c.reshaped(dims.stream().mapToLong(Long::longValue).toArray()));
            return;
        }
        String x = r.materialize(v, r.user());
        Shape s = r.shape(x);
        long[] want = axes == null ? new long[] {2, 3} : Arrays.stream(axes).map(a -> a < 0 ? a + s.rank() : a).sorted().toArray();
        if (s.rank() == 4 && s.dim(2) == 1 && s.dim(3) == 1 && Arrays.equals(want, new long[] {2, 3})) {
            String n = r.add(new Flatten(), x);
            if (r.nonNegative.contains(x)) r.nonNegative.add(n);
            return;
        }
        throw r.unsupported("squeezing " + s + " along " + Arrays.toString(axes) + " is not supported (only N×C×1×1 → N×C)");
    }

    void unsqueeze() {
        Value v = r.in(0);
        long[] axes = axesInput("Unsqueeze");
        if (axes == null) throw r.unsupported("axes are required");
        if (v instanceof Const c) {
            int rank = c.dims().length + axes.length;
            long[] norm = Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
            long[] dims = new long[rank];
            int src = 0;
            for (int i = 0; i < rank; i++) {
                final int ax = i;
                dims[i] = Arrays.stream(norm).anyMatch(a -> a == ax) ? 1 : c.dims()[src++];
            }
            r.output(c.reshaped(dims));
            return;
        }
        if (v instanceof Affine a && a.squeezed && a.materialized == null && axes.length == 1
                && (axes[0] == 1 || axes[0] == 1 - r.shape(a.src).rank())) {
            r.output(new Affine(a.src, a.channels, a.scale, a.shift, false, OnnxReader.label(r.node)));
            return;
        }
        throw r.unsupported("Unsqueeze of a computed tensor is supported only to restore a channel taken by Gather (axes [1])");
    }

    void gather() {
        Value v = r.in(0);
        Const idx = r.constant(1, "indices");
        if (idx.isFloat()) throw r.unsupported("indices must be integers");
        long axisAttr = r.attrs.i("axis", 0);
        if (v instanceof Const c) {
            if (c.dims().length != 1 || idx.dims().length > 1) throw r.unsupported("only gathering from a 1-D constant is folded");
            long[] out = new long[(int) idx.count()];
            float[] outF = new float[(int) idx.count()];
            for (int j = 0; j < out.length; j++) {
                long k = idx.i()[j] < 0 ? idx.i()[j] + c.dims()[0] : idx.i()[j];
                if (k < 0 || k >= c.dims()[0]) throw r.unsupported("index " + idx.i()[j] + " is out of range");
                if (c.isFloat()) outF[j] = c.f()[(int) k];
                else out[j] = c.i()[(int) k];
            }
            r.output(new Const(idx.dims().clone(), c.isFloat() ? outF : null, c.isFloat() ? null : out));
            return;
        }
        Affine a;
        if (v instanceof Affine af && !af.squeezed && af.materialized == null) {
            a = af;
        } else {
            String x = r.materialize(v, r.user());
            Shape s = r.shape(x);
            if (s.rank() < 2 || r.axis(axisAttr, s.rank()) != 1) {
                throw r.unsupported("Gather of a computed tensor is supported only along the channel axis 1");
            }
            int ch = s.dim(1);
            int[] all = new int[ch];
            double[] one = new double[ch];
            for (int j = 0; j < ch; j++) {
                all[j] = j;
                one[j] = 1;
            }
            a = new Affine(x, all, one, new double[ch], false, OnnxReader.label(r.node));
        }
        if (r.axis(axisAttr, r.shape(a.src).rank()) != 1) throw r.unsupported("Gather of a computed tensor is supported only along axis 1");
        if (idx.dims().length > 1) throw r.unsupported("indices of rank " + idx.dims().length + " are not supported");
        int n = (int) idx.count();
        int[] ch = new int[n];
        double[] sc = new double[n];
        double[] sh = new double[n];
        for (int j = 0; j < n; j++) {
            long k = idx.i()[j] < 0 ? idx.i()[j] + a.channels.length : idx.i()[j];
            if (k < 0 || k >= a.channels.length) throw r.unsupported("channel index " + idx.i()[j] + " is out of range");
            ch[j] = a.channels[(int) k];
            sc[j] = a.scale[(int) k];
            sh[j] = a.shift[(int) k];
        }
        r.output(new Affine(a.src, ch, sc, sh, idx.dims().length == 0, OnnxReader.label(r.node)));
    }

    void shapeOp() {
        Value v = r.in(0);
        long[] dims = v instanceof Const c ? c.dims() : Arrays.stream(r.shape(r.materialize(v, r.user())).dims()).asLongStream().toArray();
        int rank = dims.length;
        long start = r.attrs.i("start", 0);
        long end = r.attrs.i("end", rank);
        int s = (int) Math.clamp(start < 0 ? start + rank : start, 0, rank);
        int e = (int) Math.clamp(end < 0 ? end + rank : end, 0, rank);
        long[] out = Arrays.copyOfRange(dims, s, Math.max(s, e));
        r.output(new Const(new long[] {out.length}, null, out));
    }

    void cast() {
        Value v = r.in(0);
        long to = r.opset < 6 ? castTarget() : r.attrs.i("to", 0);
        r.attrs.ignore("saturate");
        if (v instanceof Const c) {
            if (to == TensorProto.DataType.FLOAT_VALUE) {
                float[] f = new float[(int) c.count()];
                for (int j = 0; j < f.length; j++) f[j] = (float) c.get(j);
                r.output(new Const(c.dims(), f, null));
            } else if (to == TensorProto.DataType.INT64_VALUE || to == TensorProto.DataType.INT32_VALUE) {
                long[] l = new long[(int) c.count()];
                for (int j = 0; j < l.length; j++) l[j] = (long) c.get(j);
                r.output(new Const(c.dims(), null, l));
            } else {
                throw r.unsupported("cast to " + TensorDecoder.dataTypeName((int) to) + " is not supported");
            }
            return;
        }
        if (to != TensorProto.DataType.FLOAT_VALUE) throw r.unsupported("cast of a computed tensor to " + TensorDecoder.dataTypeName((int) to) + " is not supported");
        r.output(v);
    }

    /** Cast's 'to' in opsets 1-5: the type's name, a string such as "FLOAT". */
    long castTarget() {
        String name = r.attrs.s("to", "");
        TensorProto.DataType type;
        try {
            type = TensorProto.DataType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw r.unsupported("attribute 'to' names no ONNX data type: '" + name + "'");
        }
        return type.getNumber();
    }
}
