package googlenet.graph;

import java.util.Objects;

/**
 * A dense float32 tensor in C order (row-major, NCHW for images).
 * The array is shared, not copied: treat a tensor handed to you as read-only.
 */
public record Tensor(Shape shape, float[] data) {
    public Tensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (data.length != shape.elements()) {
            throw new IllegalArgumentException("tensor of shape " + shape + " needs " + shape.elements()
                    + " values, got " + data.length);
        }
    }

    public static Tensor zeros(Shape shape) {
        if (shape.elements() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("tensor of shape " + shape + " is too large for one float array");
        }
        return new Tensor(shape, new float[(int) shape.elements()]);
    }

    public float maxAbs() {
        float m = 0;
        for (float v : data) m = Math.max(m, Math.abs(v));
        return m;
    }
}
