package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;

import java.util.Arrays;

/**
 * Converts Add, Sub, Mul and Div. Of two constants: folded. Of a {@link PendingLinear} and a constant vector: the
 * bias. Of a computed tensor and a per-channel constant (also on channels taken apart with Gather and put back with
 * Concat, as torchvision's {@code transform_input} does): one per-channel affine map ({@link Affine}), made a BatchNorm
 * with mean 0 and variance 1 when something reads it. These folds are the importer's only rewrites; the engine's passes
 * do the rest.
 */
final class ArithmeticOps {
    private final OnnxReader r;

    ArithmeticOps(OnnxReader r) {
        this.r = r;
    }

    void arithmetic() {
        String op = r.node.getOpType();
        Value x = r.in(0);
        Value y = r.opset < 7 ? legacyBroadcast(x, r.in(1)) : r.in(1);
        if (x instanceof Const cx && y instanceof Const cy) {
            r.output(foldConstants(op, cx, cy));
            return;
        }
        if (!(x instanceof Const) && !(y instanceof Const)) {
            throw r.unsupported("both operands are computed tensors; only " + op + " with a constant is supported");
        }
        boolean constFirst = x instanceof Const;
        Const c = (Const) (constFirst ? x : y);
        Value v = constFirst ? y : x;
        if (!c.isFloat()) throw r.unsupported("the constant operand is an integer tensor");
        if (op.equals("Div") && constFirst) throw r.unsupported("division of a constant by a computed tensor is not supported");
        if (v instanceof PendingLinear l && l.materialized == null && (op.equals("Add") || (op.equals("Sub") && !constFirst))) {
            float[] add = r.linearOps.vector(c, l.out, 1, "the constant");
            float[] bias = l.bias == null ? new float[l.out] : l.bias.clone();
            for (int j = 0; j < bias.length; j++) bias[j] += op.equals("Add") ? add[j] : -add[j];
            PendingLinear joined = new PendingLinear(l.src, l.in, l.out, l.weight, bias, OnnxReader.label(r.node));
            r.output(joined);
            return;
        }
        Affine a;
        if (v instanceof Affine af && af.materialized == null) {
            a = af;
        } else {
            String src = r.materialize(v, r.user());
            Shape s = r.shape(src);
            if (s.rank() < 2) throw r.unsupported("input of shape " + s + " has no channel axis");
            int ch = s.dim(1);
            int[] idx = new int[ch];
            double[] one = new double[ch];
            for (int j = 0; j < ch; j++) {
                idx[j] = j;
                one[j] = 1;
            }
            a = new Affine(src, idx, one, new double[ch], false, OnnxReader.label(r.node));
        }
        double[] k = perChannel(a, c);
        int n = a.channels.length;
        double[] scale = a.scale.clone();
        double[] shift = a.shift.clone();
        for (int j = 0; j < n; j++) {
            switch (op) {
                case "Add" -> shift[j] += k[j];
                case "Sub" -> {
                    if (constFirst) {
                        scale[j] = -scale[j];
                        shift[j] = k[j] - shift[j];
                    } else {
                        shift[j] -= k[j];
                    }
                }
                case "Mul" -> {
                    scale[j] *= k[j];
                    shift[j] *= k[j];
                }
                default -> {
                    scale[j] /= k[j];
                    shift[j] /= k[j];
                }
            }
        }
        r.output(new Affine(a.src, a.channels, scale, shift, a.squeezed, OnnxReader.label(r.node)));
    }

