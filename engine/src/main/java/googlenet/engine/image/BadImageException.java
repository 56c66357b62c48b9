package googlenet.engine.image;

import java.io.IOException;
import java.io.Serial;

/** An image file that cannot be used: empty, corrupt, of an unsupported kind or larger than the pixel limit. The message names the file. */
public final class BadImageException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    public BadImageException(String message) {
        super(message);
    }

    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
