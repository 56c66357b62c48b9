package googlenet.kernels;

/**
 * The channel block {@code c} of the NCHWc layout, chosen once at start: the lane count of the preferred
 * float vector species (16 on AVX-512, 8 on AVX2) when {@code jdk.incubator.vector} is present, else 16
 * for the scalar kernels. {@code -Dgooglenet.vector=false} forces the scalar kernels.
 */
public final class Blocking {
    /** True when the Vector API kernels run; false when the scalar fallback does. */
    public static final boolean VECTOR = vectorAvailable();
    /** Channels per block: floats per pixel in one channel block. */
    public static final int LANES = VECTOR ? VectorLanes.preferred() : 16;

    private Blocking() {
    }

    /** "Species[float, 16, S_512_BIT]" when vectorized, else why the scalar kernels run. */
    public static String describe() {
        if (VECTOR) return VectorLanes.species() + ", " + LANES + " lanes";
        return "scalar fallback (" + (Boolean.parseBoolean(System.getProperty("googlenet.vector", "true"))
                ? "jdk.incubator.vector not present: run with --add-modules jdk.incubator.vector"
                : "-Dgooglenet.vector=false") + "), blocks of " + LANES + " channels";
    }

    /** Number of channel blocks holding {@code channels} channels (the last one zero-padded). */
    public static int blocks(int channels) {
        return (channels + LANES - 1) / LANES;
    }

    /** {@code channels} rounded up to a multiple of the block. */
    public static int padded(int channels) {
        return blocks(channels) * LANES;
    }

    private static boolean vectorAvailable() {
        if (!Boolean.parseBoolean(System.getProperty("googlenet.vector", "true"))) return false;
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** Only loaded when the incubator module is present, so that its absence cannot break class loading. */
    private static final class VectorLanes {
        static int preferred() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }

        static String species() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.toString();
        }
    }
}
