package googlenet.graph;

import java.util.Arrays;

/**
 * An immutable tensor shape, outermost dimension first (NCHW for images, NF for features).
 * Every dimension is positive and the element count fits a {@code long}.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        int[] copy = dims.clone();
        if (copy.length == 0) throw new IllegalArgumentException("a shape needs at least one dimension");
        long elements = 1;
        for (int d : copy) {
            if (d <= 0) throw new IllegalArgumentException("dimension " + d + " <= 0 in shape " + Arrays.toString(copy));
            elements = Math.multiplyExact(elements, d);
        }
        return new Shape(copy);
    }

    /** Parses "1,3,224,224" (spaces allowed). */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("\\s*,\\s*");
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad shape '" + text + "': '" + parts[i] + "' is not an integer");
            }
        }
        try {
            return of(dims);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("bad shape '" + text + "': every dimension must be positive and the size must fit in 64 bits");
        }
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    public long elements() {
        long e = 1;
        for (int d : dims) e *= d;
        return e;
    }

    /** Same shape with dimension {@code axis} replaced. */
    public Shape with(int axis, int value) {
        int[] copy = dims.clone();
        copy[axis] = value;
        return of(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** "(1, 64, 114, 114)", the form the layer walk prints. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append(')').toString();
    }

    /** "[1, 64, 114, 114]", the form torchinfo's tables print. */
    public String toListString() {
        return Arrays.toString(dims);
    }
}
