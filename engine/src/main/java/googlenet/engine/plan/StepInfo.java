package googlenet.engine.plan;

import java.util.List;

/**
 * What a plan step does, for reports: the node it computes, the op (with what was fused into it), the
 * kernel, and the byte ranges of the arena it reads and writes.
 */
public record StepInfo(String node, String op, String kernel, List<String> inputs, String output, long outputOffset,
                       long outputBytes) {
}
