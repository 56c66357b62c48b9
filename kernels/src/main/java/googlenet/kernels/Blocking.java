package googlenet.kernels;

/**
 * The channel block {@code c} of the NCHWc layout, chosen once at start: the lane count of the preferred
 * float vector species (16 on AVX-512, 8 on AVX2) when the vector kernels run (see {@link KernelProvider}), else 16
 * for the scalar kernels.
 */
public final class Blocking {
    /** True when the Vector API kernels run; false when the scalar fallback does. */
    public static final boolean VECTOR = KernelProvider.choice().vector();
    /** Channels per block: floats per pixel in one channel block. */
    public static final int LANES = VECTOR ? VectorLanes.preferred() : 16;

    private Blocking() {
    }

    /** "Species[float, 16, S_512_BIT]" when vectorized, else why the scalar kernels run. */
    public static String describe() {
        if (VECTOR) return VectorLanes.species() + ", " + LANES + " lanes";
        return "scalar fallback (" + KernelProvider.choice().reason() + "), blocks of " + LANES + " channels";
    }

    /**
     * For a vector kernel, before it runs: throws unless its species (the preferred one, a constant of the kernel's
     * class), {@code speciesLanes} floats wide, is one channel block.
     */
    public static void requireLanes(int speciesLanes, String kernel) {
        if (speciesLanes != LANES) {
            throw new IllegalStateException(kernel + ": the vector species has " + speciesLanes
                    + " lanes, the channel block " + LANES);
        }
    }

    /** Number of channel blocks holding {@code channels} channels (the last one zero-padded). */
    public static int blocks(int channels) {
        return (channels + LANES - 1) / LANES;
    }

    /** {@code channels} rounded up to a multiple of the block. */
    public static int padded(int channels) {
        return blocks(channels) * LANES;
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
