package googlenet.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * How a {@link Model} is compiled and run.
 *
 * @param threads intra-op threads (the calling thread counts as one); default: available processors
 * @param outputs the outputs to compute, by name; empty = the graph's first output only (auxiliary heads pruned)
 * @param exact   direct convolution everywhere (the sums of the reference's order of taps, no Winograd); default
 *                false: every 3×3 stride-1 convolution runs Winograd F(4×4, 3×3), which changes the last bits of the
 *                outputs (relative differences around 1e-6), not the predictions
 * @param compact the convolutions' register tiles as a few small loops with the same float operations in the same
 *                order (the same bits): C2 compiles them in milliseconds where the unrolled tiles take seconds, and
 *                until then the Vector API runs boxed and about 100× slower; compiled, they run 4–5× slower. The
 *                max-pools and the input and output layout copies run their scalar twins (the same bits: a maximum
 *                and a copy do not depend on order), quick from the first call. For a process that runs one or a
 *                few inferences (the command line's {@code run}); default false
 * @param weightCache a folder where the packed weights are kept between processes (one file per model, weights and
 *                packing, the {@value WeightCache#KEEP} used last kept), so that the next process maps them instead of
 *                packing them again; null (the default): none. The command line's one-shot commands use one
 */
public record Options(int threads, List<String> outputs, boolean exact, boolean compact, Path weightCache) {
    public Options {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        outputs = List.copyOf(outputs);
    }

    public Options(int threads, List<String> outputs) {
        this(threads, outputs, false, false, null);
    }

    public Options(int threads, List<String> outputs, boolean exact) {
        this(threads, outputs, exact, false, null);
    }

    public static Options defaults() {
        return new Options(Runtime.getRuntime().availableProcessors(), List.of(), false, false);
    }

    public static Options threads(int threads) {
        return defaults().withThreads(threads);
    }

    public Options withThreads(int n) {
        return new Options(n, outputs, exact, compact, weightCache);
    }

    public Options withOutputs(List<String> names) {
        return new Options(threads, names, exact, compact, weightCache);
    }

    /** With {@code exact}, direct convolution everywhere instead of Winograd for the 3×3 stride-1 ones. */
    public Options withExact(boolean exact) {
        return new Options(threads, outputs, exact, compact, weightCache);
    }

    /** With {@code compact}, the convolutions' register tiles as small loops: see {@link Options}. */
    public Options withCompact(boolean compact) {
        return new Options(threads, outputs, exact, compact, weightCache);
    }

    /** With the packed weights kept in {@code folder} between processes (null: not kept); see {@link Options}. */
    public Options withWeightCache(Path folder) {
        return new Options(threads, outputs, exact, compact, folder);
    }

    public Options(int threads, List<String> outputs, boolean exact, boolean compact) {
        this(threads, outputs, exact, compact, null);
    }
}
