package googlenet.graph.onnx;

import googlenet.graph.Shape;
import googlenet.graph.Tensor;

/**
 * A constant: float or int64 data with its dimensions (none for a scalar). Float data read from {@code raw_data}
 * stays a view of the model's bytes (a {@link Tensor#littleEndian} view) until something needs the array, so that
 * weights passed on unchanged are decoded once, by whoever packs them.
 */
final class Const implements Value {
    private final long[] dims;
    private final long[] i;
    /** Float data still in the model's bytes, or null. */
    private final Tensor view;
    private float[] f;

    Const(long[] dims, float[] f, long[] i) {
        this.dims = dims;
        this.f = f;
        this.i = i;
        this.view = null;
    }

    private Const(long[] dims, Tensor view) {
        this.dims = dims;
        this.i = null;
        this.view = view;
    }

    /** Float data held as little-endian bytes (at least one value), decoded when first asked for. */
    static Const littleEndianFloats(long[] dims, java.lang.foreign.MemorySegment bytes) {
        return new Const(dims, Tensor.littleEndian(Shape.of(Math.toIntExact(bytes.byteSize() / Float.BYTES)), bytes));
    }

    long[] dims() {
        return dims;
    }

    float[] f() {
        if (f == null && view != null) f = view.data();
        return f;
    }

    long[] i() {
        return i;
    }

    /** The same data with other dimensions (of the same count). */
    Const reshaped(long[] newDims) {
        return view != null ? new Const(newDims, view) : new Const(newDims, f, i);
    }

    /** The float data as a tensor of {@code shape} (same count), without decoding a view. */
    Tensor tensor(Shape shape) {
        return view != null ? view.reshaped(shape) : new Tensor(shape, f);
    }

    long count() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    boolean isFloat() {
        return f != null || view != null;
    }

    double get(int k) {
        return isFloat() ? f()[k] : i[k];
    }
}
