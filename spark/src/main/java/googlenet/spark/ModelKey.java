package googlenet.spark;

import java.io.Serial;
import java.io.Serializable;

/** What makes two executor models the same: the model's content (its SHA-256), the preset and the engine's threads. */
record ModelKey(String sha256, String preset, int threads) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
}
