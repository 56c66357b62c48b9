package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Softmax;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Converts Dropout (an alias at inference; refused in training mode), Softmax over the last axis, BatchNormalization
 * (inference statistics) and Constant.
 */
final class LayerOps {
    private final OnnxReader r;

    LayerOps(OnnxReader r) {
        this.r = r;
    }

    void dropout() {
        if (r.opset < 7) {
            requireTestMode();
            r.attrs.ignore("ratio");
        } else if (r.opset < 12) {
            r.attrs.ignore("ratio", "is_test", "seed");
        } else {
            r.attrs.ignore("seed");
            if (r.has(2)) {
                Const t = r.constant(2, "training_mode");
                if (t.count() > 0 && t.get(0) != 0) throw r.unsupported("training_mode=true is not supported (inference only)");
            }
            if (r.has(1)) r.constant(1, "ratio");
        }
        r.output(r.in(0));
    }

    /** Opsets 1-6 run Dropout and BatchNormalization in training mode unless is_test is set. */
    void requireTestMode() {
        if (r.attrs.i("is_test", 0) == 0) {
            throw r.unsupported("is_test=0 (training mode, the default before opset 7) is not supported; inference needs is_test=1");
        }
    }

    void softmax() {
        String x = r.real(0);
        int rank = r.shape(x).rank();
        long axis = r.attrs.i("axis", r.opset < 13 ? 1 : -1);
        if (rank != 2 || r.axis(axis, rank) != 1) {
            throw r.unsupported("softmax of a " + r.shape(x) + " input along axis " + axis + " is not supported (only the last axis of N×K)");
        }
        r.add(new Softmax(), x);
    }

    void batchNorm() {
        String x = r.real(0);
        Const scale = r.floats(1, "scale");
        Const bias = r.floats(2, "B");
        Const mean = r.floats(3, "input_mean");
        Const var = r.floats(4, "input_var");
        float eps = r.attrs.f("epsilon", 1e-5f);
        r.attrs.ignore("momentum");
        if (r.opset < 7) requireTestMode();
        else r.attrs.ignore("is_test");
        if (r.attrs.i("spatial", 1) != 1) throw r.unsupported("spatial=0 is not supported");
        if (r.attrs.i("training_mode", 0) != 0) throw r.unsupported("training_mode=1 is not supported (inference only)");
        Shape s = r.shape(x);
        if (s.rank() < 2) throw r.unsupported("input " + s + " has no channel axis");
        int c = s.dim(1);
        for (Const t : List.of(scale, bias, mean, var)) {
            if (t.count() != c || t.dims().length != 1) throw r.unsupported("parameter of shape " + Arrays.toString(t.dims()) + " should be [" + c + "]");
        }
        String n = r.add(new BatchNorm(c, eps), x);
        long[] d = {c};
        r.weight(n, "weight", d, scale.f());
        r.weight(n, "bias", d, bias.f());
        r.weight(n, "running_mean", d, mean.f());
        r.weight(n, "running_var", d, var.f());
    }

    void constantOp() throws IOException {
        AttributeProto chosen = null;
        for (AttributeProto a : r.node.getAttributeList()) {
            if (chosen != null) throw r.unsupported("more than one value attribute");
            chosen = a;
        }
        if (chosen == null) throw r.unsupported("no value attribute");
        r.attrs.ignore(chosen.getName());
        Const c = switch (chosen.getName()) {
            case "value" -> r.decoder.tensor(chosen.getT(), "Constant '" + OnnxReader.label(r.node) + "'");
            case "value_float" -> new Const(new long[0], new float[] {chosen.getF()}, null);
            case "value_floats" -> {
                float[] f = new float[chosen.getFloatsCount()];
                for (int j = 0; j < f.length; j++) f[j] = chosen.getFloats(j);
                yield new Const(new long[] {f.length}, f, null);
            }
            case "value_int" -> new Const(new long[0], null, new long[] {chosen.getI()});
            case "value_ints" -> new Const(new long[] {chosen.getIntsCount()}, null,
                    chosen.getIntsList().stream().mapToLong(Long::longValue).toArray());
            default -> throw r.unsupported("attribute '" + chosen.getName() + "' is not supported");
        };
        r.output(c);
    }
}
