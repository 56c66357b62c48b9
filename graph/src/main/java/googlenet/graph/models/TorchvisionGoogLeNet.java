package googlenet.graph.models;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.Shape;
import googlenet.graph.op.AdaptiveAvgPool2d;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Dropout;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Relu;

/**
 * The original GoogLeNet as {@code torchvision.models.googlenet} structures it (without
 * {@code transform_input}): every conv a {@code BasicConv2d} (conv without bias, BatchNorm eps 0.001,
 * ReLU), ceil-mode max pools, the third branch 3×3 (torchvision's known quirk), and the two auxiliary
 * classifiers after 4a and 4d as the extra outputs {@code aux1}, {@code aux2}. Node names are
 * torchvision's module paths, so its state_dict keys name the weights.
 */
public final class TorchvisionGoogLeNet {
    private static final double BN_EPS = 0.001;

    private TorchvisionGoogLeNet() {
    }

    public static Graph build(Shape input, int classes) {
        GraphBuilder b = new GraphBuilder("torchvision");
        String x = b.input("x", input);
        x = basicConv(b, "conv1", Conv2d.of(input.dim(1), 64, 7, 2, 3), x);
        x = b.add("maxpool1", MaxPool2d.of(3, 2, 0, true), x);
        x = basicConv(b, "conv2", Conv2d.of(64, 64, 1), x);
        x = basicConv(b, "conv3", Conv2d.of(64, 192, 3, 1, 1), x);
        x = b.add("maxpool2", MaxPool2d.of(3, 2, 0, true), x);

        x = inception(b, "inception3a", x, 192, 64, 96, 128, 16, 32, 32);
        x = inception(b, "inception3b", x, 256, 128, 128, 192, 32, 96, 64);
        x = b.add("maxpool3", MaxPool2d.of(3, 2, 0, true), x);
        x = inception(b, "inception4a", x, 480, 192, 96, 208, 16, 48, 64);
        String aux1 = auxiliary(b, "aux1", x, 512, classes);
        x = inception(b, "inception4b", x, 512, 160, 112, 224, 24, 64, 64);
        x = inception(b, "inception4c", x, 512, 128, 128, 256, 24, 64, 64);
        x = inception(b, "inception4d", x, 512, 112, 144, 288, 32, 64, 64);
        String aux2 = auxiliary(b, "aux2", x, 528, classes);
        x = inception(b, "inception4e", x, 528, 256, 160, 320, 32, 128, 128);
        x = b.add("maxpool4", MaxPool2d.of(2, 2, 0, true), x);
        x = inception(b, "inception5a", x, 832, 256, 160, 320, 32, 128, 128);
        x = inception(b, "inception5b", x, 832, 384, 192, 384, 48, 128, 128);

        x = b.add("avgpool", new GlobalAvgPool(), x);
        x = b.add("flatten", new Flatten(), x);
        x = b.add("dropout", new Dropout(0.2), x);
        x = b.add("fc", Linear.of(1024, classes), x);
        return b.output("logits", x).output("aux1", aux1).output("aux2", aux2).build();
    }

    private static String inception(GraphBuilder b, String path, String x, int in, int ch1x1,
                                    int ch3x3Reduce, int ch3x3, int ch5x5Reduce, int ch5x5, int poolProj) {
        b.scope(path, "Inception");
        String b1 = basicConv(b, path + ".branch1", Conv2d.of(in, ch1x1, 1), x);
        b.scope(path + ".branch2", "Sequential");
        String b2 = basicConv(b, path + ".branch2.0", Conv2d.of(in, ch3x3Reduce, 1), x);
        b2 = basicConv(b, path + ".branch2.1", Conv2d.of(ch3x3Reduce, ch3x3, 3, 1, 1), b2);
        b.scope(path + ".branch3", "Sequential");
        String b3 = basicConv(b, path + ".branch3.0", Conv2d.of(in, ch5x5Reduce, 1), x);
        b3 = basicConv(b, path + ".branch3.1", Conv2d.of(ch5x5Reduce, ch5x5, 3, 1, 1), b3);
        b.scope(path + ".branch4", "Sequential");
        String b4 = b.add(path + ".branch4.0", MaxPool2d.of(3, 1, 1, true), x);
        b4 = basicConv(b, path + ".branch4.1", Conv2d.of(in, poolProj, 1), b4);
        return b.add(path + ".concat", new Concat(1), b1, b2, b3, b4);
    }

    /**
     * InceptionAux: adaptive average pool to 4×4 (torchvision's code; the paper's 5×5/3 pool differs at 14×14),
     * 1×1 conv 128, fc 2048→1024, ReLU, dropout 0.7, fc.
     */
    private static String auxiliary(GraphBuilder b, String path, String x, int in, int classes) {
        b.scope(path, "InceptionAux");
        x = b.add(path + ".avgpool", new AdaptiveAvgPool2d(4, 4), x);
        x = basicConv(b, path + ".conv", Conv2d.of(in, 128, 1), x);
        x = b.add(path + ".flatten", new Flatten(), x);
        x = b.add(path + ".fc1", Linear.of(2048, 1024), x);
        x = b.add(path + ".relu", new Relu(), x);
        x = b.add(path + ".dropout", new Dropout(0.7), x);
        return b.add(path + ".fc2", Linear.of(1024, classes), x);
    }

    /** BasicConv2d: conv without bias → BatchNorm(eps 0.001) → ReLU. */
    private static String basicConv(GraphBuilder b, String path, Conv2d conv, String x) {
        b.scope(path, "BasicConv2d");
        x = b.add(path + ".conv", conv.withoutBias(), x);
        x = b.add(path + ".bn", new BatchNorm(conv.outChannels(), BN_EPS), x);
        return b.add(path + ".relu", new Relu(), x);
    }
}
