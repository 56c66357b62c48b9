package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Shape;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Dropout;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;

/**
 * GoogLeNet as BVLC's Caffe model defines it (deploy.prototxt, node names are its layer names):
 * biased convs each followed by ReLU, LRN after the first pool and after conv2, ceil-mode pools
 * (Caffe always rounds up), a 7×7 average pool, dropout 0.4, the classifier and a softmax ({@code prob}).
 */
public final class BvlcGoogLeNet {
    private BvlcGoogLeNet() {
    }

    public static Graph build(Shape input, int classes) {
        GraphBuilder b = new GraphBuilder("bvlc");
        String x = b.input("data", input);
        x = convRelu(b, "conv1/7x7_s2", "conv1/relu_7x7", Conv2d.of(input.dim(1), 64, 7, 2, 3), x);
        x = b.add("pool1/3x3_s2", MaxPool2d.of(3, 2, 0, true), x);
        x = b.add("pool1/norm1", lrn(), x);
        x = convRelu(b, "conv2/3x3_reduce", "conv2/relu_3x3_reduce", Conv2d.of(64, 64, 1), x);
        x = convRelu(b, "conv2/3x3", "conv2/relu_3x3", Conv2d.of(64, 192, 3, 1, 1), x);
        x = b.add("conv2/norm2", lrn(), x);
        x = b.add("pool2/3x3_s2", MaxPool2d.of(3, 2, 0, true), x);

        x = inception(b, "inception_3a", x, 192, 64, 96, 128, 16, 32, 32);
        x = inception(b, "inception_3b", x, 256, 128, 128, 192, 32, 96, 64);
        x = b.add("pool3/3x3_s2", MaxPool2d.of(3, 2, 0, true), x);
        x = inception(b, "inception_4a", x, 480, 192, 96, 208, 16, 48, 64);
        x = inception(b, "inception_4b", x, 512, 160, 112, 224, 24, 64, 64);
        x = inception(b, "inception_4c", x, 512, 128, 128, 256, 24, 64, 64);
        x = inception(b, "inception_4d", x, 512, 112, 144, 288, 32, 64, 64);
        x = inception(b, "inception_4e", x, 528, 256, 160, 320, 32, 128, 128);
        x = b.add("pool4/3x3_s2", MaxPool2d.of(3, 2, 0, true), x);
        x = inception(b, "inception_5a", x, 832, 256, 160, 320, 32, 128, 128);
        x = inception(b, "inception_5b", x, 832, 384, 192, 384, 48, 128, 128);

        x = b.add("pool5/7x7_s1", AvgPool2d.of(7, 1, 0, true, true), x);
        x = b.add("pool5/drop_7x7_s1", new Dropout(0.4), x);
        x = b.add("loss3/flatten", new Flatten(), x);
        x = b.add("loss3/classifier", Linear.of(1024, classes), x);
        x = b.add("prob", new Softmax(), x);
        return b.output("prob", x).build();
    }

    private static Lrn lrn() {
        return new Lrn(5, 1e-4, 0.75, 1.0);
    }

    private static String inception(GraphBuilder b, String path, String x, int in, int c1x1,
                                    int c3x3Reduce, int c3x3, int c5x5Reduce, int c5x5, int poolProj) {
        b.scope(path, "Inception");
        String p = path + "/";
        String b1 = convRelu(b, p + "1x1", p + "relu_1x1", Conv2d.of(in, c1x1, 1), x);
        String b2 = convRelu(b, p + "3x3_reduce", p + "relu_3x3_reduce", Conv2d.of(in, c3x3Reduce, 1), x);
        b2 = convRelu(b, p + "3x3", p + "relu_3x3", Conv2d.of(c3x3Reduce, c3x3, 3, 1, 1), b2);
        String b3 = convRelu(b, p + "5x5_reduce", p + "relu_5x5_reduce", Conv2d.of(in, c5x5Reduce, 1), x);
        b3 = convRelu(b, p + "5x5", p + "relu_5x5", Conv2d.of(c5x5Reduce, c5x5, 5, 1, 2), b3);
        String b4 = b.add(p + "pool", MaxPool2d.of(3, 1, 1, true), x);
        b4 = convRelu(b, p + "pool_proj", p + "relu_pool_proj", Conv2d.of(in, poolProj, 1), b4);
        return b.add(p + "output", new Concat(1), b1, b2, b3, b4);
    }

    private static String convRelu(GraphBuilder b, String conv, String relu, Conv2d op, String x) {
        return b.add(relu, new Relu(), b.add(conv, op, x));
    }
}
