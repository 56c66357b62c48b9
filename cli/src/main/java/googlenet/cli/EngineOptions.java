package googlenet.cli;

import googlenet.engine.Options;
import picocli.CommandLine.Option;

/** {@code --exact}: how the compiled engine convolves (shared by the commands that run it). */
final class EngineOptions {
    @Option(names = "--exact",
            description = "Direct convolution everywhere (no Winograd): the last bits of the pre-Winograd engine; default: Winograd F(4×4,3×3) on 3×3 stride-1 convolutions.")
    boolean exact;

    /**
     * Up to this many images, a command runs on the compact kernels ({@link Options#compact}: the same bits; compiled
     * in milliseconds instead of the seconds the register tiles take, 4–5× slower per image once compiled).
     */
    static final int COMPACT_IMAGES = 8;

    /** {@code options} with this command line's choices. */
    Options apply(Options options) {
        return options.withExact(exact);
    }

    /** {@code options} with this command line's choices, for a process that runs {@code images} images once. */
    Options applyOnce(Options options, long images) {
        return apply(options).withCompact(images <= COMPACT_IMAGES);
    }
}
