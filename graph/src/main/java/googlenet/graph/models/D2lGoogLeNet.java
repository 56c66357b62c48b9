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
        GraphBuilder b = new GraphBuilder("d2l");
        String x = b.input("x", input);

        b.scope("0", "Sequential");
        x = b.add("0.0", Conv2d.of(input.dim(1), 64, 7, 2, 3), x);
        x = b.add("0.1", new Relu(), x);
        x = b.add("0.2", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("1", "Sequential");
        x = b.add("1.0", Conv2d.of(64, 64, 1), x);
        x = b.add("1.1", new Relu(), x);
        x = b.add("1.2", Conv2d.of(64, 192, 3, 1, 1), x);
        x = b.add("1.3", new Relu(), x);
        x = b.add("1.4", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("2", "Sequential");
        x = inception(b, "2.0", x, 192, 64, 96, 128, 16, 32, 32);
        x = inception(b, "2.1", x, 256, 128, 128, 192, 32, 96, 64);
        x = b.add("2.2", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("3", "Sequential");
        x = inception(b, "3.0", x, 480, 192, 96, 208, 16, 48, 64);
        x = inception(b, "3.1", x, 512, 160, 112, 224, 24, 64, 64);
        x = inception(b, "3.2", x, 512, 128, 128, 256, 24, 64, 64);
        x = inception(b, "3.3", x, 512, 112, 144, 288, 32, 64, 64);
        x = inception(b, "3.4", x, 528, 256, 160, 320, 32, 128, 128);
        x = b.add("3.5", MaxPool2d.of(3, 2, 1, false), x);

        b.scope("4", "Sequential");
        x = inception(b, "4.0", x, 832, 256, 160, 320, 32, 128, 128);
        x = inception(b, "4.1", x, 832, 384, 192, 384, 48, 128, 128);
        x = b.add("4.2", new GlobalAvgPool(), x);
        x = b.add("4.3", new Flatten(), x);

        x = b.add("5", Linear.of(1024, classes), x);
        return b.output("logits", x).build();
    }

    /**
     * {@code Inception(in, c1, (c2[0], c2[1]), (c3[0], c3[1]), c4)}: four branches, each conv followed by
     * ReLU, concatenated on channels. Module names p1_1 … p4_2 as in the book.
     */
    static String inception(GraphBuilder b, String path, String x, int in, int c1,
                            int c2Reduce, int c2, int c3Reduce, int c3, int c4) {
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
