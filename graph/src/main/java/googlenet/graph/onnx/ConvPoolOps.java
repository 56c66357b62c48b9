package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Padding;
import googlenet.graph.op.Relu;
import googlenet.graph.onnx.Value.Padded;
import googlenet.graph.onnx.Value.Real;
import googlenet.graph.onnx.Value.Unavailable;

import java.util.Arrays;
import java.util.List;

/**
 * Converts Conv, MaxPool, AveragePool and Pad. Padding: explicit {@code pads} or any {@code auto_pad}; a constant Pad in
 * front of a conv or pool becomes a {@link Value.Padded} that the consumer folds into its own padding (a zero Pad joins
 * a max pool only when its input is ≥ 0), and one that nothing folds is refused.
 */
final class ConvPoolOps {
    private final OnnxReader r;

    ConvPoolOps(OnnxReader r) {
        this.r = r;
    }

    /**
     * The node's padding of an input of {@code height × width}: its {@code pads} (auto_pad NOTSET, and VALID, which
     * has none), or for SAME_UPPER / SAME_LOWER what makes the output {@code ceil(input / stride)}, split evenly with
     * the odd pixel at the end (UPPER, as TensorFlow's "SAME") or at the start (LOWER).
     */
    Padding padding(int height, int width, int[] kernel, int[] stride, int[] dilation) {
        String autoPad = r.attrs.s("auto_pad", "NOTSET");
        switch (autoPad) {
            case "NOTSET", "VALID" -> {
                return pads();
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                if (r.attrs.ints("pads", null) != null) throw r.unsupported("auto_pad " + autoPad + " together with 'pads'");
                int[] size = {height, width};
                int[] begin = new int[2];
                int[] end = new int[2];
                for (int a = 0; a < 2; a++) {
                    int out = Math.ceilDiv(size[a], stride[a]);
                    int total = Math.max(0, (out - 1) * stride[a] + (kernel[a] - 1) * dilation[a] + 1 - size[a]);
                    begin[a] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    end[a] = total - begin[a];
                }
                return new Padding(begin[0], begin[1], end[0], end[1]);
            }
            default -> throw r.unsupported("auto_pad " + autoPad + " is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER");
        }
    }

    int[] pair(String attr, long[] values, int def) {
        if (values == null) return new int[] {def, def};
        if (values.length != 2) throw r.unsupported("attribute '" + attr + "' " + Arrays.toString(values) + " must have 2 values (2-D only)");
        return new int[] {r.toInt(values[0], attr), r.toInt(values[1], attr)};
    }

    Padding pads() {
        long[] p = r.attrs.ints("pads", null);
        if (p == null) return Padding.NONE;
        if (p.length != 4) throw r.unsupported("attribute 'pads' " + Arrays.toString(p) + " must have 4 values (2-D only)");
        for (long v : p) if (v < 0) throw r.unsupported("negative pads " + Arrays.toString(p) + " are not supported");
        // ONNX: [x1_begin, x2_begin, x1_end, x2_end] = top, left, bottom, right.
        return new Padding(r.toInt(p[0], "pads"), r.toInt(p[1], "pads"), r.toInt(p[2], "pads"), r.toInt(p[3], "pads"));
    }

    static Padding plus(Padding a, Padding b) {
        return new Padding(a.top() + b.top(), a.left() + b.left(), a.bottom() + b.bottom(), a.right() + b.right());
    }

    void conv() {
        Value xv = r.in(0);
        Padding extra = Padding.NONE;
        String x;
        if (xv instanceof Padded p) {
            if (p.value() != 0f) throw r.unsupported("the Pad in front pads with " + p.value() + "; only zero padding folds into a Conv");
            extra = p.padding();
            x = p.src();
        } else {
            x = r.materialize(xv, r.user());
        }
        r.requireRank(x, 4);
        Const w = r.floats(1, "weight");
        if (w.dims().length != 4) throw r.unsupported("weight of shape " + Arrays.toString(w.dims()) + " is not 4-D (only 2-D convolution is supported)");
        Const bias = r.has(2) ? r.floats(2, "bias") : null;
        int[] kernel = pair("kernel_shape", r.attrs.ints("kernel_shape", null), -1);
        int kh = (int) w.dims()[2];
        int kw = (int) w.dims()[3];
        if (kernel[0] != -1 && (kernel[0] != kh || kernel[1] != kw)) {
            throw r.unsupported("kernel_shape " + kernel[0] + "×" + kernel[1] + " disagrees with the weight's " + kh + "×" + kw);
        }
        int[] stride = pair("strides", r.attrs.ints("strides", null), 1);
        int[] dilation = pair("dilations", r.attrs.ints("dilations", null), 1);
        int groups = r.toInt(r.attrs.i("group", 1), "group");
        Shape xs = r.shape(x);
        Padding padding = plus(padding(xs.dim(2) + extra.top() + extra.bottom(), xs.dim(3) + extra.left() + extra.right(),
                new int[] {kh, kw}, stride, dilation), extra);
        int out = (int) w.dims()[0];
        if (bias != null && (bias.dims().length != 1 || bias.dims()[0] != out)) {
            throw r.unsupported("bias of shape " + Arrays.toString(bias.dims()) + " should be [" + out + "]");
        }
        String n = r.add(new Conv2d(r.shape(x).dim(1), out, kh, kw, stride[0], stride[1], padding, dilation[0], dilation[1], groups,
                bias != null), x);
        r.weight(n, "weight", w);
        if (bias != null) r.weight(n, "bias", bias);
    }

