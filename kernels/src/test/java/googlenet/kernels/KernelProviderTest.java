package googlenet.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The choice between vector and scalar kernels, on made-up JVMs: each reason to fall back, and the switches. */
class KernelProviderTest {
    /** An x86 Linux JVM whose CPU has FMA, with the module, the species bits, vm info and HotSpot flags given. */
    private static KernelProvider.Jvm jvm(boolean module, int bits, String vmInfo, Map<String, String> flags) {
        return jvm(module, bits, vmInfo, flags, "amd64", Optional.of(" sse2 avx avx2 fma "));
    }

    private static KernelProvider.Jvm jvm(boolean module, int bits, String vmInfo, Map<String, String> flags, String arch,
                                          Optional<String> cpuFlags) {
        return new KernelProvider.Jvm() {
            @Override
            String arch() {
                return arch;
            }

            @Override
            Optional<String> cpuFlags() {
                return cpuFlags;
            }

            @Override
            boolean vectorModule() {
                return module;
            }

            @Override
            int speciesBits() {
                if (!module) throw new AssertionError("species asked without the module");
                return bits;
            }

            @Override
            Optional<String> flag(String name) {
                return Optional.ofNullable(flags.get(name));
            }

            @Override
            String vmInfo() {
                return vmInfo;
            }
        };
    }

    private static final KernelProvider.Jvm GOOD = jvm(true, 512, "mixed mode, sharing",
            Map.of("UseFMA", "true", "TieredCompilation", "true", "TieredStopAtLevel", "4", "UseAVX", "3"));
    /** What {@code -XX:UseAVX=0} does on x86: SSE's 128-bit species, FMA off. */
    private static final KernelProvider.Jvm NO_FMA = jvm(true, 128, "mixed mode",
            Map.of("UseFMA", "false", "UseAVX", "0"));

    @Test
    void vectorWhereEverythingIsThere() {
        KernelProvider.Choice c = KernelProvider.decide(null, null, GOOD);
        assertTrue(c.vector(), c.reason());
        assertTrue(c.reason().contains("512-bit"), c.reason());
    }

    @Test
    void unknownFlagsDoNotStopTheVectorKernels() {
        assertTrue(KernelProvider.decide(null, null, jvm(true, 256, "", Map.of())).vector());
    }

    @Test
    void eachMissingPieceFallsBackToScalarAndSaysWhich() {
        assertScalar(KernelProvider.decide(null, null, jvm(false, 0, "", Map.of())), "--add-modules jdk.incubator.vector");
        assertScalar(KernelProvider.decide(null, null, NO_FMA), "UseFMA is off, UseAVX=0");
        // -XX:UseAVX=1 on x86: a 128-bit species, with FMA.
        assertTrue(KernelProvider.decide(null, null, jvm(true, 128, "mixed mode", Map.of("UseFMA", "true"))).vector());
        assertScalar(KernelProvider.decide(null, null, jvm(true, 256, "mixed mode", Map.of(), "amd64",
                Optional.of(" sse2 avx fma4 "))), "no fma in /proc/cpuinfo");
        assertScalar(KernelProvider.decide(null, null, jvm(true, 512, "interpreted mode", Map.of())), "-Xint");
        assertScalar(KernelProvider.decide(null, null, jvm(true, 512, "mixed mode, emulated-client", Map.of())),
                "TieredStopAtLevel=1");
        assertScalar(KernelProvider.decide(null, null, jvm(true, 64, "mixed mode", Map.of())), "64 bits");
        // Where /proc/cpuinfo and the species do not tell, HotSpot's flags do.
        Optional<String> none = Optional.empty();
        assertScalar(KernelProvider.decide(null, null, jvm(true, 256, "mixed mode", Map.of("UseFMA", "false", "UseAVX", "1"),
                "amd64", none)), "UseFMA is off, UseAVX=1");
        assertScalar(KernelProvider.decide(null, null, jvm(true, 256, "mixed mode",
                Map.of("TieredCompilation", "true", "TieredStopAtLevel", "3"), "riscv64", none)), "TieredStopAtLevel=3");
        assertTrue(KernelProvider.decide(null, null, jvm(true, 256, "mixed mode", Map.of("UseFMA", "true"), "riscv64",
                none)).vector());
        // C2 alone (no tiers) is C2; AArch64 has FMA without asking.
        assertTrue(KernelProvider.decide(null, null, jvm(true, 512, "mixed mode",
                Map.of("TieredCompilation", "false", "TieredStopAtLevel", "1"), "riscv64", none)).vector());
        assertTrue(KernelProvider.decide(null, null, jvm(true, 128, "mixed mode", Map.of("UseFMA", "false"), "aarch64",
                none)).vector());
    }

    @Test
    void forcedScalarByEitherSwitch() {
        assertScalar(KernelProvider.decide("scalar", null, GOOD), "forced by -Dgooglenet.kernels=scalar");
        assertScalar(KernelProvider.decide(null, "false", GOOD), "forced by -Dgooglenet.vector=false");
        assertTrue(KernelProvider.decide(null, "true", GOOD).vector());
        // The new switch wins over the old one.
        assertTrue(KernelProvider.decide("vector", "false", GOOD).vector());
    }

    @Test
    void forcedVectorRunsWithoutFmaButNotWithoutTheModule() {
        KernelProvider.Choice c = KernelProvider.decide("Vector", null, NO_FMA);
        assertTrue(c.vector(), c.reason());
        assertTrue(c.reason().contains("forced by -Dgooglenet.kernels=Vector"), c.reason());
        assertScalar(KernelProvider.decide("vector", null, jvm(false, 0, "", Map.of())), "asks for vector");
    }

    @Test
    void anUnknownValueIsIgnoredAndNamed() {
        KernelProvider.Choice c = KernelProvider.decide("fast", null, GOOD);
        assertTrue(c.vector(), c.reason());
        assertTrue(c.reason().contains("ignored: -Dgooglenet.kernels=fast is neither scalar nor vector"), c.reason());
    }

    @Test
    void theBlockingFollowsTheChoice() {
        assertEquals(KernelProvider.choice().vector(), Blocking.VECTOR);
        assertEquals(Blocking.VECTOR, Blocking.describe().contains("lanes") && !Blocking.describe().startsWith("scalar"));
    }

    private static void assertScalar(KernelProvider.Choice c, String reasonPart) {
        assertFalse(c.vector(), c.reason());
        assertTrue(c.reason().contains(reasonPart), c.reason());
    }
}
