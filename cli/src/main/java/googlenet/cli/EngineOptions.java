package googlenet.cli;

import googlenet.engine.Options;
import picocli.CommandLine.Option;

/** {@code --exact}: how the compiled engine convolves (shared by the commands that run it). */
final class EngineOptions {
    @Option(names = "--exact",
            description = "Direct convolution everywhere (no Winograd): the last bits of the pre-Winograd engine; default: Winograd F(4×4,3×3) on 3×3 stride-1 convolutions.")
    boolean exact;

    /** {@code options} with this command line's choices. */
    Options apply(Options options) {
        return options.withExact(exact);
    }
}
