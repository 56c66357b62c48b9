package googlenet.engine;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lGoogLeNet;

/** The d2l network at 1/8 width on 32×32 inputs with seeded weights: the whole structure, a few milliseconds a run. */
final class TinyD2l {
    static final int CLASSES = 10;

    private TinyD2l() {
    }

    static Graph graph(long seed) {
        return SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 32, 32), CLASSES, 8), seed);
    }

    /** A deterministic input, different for every {@code seed}. */
    static float[] input(int seed) {
        float[] x = new float[3 * 32 * 32];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-2, 2);
        return x;
    }
}
