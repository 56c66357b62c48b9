package googlenet.graph;

import java.io.Serial;

/**
 * A graph that cannot be built or run as given: a shape that does not fit, an unknown input,
 * a missing or misshapen weight. The message names the node, what was expected and what was found.
 */
public class GraphException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public GraphException(String message) {
        super(message);
    }

    public GraphException(String message, Throwable cause) {
        super(message, cause);
    }
}
