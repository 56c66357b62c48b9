package googlenet.properties;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.Node;
import googlenet.graph.Shape;
import googlenet.graph.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Random Inception-style networks ({@link RandomNets}) compiled by the engine and run: every requested output equals
 * the reference interpreter's within {@code 1e-5·max|ref| + 1e-6} (the tolerance of the engine's own model tests);
 * one and two threads give the same bits; and each image of a batch gives the same bits as that image run alone.
 * One case builds two models (1 and 2 threads), runs a batch on each and every image alone: a few tens of
 * milliseconds once the JIT has warmed up, so the property keeps the default {@value Properties#DEFAULT_TRIES} cases.
 */
class EndToEndProperties {

    @Test
    void compiledNetworksMatchTheReferenceForAnyThreadCountAndBatch() {
        Properties.qt().forAll(RandomNets.nets()).checkAssert(EndToEndProperties::check);
    }

    private static void check(RandomNets.Net net) {
        Graph graph = net.graph();
        int batch = net.batch();
        Shape one = graph.inputs().getFirst().shape();
        Shape shape = one.with(0, batch);
        int imageFloats = (int) one.elements();
        float[] x = Harness.floats(new SplittableRandom(net.dataSeed()), (int) shape.elements(), 2);
        List<String> outputs = net.outputs();

        Graph batched = graph.withInputShape(shape);
        Node in = batched.inputs().getFirst();
        Map<String, Tensor> expected = ReferenceInterpreter.run(batched, Map.of(in.name(), new Tensor(shape, x)), (n, t) -> { });

        float[][] single = new float[outputs.size()][];
        float[][] dual = new float[outputs.size()][];
        float[][][] alone = new float[batch][outputs.size()][];
        try (Model m1 = Model.load(graph, Options.threads(1).withOutputs(outputs));
             Model m2 = Model.load(graph, Options.threads(2).withOutputs(outputs));
             Session s1 = m1.newSession(batch);
             Session s2 = m2.newSession(batch);
             Session image = m1.newSession(1)) {
            for (int o = 0; o < outputs.size(); o++) {
                single[o] = new float[(int) s1.outputShape(outputs.get(o)).elements()];
                dual[o] = new float[single[o].length];
                for (int i = 0; i < batch; i++) alone[i][o] = new float[single[o].length / batch];
            }
            s1.run(x, single);
            s2.run(x, dual);
            for (int i = 0; i < batch; i++) {
                image.run(Arrays.copyOfRange(x, i * imageFloats, (i + 1) * imageFloats), alone[i]);
            }
        }
        for (int o = 0; o < outputs.size(); o++) {
            String name = outputs.get(o);
            assertClose(expected.get(name).data(), single[o], net + ": output " + name + " vs the reference interpreter");
            Harness.assertBitwise(single[o], dual[o], net + ": output " + name + ", 2 threads vs 1");
            int per = single[o].length / batch;
            for (int i = 0; i < batch; i++) {
                Harness.assertBitwise(Arrays.copyOfRange(single[o], i * per, (i + 1) * per), alone[i][o],
                        net + ": output " + name + ", image " + i + " alone vs in the batch");
            }
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        if (expected.length != actual.length) throw new AssertionError(what + ": length " + actual.length + " ≠ " + expected.length);
        float max = 0;
        for (float v : expected) max = Math.max(max, Math.abs(v));
        double tolerance = 1e-5 * max + 1e-6;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tolerance)) {
                throw new AssertionError(what + ": at " + i + " expected " + expected[i] + " but was " + actual[i]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }
}
