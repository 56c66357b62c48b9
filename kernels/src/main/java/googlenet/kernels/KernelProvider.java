package googlenet.kernels;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Chooses once, at start, between the Vector API kernels and their scalar twins, by what this JVM can do — never by
 * timing, so that a process computes the same bits every time it starts. The vector kernels run when the incubator
 * module {@code jdk.incubator.vector} is present, C2 compiles (not {@code -Xint}, not a tiered stop below level 4),
 * the preferred float species is at least 128 bits and the CPU has vector FMA (HotSpot's {@code UseFMA}: without it,
 * e.g. at {@code -XX:UseAVX=0}, every vector FMA is a library call and the vector kernels run ~100× slower than the
 * scalar ones). Read cheaply where it can be (a process that runs one inference should not pay 30 ms for this):
 * {@code java.vm.info} says "interpreted mode" or "emulated-client" (a tiered stop at level 1); on x86 a species wider
 * than 128 bits means AVX is on, and then the CPU's {@code fma} in Linux's {@code /proc/cpuinfo} means FMA; AArch64
 * always has it. Elsewhere (and for a 128-bit species on x86: {@code -XX:UseAVX=0} or {@code 1}, or a small
 * {@code MaxVectorSize}) HotSpot's flags ({@code HotSpotDiagnosticMXBean}) answer. {@code -Dgooglenet.kernels=scalar|vector} forces the choice ({@code vector} still needs the module);
 * {@code -Dgooglenet.vector=false}, the older switch, means {@code scalar}.
 * <p>
 * The choice and its reason are logged once at DEBUG; a fallback to the scalar kernels that nobody asked for at
 * WARNING, once (the scalar kernels are correct and several times slower).
 */
public final class KernelProvider {
    /** The choice: vector kernels or scalar, and why, in words a user can act on. */
    public record Choice(boolean vector, String reason) {
    }

    private static final Choice CHOICE = log(decide(System.getProperty("googlenet.kernels"),
            System.getProperty("googlenet.vector"), new Jvm()));

    private KernelProvider() {
    }

    /** The choice this JVM made at start. */
    public static Choice choice() {
        return CHOICE;
    }

    /** What the choice depends on, asked of the running JVM (a seam for tests). */
    static class Jvm {
        boolean vectorModule() {
            return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        }

        /** The preferred species' bits; only called when the module is present. */
        int speciesBits() {
            return VectorBits.preferred();
        }

        /** A HotSpot flag's value, if this JVM has it. */
        Optional<String> flag(String name) {
            try {
                var mx = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return mx == null ? Optional.empty() : Optional.of(mx.getVMOption(name).getValue());
            } catch (RuntimeException e) { // no such flag in this JVM
                return Optional.empty();
            }
        }

        String vmInfo() {
            return System.getProperty("java.vm.info", "");
        }

        String arch() {
            return System.getProperty("os.arch", "");
        }

        /**
         * The first CPU's flags line of {@code /proc/cpuinfo} (Linux), space-separated with a space at either end, if
         * there is such a file. Plain {@code java.io}, no lambdas: this runs at every start, before anything else.
         */
        Optional<String> cpuFlags() {
            if (cpuFlags == null) cpuFlags = readCpuFlags();
            return cpuFlags;
        }

        private Optional<String> cpuFlags;

        private static Optional<String> readCpuFlags() {
            File cpuinfo = new File("/proc/cpuinfo");
            if (!cpuinfo.canRead()) return Optional.empty();
            try (BufferedReader r = new BufferedReader(new FileReader(cpuinfo, StandardCharsets.US_ASCII))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("flags")) return Optional.of(" " + line.substring(line.indexOf(':') + 1).trim() + " ");
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            return Optional.empty();
        }
    }

