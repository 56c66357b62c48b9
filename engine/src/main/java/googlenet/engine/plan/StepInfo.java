package googlenet.engine.plan;

import java.util.List;

/**
 * What a plan step does, for reports: the node it computes, the op (with what was fused into it), the
 * kernel, the byte ranges of the arena it reads and writes, and its level: steps of one level read nothing another
 * of them writes, and a run on several threads shares their tasks as one step's.
 */
public record StepInfo(String node, String op, String kernel, List<String> inputs, String output, long outputOffset,
                       long outputBytes, int level) {
}
