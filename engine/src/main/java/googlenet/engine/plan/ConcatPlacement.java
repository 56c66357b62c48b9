package googlenet.engine.plan;

/**
 * How a concat was placed: in place (its branches write straight into their channel slices; no step runs)
 * or by copies, with the reason.
 */
public record ConcatPlacement(String node, boolean zeroCopy, String reason) {
}
