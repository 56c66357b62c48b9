package googlenet.graph.onnx;

/**
 * y[c'] = x[channels[c']]·scale[c'] + shift[c'] of a node's channels (axis 1); {@code squeezed} when a single
 * channel was taken with a scalar Gather and its axis is gone.
 */
final class Affine implements Value {
    final String src;
    final int[] channels;
    final double[] scale;
    final double[] shift;
    final boolean squeezed;
    final String name;
    String materialized;

    Affine(String src, int[] channels, double[] scale, double[] shift, boolean squeezed, String name) {
        this.src = src;
        this.channels = channels;
        this.scale = scale;
        this.shift = shift;
        this.squeezed = squeezed;
        this.name = name;
    }
}
