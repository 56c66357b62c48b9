package googlenet.graph.op;

/**
 * Four-sided zero (or, for max pooling, minus infinity) padding in pixels. ONNX models carry
 * asymmetric pads, e.g. Caffe2's converted pools with {@code [0, 0, 1, 1]}.
 */
public record Padding(int top, int left, int bottom, int right) {
    public static final Padding NONE = new Padding(0, 0, 0, 0);

    public static Padding of(int all) {
        return new Padding(all, all, all, all);
    }

    public static Padding of(int vertical, int horizontal) {
        return new Padding(vertical, horizontal, vertical, horizontal);
    }

    public boolean isSymmetric() {
        return top == bottom && left == right;
    }

    boolean hasNegative() {
        return top < 0 || left < 0 || bottom < 0 || right < 0;
    }

    @Override
    public String toString() {
        if (top == left && top == bottom && top == right) return Integer.toString(top);
        if (isSymmetric()) return top + "," + left;
        return top + "," + left + "," + bottom + "," + right;
    }
}