    void pool(boolean max) {
        Value xv = r.in(0);
        long[] k = r.attrs.ints("kernel_shape", null);
        if (k == null) throw r.unsupported("attribute 'kernel_shape' is required");
        int[] kernel = pair("kernel_shape", k, 1);
        int[] stride = pair("strides", r.attrs.ints("strides", null), 1);
        int[] dilation = pair("dilations", r.attrs.ints("dilations", null), 1);
        if (dilation[0] != 1 || dilation[1] != 1) throw r.unsupported("attribute 'dilations' " + Arrays.toString(dilation) + " is not supported (pools take undilated windows only)");
        boolean ceil = r.attrs.i("ceil_mode", 0) != 0;
        // The pool's input: the tensor a Pad in front pads (its size with those pads), or the input itself.
        String x = xv instanceof Padded p ? p.src() : r.materialize(xv, r.user());
        Padding front = xv instanceof Padded p ? p.padding() : Padding.NONE;
        r.requireRank(x, 4);
        Shape xs = r.shape(x);
        Padding padding = padding(xs.dim(2) + front.top() + front.bottom(), xs.dim(3) + front.left() + front.right(),
                kernel, stride, dilation);
        if (max) {
            if (r.attrs.i("storage_order", 0) != 0) throw r.unsupported("storage_order 1 is not supported");
            // An Indices output stays Unavailable: an error only if something reads it.
        }
        boolean countIncludePad = !max && r.attrs.i("count_include_pad", 0) != 0;
        if (xv instanceof Padded p) {
            if (max) {
                boolean foldable = p.value() == Float.NEGATIVE_INFINITY || (p.value() == 0f && r.nonNegative.contains(x))
                        || (p.value() <= 0f && r.nonNegative.contains(x));
                if (!foldable) {
                    throw r.unsupported("the Pad in front pads with " + p.value() + ", which folds into a MaxPool only when it is -inf"
                            + " or the padded values are ≥ 0 (after a Relu)");
                }
            } else {
                if (p.value() != 0f) throw r.unsupported("the Pad in front pads with " + p.value() + "; only zeros fold into an AveragePool");
                if (!padding.equals(Padding.NONE)) {
                    throw r.unsupported("a zero Pad in front of an AveragePool with its own pads " + padding + " is not supported");
                }
                countIncludePad = true; // the explicit zeros count in the divisor
            }
            padding = plus(padding, p.padding());
        }
        if (!max && countIncludePad && ceil && xv instanceof Real) {
            Shape s = r.shape(x);
            int floorH = Math.floorDiv(s.dim(2) + padding.top() + padding.bottom() - kernel[0], stride[0]) + 1;
            int floorW = Math.floorDiv(s.dim(3) + padding.left() + padding.right() - kernel[1], stride[1]) + 1;
            Shape ceilShape = new AvgPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, true, true).inferShape(r.name(), List.of(s));
            if (ceilShape.dim(2) != floorH || ceilShape.dim(3) != floorW) {
                throw r.unsupported("count_include_pad=1 with ceil_mode=1 where windows reach past the padded input is not supported"
                        + " (runtimes disagree on the divisor there)");
            }
        }
        String n = r.add(max ? new MaxPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, ceil)
                : new AvgPool2d(kernel[0], kernel[1], stride[0], stride[1], padding, ceil, countIncludePad), x);
        if (r.nonNegative.contains(x)) r.nonNegative.add(n);
    }

    void pad() {
        String x = r.real(0);
        String mode = r.attrs.s("mode", "constant");
        if (!mode.equals("constant")) throw r.unsupported("mode '" + mode + "' is not supported (only constant)");
        long[] pads;
        float value;
        int rank = r.shape(x).rank();
        if (r.opset < 11) {
            String attribute = r.opset < 2 ? "paddings" : "pads";
            pads = r.attrs.ints(attribute, null);
            if (pads == null) throw r.unsupported("attribute '" + attribute + "' is required");
            value = r.attrs.f("value", 0f);
        } else {
            Const p = r.constant(1, "pads");
            if (p.isFloat()) throw r.unsupported("pads must be integers");
            pads = p.i();
            value = r.has(2) ? (float) r.floats(2, "constant_value").get(0) : 0f;
            if (r.has(3)) {
                Const axesC = r.constant(3, "axes");
                long[] full = new long[2 * rank];
                long[] axes = axesC.i();
                if (axes == null || pads.length != 2 * axes.length) throw r.unsupported("pads and axes do not fit");
                for (int j = 0; j < axes.length; j++) {
                    int ax = r.axis(axes[j], rank);
                    full[ax] = pads[j];
                    full[ax + rank] = pads[j + axes.length];
                }
                pads = full;
            }
        }
        if (rank != 4 || pads.length != 8) throw r.unsupported("only padding of N×C×H×W tensors is supported");
        if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) throw r.unsupported("padding of the batch or channel axis is not supported");
        for (long p : pads) if (p < 0) throw r.unsupported("negative pads (cropping) are not supported");
        Padding padding = new Padding(r.toInt(pads[2], "pads"), r.toInt(pads[3], "pads"), r.toInt(pads[6], "pads"), r.toInt(pads[7], "pads"));
        r.output(padding.equals(Padding.NONE) ? new Real(x) : new Padded(x, padding, value, OnnxReader.label(r.node)));
    }
}