    /**
     * B of an arithmetic op in opsets 1-6, where only B broadcasts, when {@code broadcast=1}, and {@code axis} says
     * where its dimensions start in A's: a constant B is given trailing ones, which is numpy's rule from opset 7 on.
     */
    Value legacyBroadcast(Value a, Value b) {
        boolean broadcast = r.attrs.i("broadcast", 0) != 0;
        AttributeProto axisAttr = r.attrs.attr("axis");
        if (!broadcast || axisAttr == null) return b;
        if (!(b instanceof Const c)) throw r.unsupported("broadcast=1 of a computed B onto A is not supported");
        int rank = a instanceof Const ca ? ca.dims().length : rankOf(a);
        int start = r.axis(r.attrs.i("axis", 0), rank);
        if (start + c.dims().length > rank) {
            throw r.unsupported("B of shape " + Arrays.toString(c.dims()) + " does not fit A of rank " + rank + " from axis " + start);
        }
        long[] dims = new long[rank - start];
        Arrays.fill(dims, 1);
        System.arraycopy(c.dims(), 0, dims, 0, c.dims().length);
        return c.reshaped(dims);
    }

    int rankOf(Value v) {
        return switch (v) {
            case Affine af when af.materialized == null -> r.shape(af.src).rank() - (af.squeezed ? 1 : 0);
            case PendingLinear l when l.materialized == null -> 2;
            default -> r.shape(r.materialize(v, r.user())).rank();
        };
    }

    /** The constant as one value per channel of the affine's (logical) tensor, or a clear error. */
    double[] perChannel(Affine a, Const c) {
        Shape src = r.shape(a.src);
        int rank = a.squeezed ? src.rank() - 1 : src.rank();
        int n = a.channels.length;
        long[] d = c.dims();
        if (d.length > rank) throw r.unsupported("the constant of shape " + Arrays.toString(d) + " has a higher rank than the input");
        int varying = -1;
        for (int i = 0; i < d.length; i++) {
            int axis = rank - d.length + i;
            if (d[i] == 1) continue;
            if (!a.squeezed && axis == 1 && d[i] == n) {
                varying = i;
            } else {
                throw r.unsupported("the constant of shape " + Arrays.toString(d) + " is not a per-channel constant of the input"
                        + " (only scalars and per-channel vectors such as [C, 1, 1] are supported)");
            }
        }
        double[] k = new double[n];
        for (int j = 0; j < n; j++) k[j] = c.get(varying < 0 ? 0 : j);
        return k;
    }

    Const foldConstants(String op, Const x, Const y) {
        if (!x.isFloat() || !y.isFloat()) {
            if (!x.isFloat() && !y.isFloat()) {
                long[] out = foldLongs(op, x, y);
                return new Const(x.count() >= y.count() ? x.dims() : y.dims(), null, out);
            }
            throw r.unsupported("mixed integer and float constants");
        }
        if (x.count() != y.count() && x.count() != 1 && y.count() != 1) {
            throw r.unsupported("constants of shapes " + Arrays.toString(x.dims()) + " and " + Arrays.toString(y.dims())
                    + " (only equal shapes or a scalar are folded)");
        }
        boolean xBig = x.count() >= y.count();
        int n = (int) Math.max(x.count(), y.count());
        float[] out = new float[n];
        for (int j = 0; j < n; j++) {
            float a = x.f()[x.count() == 1 ? 0 : j];
            float bb = y.f()[y.count() == 1 ? 0 : j];
            out[j] = switch (op) {
                case "Add" -> a + bb;
                case "Sub" -> a - bb;
                case "Mul" -> a * bb;
                default -> a / bb;
            };
        }
        return new Const(xBig ? x.dims() : y.dims(), out, null);
    }

    long[] foldLongs(String op, Const x, Const y) {
        if (x.count() != y.count() && x.count() != 1 && y.count() != 1) throw r.unsupported("integer constants of different shapes");
        int n = (int) Math.max(x.count(), y.count());
        long[] out = new long[n];
        for (int j = 0; j < n; j++) {
            long a = x.i()[x.count() == 1 ? 0 : j];
            long bb = y.i()[y.count() == 1 ? 0 : j];
            if (op.equals("Div") && bb == 0) throw r.unsupported("integer division by zero");
            out[j] = switch (op) {
                case "Add" -> a + bb;
                case "Sub" -> a - bb;
                case "Mul" -> a * bb;
                default -> a / bb;
            };
        }
        return out;
    }
}
