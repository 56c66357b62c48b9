package googlenet.kernels;

import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel of a family: a {@link FamilyKernel} that holds the species its loops use, {@link #S} (the
 * preferred one, a constant C2 folds), and checks that it is one channel block wide before it runs
 * ({@link Blocking#requireLanes}). Only loaded with its subclasses, which each family's factory reaches through a
 * nested class, so that the scalar kernels load without the incubator module.
 */
public abstract class FamilyVectorKernel<T extends FamilyKernel.Shape> extends FamilyKernel<T> {
    /** The preferred float species: one pixel of one channel block. */
    protected static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** The arena's byte order for vector loads and stores. */
    protected static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Described as "vector". */
    protected FamilyVectorKernel(T shape) {
        this(shape, "vector");
    }

    /** {@code variant}: "vector" and what the kernel adds, "vector 4 blocks × 4 images". */
    protected FamilyVectorKernel(T shape, String variant) {
        super(shape, variant);
        Blocking.requireLanes(S.length(), describe());
    }
}
