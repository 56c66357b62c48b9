package googlenet.cli;

import java.io.Serial;

/** A command's input is unusable: the message says why, the exit code is 2. */
final class BadInputException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
