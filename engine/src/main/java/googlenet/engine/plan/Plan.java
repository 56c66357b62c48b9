package googlenet.engine.plan;

import googlenet.graph.Shape;

import java.util.List;
import java.util.Map;

/**
 * What a compiled network for one batch size does, for reports: its steps in order (node, op, kernel, the byte ranges
 * of the arena each reads and writes), where the caller's input and the outputs live in the arena, the arena's size
 * against the lower bound of any placement, and how each concat was placed. The caller's input goes to
 * {@code inputOffset} as plain NCHW float32; each output is left plain at its offset.
 *
 * @param outputs output name → its plain region in the arena
 */
public record Plan(List<StepInfo> steps, Shape inputShape, long inputOffset, Map<String, PlainRegion> outputs,
                   long arenaBytes, long lowerBoundBytes, List<ConcatPlacement> concats) {

    public Plan {
        steps = List.copyOf(steps);
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        concats = List.copyOf(concats);
    }

    /** A plain (NCHW or N×F) float32 tensor in the arena. */
    public record PlainRegion(Shape shape, long offset) {
    }

    public long zeroCopyConcats() {
        return concats.stream().filter(ConcatPlacement::zeroCopy).count();
    }
}