    static Choice decide(String kernels, String legacyVector, Jvm jvm) {
        String forced = kernels != null ? kernels.trim().toLowerCase(java.util.Locale.ROOT)
                : legacyVector != null && !Boolean.parseBoolean(legacyVector) ? "scalar" : "";
        String by = kernels != null ? "-Dgooglenet.kernels=" + kernels : "-Dgooglenet.vector=" + legacyVector;
        if (forced.equals("scalar")) return new Choice(false, "scalar kernels: forced by " + by);
        boolean forceVector = forced.equals("vector");
        if (!forceVector && !forced.isEmpty()) {
            return fallback("-Dgooglenet.kernels=" + kernels + " is neither scalar nor vector", jvm);
        }
        if (!jvm.vectorModule()) {
            return new Choice(false, "scalar kernels: the module jdk.incubator.vector is not present (run java with "
                    + "--add-modules jdk.incubator.vector)" + (forceVector ? ", though " + by + " asks for vector" : ""));
        }
        int bits = jvm.speciesBits();
        if (forceVector) return new Choice(true, "vector kernels (" + bits + "-bit species): forced by " + by);
        if (jvm.vmInfo().contains("interpreted mode")) {
            return new Choice(false, "scalar kernels: the JIT is off (-Xint); the Vector API would run interpreted");
        }
        if (jvm.vmInfo().contains("emulated-client")) {
            return new Choice(false, "scalar kernels: C2 is off (-XX:TieredStopAtLevel=1); the Vector API needs it to "
                    + "compile to vector instructions");
        }
        if (bits < 128) {
            return new Choice(false, "scalar kernels: the preferred float species is " + bits + " bits (128 at least)");
        }
        if (!cheaplyKnown(bits, jvm)) {
            boolean tiered = !jvm.flag("TieredCompilation").orElse("true").equals("false");
            int stop = Integer.parseInt(jvm.flag("TieredStopAtLevel").orElse("4"));
            if (tiered && stop < 4) {
                return new Choice(false, "scalar kernels: C2 is off (-XX:TieredStopAtLevel=" + stop
                        + "); the Vector API needs it to compile to vector instructions");
            }
        }
        String noFma = noFma(bits, jvm);
        if (noFma != null) return new Choice(false, "scalar kernels: no vector FMA (" + noFma + ")");
        return new Choice(true, "vector kernels: " + bits + "-bit species, C2 and vector FMA present");
    }

    /**
     * Whether the JVM's flags need not be asked: on x86 with {@code /proc/cpuinfo} and on AArch64, {@code java.vm.info}
     * (for a tiered stop at level 1, the usual one) and the species (for FMA) tell enough.
     */
    private static boolean cheaplyKnown(int bits, Jvm jvm) {
        return jvm.arch().equals("aarch64") || x86(jvm) && bits > 128 && jvm.cpuFlags().isPresent();
    }

    private static boolean x86(Jvm jvm) {
        return jvm.arch().equals("amd64") || jvm.arch().equals("x86_64");
    }

    /** Why this JVM has no vector FMA, or null when it has. */
    private static String noFma(int bits, Jvm jvm) {
        if (jvm.arch().equals("aarch64")) return null;
        if (x86(jvm) && bits > 128) {
            Optional<String> flags = jvm.cpuFlags();
            if (flags.isPresent()) return flags.get().contains(" fma ") ? null : "the CPU lists no fma in /proc/cpuinfo";
        }
        if (jvm.flag("UseFMA").orElse("true").equals("false")) {
            Optional<String> avx = jvm.flag("UseAVX");
            return "UseFMA is off" + (avx.isPresent() ? ", UseAVX=" + avx.get() : "");
        }
        return null;
    }

    private static Choice fallback(String why, Jvm jvm) {
        Choice auto = decide(null, null, jvm);
        return new Choice(auto.vector(), auto.reason() + " (ignored: " + why + ")");
    }

    private static Choice log(Choice c) {
        System.Logger log = System.getLogger(KernelProvider.class.getName());
        boolean asked = c.reason().contains("forced by");
        log.log(c.vector() || asked ? System.Logger.Level.DEBUG : System.Logger.Level.WARNING, c.reason());
        return c;
    }

    /** Only loaded when the incubator module is present, so that its absence cannot break class loading. */
    private static final class VectorBits {
        static int preferred() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }
    }
}
