package googlenet.engine;

import java.util.List;

/**
 * How a {@link Model} is compiled and run.
 *
 * @param threads intra-op threads (the calling thread counts as one); default: available processors
 * @param outputs the outputs to compute, by name; empty = the graph's first output only (auxiliary heads pruned)
 * @param exact   direct convolution everywhere (the sums of the reference's order of taps, no Winograd); default
 *                false: every 3×3 stride-1 convolution runs Winograd F(4×4, 3×3), which changes the last bits of the
 *                outputs (relative differences around 1e-6), not the predictions
 */
public record Options(int threads, List<String> outputs, boolean exact) {
    public Options {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        outputs = List.copyOf(outputs);
    }

    public Options(int threads, List<String> outputs) {
        this(threads, outputs, false);
    }

    public static Options defaults() {
        return new Options(Runtime.getRuntime().availableProcessors(), List.of(), false);
    }

    public static Options threads(int threads) {
        return defaults().withThreads(threads);
    }

    public Options withThreads(int n) {
        return new Options(n, outputs, exact);
    }

    public Options withOutputs(List<String> names) {
        return new Options(threads, names, exact);
    }

    /** With {@code exact}, direct convolution everywhere instead of Winograd for the 3×3 stride-1 ones. */
    public Options withExact(boolean exact) {
        return new Options(threads, outputs, exact);
    }
}
