package googlenet.cli;

import googlenet.engine.Options;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --exact}: how the compiled engine convolves (shared by the commands that run it). */
final class EngineOptions {
    @Option(names = "--exact",
            description = "Direct convolution everywhere (no Winograd): the last bits of the pre-Winograd engine; default: Winograd F(4×4,3×3) on 3×3 stride-1 convolutions.")
    boolean exact;

    @Option(names = "--no-weight-cache",
            description = "run and classify map the packed weights an earlier run kept (in $GOOGLENET_CACHE, else "
                    + "$XDG_CACHE_HOME/googlenet, else ~/.cache/googlenet; the 8 models used last, 52 MB for d2l; "
                    + "GOOGLENET_CACHE=off keeps none): pack them again instead. Other commands always pack.")
    boolean noWeightCache;

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
        return apply(options).withCompact(images <= COMPACT_IMAGES).withWeightCache(noWeightCache ? null : weightCacheFolder());
    }

    /**
     * Where one-shot commands keep packed weights: the system property {@code googlenet.weightCache} (the tests'),
     * else {@code $GOOGLENET_CACHE} ({@code off}: nowhere), else {@code $XDG_CACHE_HOME/googlenet}, else
     * {@code ~/.cache/googlenet}; null for nowhere.
     */
    static Path weightCacheFolder() {
        String chosen = System.getProperty("googlenet.weightCache", System.getenv("GOOGLENET_CACHE"));
        if (chosen != null) return chosen.isBlank() || chosen.equals("off") ? null : Path.of(chosen);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "googlenet");
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "googlenet");
    }
}
