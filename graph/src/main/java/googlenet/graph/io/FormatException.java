package googlenet.graph.io;

import java.io.IOException;

/**
 * Thrown when a file or stream is readable but its contents are malformed or use a variant
 * this engine does not support. The message always starts with the file or source name,
 * for example {@code "x.npy: dtype '<f8' is not supported; expected '<f4' (float32, little-endian)"}.
 */
public class FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public FormatException(String message) {
        super(message);
    }

    public FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
