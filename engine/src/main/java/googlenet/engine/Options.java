package googlenet.engine;

import java.util.List;

/**
 * How a {@link Model} is compiled and run.
 *
 * @param threads intra-op threads (the calling thread counts as one); default: available processors
 * @param outputs the outputs to compute, by name; empty = the graph's first output only (auxiliary heads pruned)
 */
public record Options(int threads, List<String> outputs) {
    public Options {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        outputs = List.copyOf(outputs);
    }

    public static Options defaults() {
        return new Options(Runtime.getRuntime().availableProcessors(), List.of());
    }

    public static Options threads(int threads) {
        return defaults().withThreads(threads);
    }

    public Options withThreads(int n) {
        return new Options(n, outputs);
    }

    public Options withOutputs(List<String> names) {
        return new Options(threads, names);
    }
}
