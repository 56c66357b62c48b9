package googlenet.engine;

import googlenet.graph.Graph;
import googlenet.graph.SeededWeights;
import googlenet.graph.Shape;
import googlenet.graph.models.D2lGoogLeNet;
import googlenet.kernels.Blocking;
import googlenet.engine.plan.StepInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A model built with {@link Options#compact} computes the bits of the model built without it, on random floats (where
 * another summation order would show), with Winograd and with {@code exact}: the one-shot path changes when the
 * answer comes, not the answer.
 */
class CompactKernelsTest {
    @ParameterizedTest(name = "exact {0}")
    @ValueSource(booleans = {false, true})
    void compactKernelsGiveTheSteadyKernelsBits(boolean exact) {
        assumeTrue(Blocking.VECTOR, "vector kernels disabled");
        // The d2l network at full width on 128×128: Winograd runs at 32×32 and 16×16, direct convolution elsewhere.
        Graph graph = SeededWeights.apply(D2lGoogLeNet.build(Shape.of(1, 3, 128, 128), 10), 4);
        float[] x = new float[3 * 128 * 128];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextDouble(-2, 2);
        float[][] y = new float[2][10];
        for (int compact = 0; compact < 2; compact++) {
            Options options = Options.threads(2).withExact(exact).withCompact(compact == 1);
            try (Model model = Model.load(graph, options); Session s = model.newSession(1)) {
                long compactConvs = model.plan(1).steps().stream().map(StepInfo::kernel)
                        .filter(d -> d.startsWith("conv") && d.contains("compact")).count();
                assertEquals(compact == 1, compactConvs > 0, "compact convolutions in the plan: " + compactConvs);
                if (!exact) assertTrue(model.convolution().contains("winograd"), model.convolution());
                s.run(x, y[compact]);
            }
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(Float.floatToRawIntBits(y[0][i]), Float.floatToRawIntBits(y[1][i]),
                    "logit " + i + ": steady " + y[0][i] + ", compact " + y[1][i]);
        }
    }
}
