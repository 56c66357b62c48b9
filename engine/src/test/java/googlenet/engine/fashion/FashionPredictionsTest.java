package googlenet.engine.fashion;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
import googlenet.graph.io.JsonParser;
import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.FashionMnist;
import googlenet.graph.models.FashionPreprocessing;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * builtin:d2l-fashion on the compiled engine predicts what PyTorch predicted: on the 500 shipped test images always
 * (PyTorch's predictions from tools/make_fashion_fixtures.py), and on the whole test set when Debian's
 * dataset-fashion-mnist is installed (the SHA-256 of PyTorch's 10,000 predictions from tools/train_fashion.py).
 */
class FashionPredictionsTest {
    private static final int BATCH = 50;

    /** The engine's predicted class for every image of the test set. */
    private static byte[] predict(FashionMnist.TestSet set) {
        D2lFashion fashion = D2lFashion.shipped();
        FashionPreprocessing pre = fashion.preprocessing();
        float[] table = pre.table();
        int k = fashion.classes().size();
        byte[] predictions = new byte[set.size()];
        try (Model model = Model.load(fashion.graph(BATCH), Options.defaults()); Session session = model.newSession(BATCH)) {
            float[] x = new float[BATCH * pre.outputFloats()];
            float[] y = new float[BATCH * k];
            for (int first = 0; first < set.size(); first += BATCH) {
                int n = Math.min(BATCH, set.size() - first);
                for (int i = 0; i < BATCH; i++) pre.apply(table, set.images().data(), first + Math.min(i, n - 1), x, i * pre.outputFloats());
                session.run(x, y);
                for (int i = 0; i < n; i++) {
                    int best = 0;
                    for (int c = 1; c < k; c++) if (y[i * k + c] > y[i * k + best]) best = c;
                    predictions[first + i] = (byte) best;
                }
            }
        }
        return predictions;
    }

    private static String sha256(byte[] b) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void shippedSamplesArePredictedAsPyTorchPredictedThem() throws IOException, NoSuchAlgorithmException {
        Map<?, ?> pytorch;
        try (InputStream in = D2lFashion.class.getResourceAsStream("d2l-fashion/samples-pytorch.json")) {
            assertTrue(in != null, "samples-pytorch.json ships beside the weights");
            pytorch = (Map<?, ?>) JsonParser.parse("samples-pytorch.json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        FashionMnist.TestSet samples = D2lFashion.shipped().samples();
        List<?> expected = (List<?>) pytorch.get("predictions");
        List<?> margins = (List<?>) pytorch.get("margins");
        assertEquals(expected.size(), samples.size());
        byte[] actual = predict(samples);
        List<String> differences = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < actual.length; i++) {
            int want = ((BigInteger) expected.get(i)).intValue();
            if (actual[i] != want) differences.add("image " + i + ": PyTorch " + want + ", engine " + actual[i] + " (PyTorch's top-2 margin " + margins.get(i) + ")");
            if (actual[i] == samples.label(i)) correct++;
        }
        assertEquals(List.of(), differences);
        assertEquals(((BigInteger) pytorch.get("correct")).intValue(), correct);
        assertEquals(pytorch.get("predictionsSha256"), sha256(actual));
    }

    @Test
    void wholeTestSetIsPredictedAsPyTorchPredictedIt() throws IOException, NoSuchAlgorithmException {
        Assumptions.assumeTrue(FashionMnist.present(FashionMnist.DEBIAN_DIR),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): the whole-test-set check is skipped");
        FashionMnist.TestSet all = FashionMnist.readTestSet(FashionMnist.DEBIAN_DIR);
        D2lFashion fashion = D2lFashion.shipped();
        byte[] actual = predict(all);
        int correct = 0;
        for (int i = 0; i < actual.length; i++) if (actual[i] == all.label(i)) correct++;
        assertEquals(fashion.testTotal(), all.size());
        assertEquals(fashion.testCorrect(), correct, "correct predictions");
        assertEquals(fashion.testPredictionsSha256(), sha256(actual), "SHA-256 of the 10,000 predictions");
        assertEquals(fashion.testAccuracy(), new BigDecimal(correct).divide(new BigDecimal(all.size())).doubleValue(), 0.0);
    }
}
