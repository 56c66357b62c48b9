package googlenet.spark;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.image.Classifier;
import googlenet.engine.image.ImageDecoder;
import googlenet.kernels.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The models of this JVM (an executor; the driver too in local mode): one per {@link ModelKey}, compiled once and
 * shared by every task and every job that runs it. The model's bytes are asked for only when it is not here yet.
 */
final class ExecutorModels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<ModelKey, SharedModel> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    private ExecutorModels() {
    }

    static SharedModel get(ModelKey key, Supplier<ModelSource> source) {
        return MODELS.computeIfAbsent(key, k -> load(k, source.get()));
    }

    /** How many models this JVM has compiled. */
    static int loads() {
        return LOADS.get();
    }

    /** Closes every model (their sessions with them); the next task loads its model again. */
    static void closeAll() {
        MODELS.values().removeIf(m -> {
            m.close();
            return true;
        });
    }

    private static SharedModel load(ModelKey key, ModelSource source) {
        long start = System.nanoTime();
        Classifier classifier;
        try {
            classifier = source.classifier(key.preset(), ImageDecoder.DEFAULT_MAX_PIXELS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Model model = Model.load(classifier.graph(), Options.threads(key.threads()));
        LOADS.incrementAndGet();
        LOG.info("googlenet: {} compiled in {} ms (threads {}, {} convolution, SHA-256 {}); kernels: {}", source.model(),
                (System.nanoTime() - start) / 1_000_000, key.threads(), model.convolution(), key.sha256(), Blocking.describe());
        if (!Blocking.VECTOR) {
            LOG.warn("googlenet: running the scalar kernels, several times slower: give the executors "
                    + "spark.executor.extraJavaOptions=--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow");
        }
        return new SharedModel(model, classifier);
    }
}
