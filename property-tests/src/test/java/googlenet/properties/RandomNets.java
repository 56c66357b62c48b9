package googlenet.properties;

import googlenet.graph.Graph;
import googlenet.graph.GraphBuilder;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.op.AvgPool2d;
import googlenet.graph.op.BatchNorm;
import googlenet.graph.op.Concat;
import googlenet.graph.op.Conv2d;
import googlenet.graph.op.Flatten;
import googlenet.graph.op.GlobalAvgPool;
import googlenet.graph.op.Linear;
import googlenet.graph.op.Lrn;
import googlenet.graph.op.MaxPool2d;
import googlenet.graph.op.Relu;
import googlenet.graph.op.Softmax;

import java.util.ArrayList;
import java.util.List;

import org.quicktheories.core.Gen;

/**
 * Random Inception-style networks, small enough for the reference interpreter: an input of 1–8 channels and 6–16
 * pixels a side; a stem conv (kernel 1/3/5/7, stride 1/2, ReLU, sometimes BatchNorm to fold) with optional max pool
 * and LRN; 1–4 Inception blocks of four branches (1×1 | 1×1→k×k | 1×1→k×k | pool→1×1, k ∈ {1, 3, 5, 7}) whose widths
 * are either multiples of the channel block (so that the concat is placed in place) or any count 1–40 (so that it
 * falls back to copies), with optional pooling between blocks (max or average, ceil mode or not); a head of global
 * average pooling, Flatten, Linear and sometimes Softmax. Sometimes the last block's output is a second graph output.
 */
final class RandomNets {
    private RandomNets() {
    }

    /** A network with seeded weights, the outputs to request, a batch size and the seed of its input data. */
    record Net(String description, Graph graph, List<String> outputs, int batch, long dataSeed) {
        @Override
        public String toString() {
            return description + " | batch " + batch + " data " + dataSeed;
        }
    }

    static Gen<Net> nets() {
        return in -> {
            Draw d = new Draw(in);
            StringBuilder say = new StringBuilder();
            int c0 = d.between(1, 8);
            int h = d.between(6, 16);
            int w = d.between(6, 16);
            say.append("input ").append(c0).append("×").append(h).append("×").append(w);
            GraphBuilder b = new GraphBuilder("random");
            String x = b.input("x", Shape.of(1, c0, h, w));

            int k = d.pick(1, 3, 5, 7);
            int stride = d.between(1, 2);
            int width = width(d, d.bool());
            x = b.add("stem", Conv2d.of(c0, width, k, stride, k / 2), x);
            say.append(" | stem ").append(k).append("×").append(k).append("/").append(stride).append("→").append(width);
            if (d.oneIn(3)) {
                x = b.add("stem.bn", new BatchNorm(width, 1e-5), x);
                say.append(" bn");
            }
            x = b.add("stem.relu", new Relu(), x);
            if (d.bool() && spatial(b, x) >= 3) {
                boolean ceil = d.bool();
                x = b.add("stem.pool", MaxPool2d.of(3, 2, 1, ceil), x);
                say.append(" maxpool3/2").append(ceil ? " ceil" : "");
            }
            if (d.oneIn(3)) {
                int size = d.pick(3, 5);
                x = b.add("stem.lrn", new Lrn(size, 1e-4, 0.75, 1.0), x);
                say.append(" lrn").append(size);
            }

            int blocks = d.between(1, 4);
            String last = x;
            for (int i = 0; i < blocks; i++) {
                String p = "b" + i;
                int cin = b.shapeOf(x).dim(1);
                boolean aligned = d.bool();
                int w1 = width(d, aligned), r2 = width(d, false), w2 = width(d, aligned);
                int r3 = width(d, false), w3 = width(d, aligned), w4 = width(d, aligned);
                int k2 = d.pick(1, 3, 5, 7), k3 = d.pick(1, 3, 5, 7);
                boolean avg = d.oneIn(3);
                String p1 = convRelu(b, p + ".p1", Conv2d.of(cin, w1, 1), x);
                String p2 = convRelu(b, p + ".p2_1", Conv2d.of(cin, r2, 1), x);
                p2 = convRelu(b, p + ".p2_2", Conv2d.of(r2, w2, k2, 1, k2 / 2), p2);
                String p3 = convRelu(b, p + ".p3_1", Conv2d.of(cin, r3, 1), x);
                p3 = convRelu(b, p + ".p3_2", Conv2d.of(r3, w3, k3, 1, k3 / 2), p3);
                String p4 = b.add(p + ".p4_1", avg ? AvgPool2d.of(3, 1, 1, false, d.bool()) : MaxPool2d.of(3, 1, 1, false), x);
                p4 = convRelu(b, p + ".p4_2", Conv2d.of(cin, w4, 1), p4);
                x = b.add(p + ".concat", new Concat(1), p1, p2, p3, p4);
                last = x;
                say.append(aligned ? " | aligned inception " : " | inception ").append(w1).append(",").append(r2).append("→").append(w2).append("k").append(k2)
                        .append(",").append(r3).append("→").append(w3).append("k").append(k3).append(",")
                        .append(avg ? "avg→" : "max→").append(w4);
                if (i + 1 < blocks && d.oneIn(3) && spatial(b, x) >= 3) {
                    boolean ceil = d.bool();
                    boolean avgBetween = d.bool();
                    x = b.add(p + ".pool", avgBetween ? AvgPool2d.of(3, 2, 1, ceil, d.bool()) : MaxPool2d.of(3, 2, 1, ceil), x);
                    say.append(avgBetween ? " avgpool3/2" : " maxpool3/2").append(ceil ? " ceil" : "");
                }
            }
            int classes = d.between(1, 20);
            x = b.add("head.gap", new GlobalAvgPool(), x);
            x = b.add("head.flatten", new Flatten(), x);
            x = b.add("head.fc", Linear.of(b.shapeOf(x).dim(1), classes), x);
            say.append(" | gap fc→").append(classes);
            if (d.oneIn(3)) {
                x = b.add("head.softmax", new Softmax(), x);
                say.append(" softmax");
            }
            b.output("y", x);
            List<String> outputs = new ArrayList<>(List.of("y"));
            if (d.oneIn(4)) {
                b.output("features", last);
                outputs.add("features");
                say.append(" | + features output");
            }
            Graph graph = SeededWeights.apply(b.build(), d.between(0, 1000));
            return new Net(say.toString(), graph, List.copyOf(outputs), d.between(1, 3), d.dataSeed());
        };
    }

    /** A width: one or two channel blocks when {@code aligned}, else any count 1–40. */
    private static int width(Draw d, boolean aligned) {
        return aligned ? Harness.LANES * d.between(1, 2) : d.between(1, 40);
    }

    private static int spatial(GraphBuilder b, String x) {
        Shape s = b.shapeOf(x);
        return Math.min(s.dim(2), s.dim(3));
    }

    private static String convRelu(GraphBuilder b, String name, Conv2d conv, String x) {
        return b.add(name + ".relu", new Relu(), b.add(name, conv, x));
    }
}
