package googlenet.graph;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A dense float32 tensor in C order (row-major, NCHW for images).
 *
 * <p>Its values live in a float array, or in bytes it was read from: a tensor made by {@link #littleEndian} is a
 * view of a file's bytes (an ONNX initializer's {@code raw_data}) and decodes them into an array only when
 * {@link #data()} is first called. Packing weights reads {@link #values()} instead, so that a model's weights go
 * from the file's bytes to their packed layout in one pass.
 *
 * <p>Nothing is copied: treat a tensor handed to you, and the array {@link #data()} returns, as read-only; the bytes
 * under a view must not change while the tensor is used.
 */
public final class Tensor {
    /** How {@link #values()} holds each value. */
    public static final ValueLayout.OfFloat VALUE = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfFloat LITTLE_ENDIAN = VALUE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Shape shape;
    private final MemorySegment bytes;
    private volatile float[] data;

    public Tensor(Shape shape, float[] data) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (data.length != shape.elements()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.elements()
                    + " values, got " + data.length);
        }
        this.shape = shape;
        this.bytes = null;
        this.data = data;
    }

    private Tensor(Shape shape, MemorySegment bytes) {
        this.shape = shape;
        this.bytes = bytes;
    }

    /** A view of {@code 4 × shape.elements()} bytes holding the values as little-endian float32. */
    public static Tensor littleEndian(Shape shape, MemorySegment bytes) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.byteSize() != shape.elements() * Float.BYTES) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.elements() * Float.BYTES
                    + " bytes, got " + bytes.byteSize());
        }
        if (shape.elements() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + shape + " is too large for one float array");
        }
        return new Tensor(shape, bytes);
    }

    public static Tensor zeros(Shape shape) {
        if (shape.elements() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + shape + " is too large for one float array");
        }
        return new Tensor(shape, new float[(int) shape.elements()]);
    }

    public Shape shape() {
        return shape;
    }

    /** The values as an array: decoded from the bytes on the first call of a view, the same array afterwards. */
    public float[] data() {
        float[] d = data;
        if (d == null) {
            synchronized (this) {
                d = data;
                if (d == null) {
                    d = new float[(int) shape.elements()];
                    MemorySegment.copy(bytes, LITTLE_ENDIAN, 0, d, 0, d.length);
                    data = d;
                }
            }
        }
        return d;
    }

    /**
     * The values as a segment of float32 laid out as {@link #VALUE} (native byte order): the bytes of a view when
     * the machine is little-endian, else the array. A heap segment; it reads what the tensor holds, no copy.
     */
    public MemorySegment values() {
        if (bytes != null && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) return bytes;
        return MemorySegment.ofArray(data());
    }

    /** The same values under another shape of as many elements; a view stays a view. */
    public Tensor reshaped(Shape newShape) {
        if (newShape.elements() != shape.elements()) {
            throw new IllegalArgumentException("cannot view a tensor of shape " + shape + " as " + newShape);
        }
        float[] d = data;
        return d != null ? new Tensor(newShape, d) : new Tensor(newShape, bytes);
    }

    public float maxAbs() {
        float m = 0;
        for (float v : data()) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Override
    public String toString() {
        return "Tensor[" + shape + (bytes != null && data == null ? ", view of bytes" : "") + "]";
    }
}
