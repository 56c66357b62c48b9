package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Shape;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Relu;

import java.util.function.IntUnaryOperator;

/**
 * The simplified GoogLeNet of <i>Dive into Deep Learning</i> §8.4, node for node. Node names are the
 * {@code nn.Sequential} module paths, so PyTorch state_dict keys ({@code "2.0.p2_1.weight"}) name its weights:
 * <pre>
 * net = nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, classes))
 * </pre>
 */
public final class D2lGoogLeNet {
    private D2lGoogLeNet() {
    }

    public static Graph build(Shape input, int classes) {
        return build(input, classes, 1);
    }

    /**
     * The same network with every layer's channel count divided by {@code widthDivisor} (at least 1 each), the
     * classifier's input included: a small, fast stand-in with the same structure for tests (e.g. 8 at 32×32).
     */
    public static Graph build(Shape input, int classes, int widthDivisor) {
        if (widthDivisor < 1) throw new IllegalArgumentException("widthDivisor must be ≥ 1, got " + widthDivisor);
        IntUnaryOperator w = c -> Math.max(1, c / widthDivisor);
        GraphBuilder b = new GraphBuilder("d2l");
        String x = b.input("x", input);

        b.scope("0", "Sequential");
        x = b.add("0.0", Conv2d.of(input.dim(1), w.applyAsInt(64), 7, 2, 3), x);
        x = b.add("0.1", new Relu(), x);
        x = b.add("0.2", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("1", "Sequential");
        x = b.add("1.0", Conv2d.of(w.applyAsInt(64), w.applyAsInt(64), 1), x);
        x = b.add("1.1", new Relu(), x);
        x = b.add("1.2", Conv2d.of(w.applyAsInt(64), w.applyAsInt(192), 3, 1, 1), x);
        x = b.add("1.3", new Relu(), x);
        x = b.add("1.4", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("2", "Sequential");
        x = inception(b, "2.0", x, w, 64, 96, 128, 16, 32, 32);
        x = inception(b, "2.1", x, w, 128, 128, 192, 32, 96, 64);
        x = b.add("2.2", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("3", "Sequential");
        x = inception(b, "3.0", x, w, 192, 96, 208, 16, 48, 64);
        x = inception(b, "3.1", x, w, 160, 112, 224, 24, 64, 64);
        x = inception(b, "3.2", x, w, 128, 128, 256, 24, 64, 64);
        x = inception(b, "3.3", x, w, 112, 144, 288, 32, 64, 64);
        x = inception(b, "3.4", x, w, 256, 160, 320, 32, 128, 128);
        x = b.add("3.5", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("4", "Sequential");
        x = inception(b, "4.0", x, w, 256, 160, 320, 32, 128, 128);
        x = inception(b, "4.1", x, w, 384, 192, 384, 48, 128, 128);
        x = b.add("4.2", new GlobalAvgPool(), x);
        x = b.add("4.3", new Flatten(), x);

        x = b.add("5", Linear.of(b.shapeOf(x).dim(1), classes), x);
        return b.output("logits", x).build();
    }

    /**
     * {@code Inception(in, c1, (c2[0], c2[1]), (c3[0], c3[1]), c4)}: four branches, each conv followed by
     * ReLU, concatenated on channels. Module names p1_1 … p4_2 as in the book. The widths are mapped by {@code w};
     * {@code in} is the input's channel count.
     */
    private static String inception(GraphBuilder b, String path, String x, IntUnaryOperator w, int c1,
                                    int c2Reduce, int c2, int c3Reduce, int c3, int c4) {
        int in = b.shapeOf(x).dim(1);
        c1 = w.applyAsInt(c1);
        c2Reduce = w.applyAsInt(c2Reduce);
        c2 = w.applyAsInt(c2);
        c3Reduce = w.applyAsInt(c3Reduce);
        c3 = w.applyAsInt(c3);
        c4 = w.applyAsInt(c4);
        b.scope(path, "Inception");
        String p1 = convRelu(b, path + ".p1_1", Conv2d.of(in, c1, 1), x);
        String p2 = convRelu(b, path + ".p2_1", Conv2d.of(in, c2Reduce, 1), x);
        p2 = convRelu(b, path + ".p2_2", Conv2d.of(c2Reduce, c2, 3, 1, 1), p2);
        String p3 = convRelu(b, path + ".p3_1", Conv2d.of(in, c3Reduce, 1), x);
        p3 = convRelu(b, path + ".p3_2", Conv2d.of(c3Reduce, c3, 5, 1, 2), p3);
        String p4 = b.add(path + ".p4_1", MaxPool2d.of(3, 1, 1, false), x);
        p4 = convRelu(b, path + ".p4_2", Conv2d.of(in, c4, 1), p4);
        return b.add(path + ".concat", new Concat(1), p1, p2, p3, p4);
    }

    private static String convRelu(GraphBuilder b, String name, Conv2d conv, String x) {
        return b.add(name + ".relu", new Relu(), b.add(name, conv, x));
    }
}
