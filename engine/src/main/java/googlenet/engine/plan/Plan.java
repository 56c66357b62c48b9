package googlenet.engine.plan;

import googlenet.graph.Shape;
import googlenet.kernels.Kernel;

import java.util.List;
import java.util.Map;

/**
 * A compiled network for one batch size: kernels bound to their places in one arena, run in order.
 * Running it is a loop over {@link #kernels()} and nothing else. The caller's input goes to
 * {@code inputOffset} as plain NCHW float32; each output is left plain at its offset.
 *
 * @param outputs output name → its plain region in the arena
 */
public record Plan(Kernel[] kernels, List<StepInfo> steps, Shape inputShape, long inputOffset,
                   Map<String, PlainRegion> outputs, long arenaBytes, long lowerBoundBytes,
                   List<ConcatPlacement> concats) {

    /** A plain (NCHW or N×F) float32 tensor in the arena. */
    public record PlainRegion(Shape shape, long offset) {
    }

    public long zeroCopyConcats() {
        return concats.stream().filter(ConcatPlacement::zeroCopy).count();
    }
}
