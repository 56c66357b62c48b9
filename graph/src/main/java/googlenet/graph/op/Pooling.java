package googlenet.graph.op;

import googlenet.graph.Shape;

/** Shape rules the two windowed pools share. */
final class Pooling {
    private Pooling() {
    }

    static Shape inferShape(String node, Op op, Shape x, int kernelH, int kernelW, int strideH, int strideW,
                            Padding padding, boolean ceilMode) {
        Op.requireRank(node, op, x, 4);
        if (padding.hasNegative()) throw Op.error(node, op, "negative padding " + padding);
        if (padding.top() + padding.bottom() >= 2 * kernelH || padding.left() + padding.right() >= 2 * kernelW) {
            throw Op.error(node, op, "padding " + padding + " must be smaller than the kernel " + kernelH + "×" + kernelW
                    + " on each side");
        }
        int h = Windows.checkedOutputSize(node, op, "height", x.dim(2), kernelH, strideH, padding.top(), padding.bottom(), 1, ceilMode);
        int w = Windows.checkedOutputSize(node, op, "width", x.dim(3), kernelW, strideW, padding.left(), padding.right(), 1, ceilMode);
        return Shape.of(x.dim(0), x.dim(1), h, w);
    }

    static String attributes(int kernelH, int kernelW, int strideH, int strideW, Padding padding, boolean ceilMode) {
        String s = kernelH + "×" + kernelW + "/" + (strideH == strideW ? "" + strideH : strideH + "," + strideW);
        if (!padding.equals(Padding.NONE)) s += " pad " + padding;
        return ceilMode ? s + " ceil" : s;
    }
}
