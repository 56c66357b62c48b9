package googlenet.kernels;

/**
 * One kernel of a family (its scalar kernel or its vector one, both built by the family's factory from one checked
 * {@link Shape}), holding what the two share so that each holds only its run: the shape, the task count it fixes, and
 * the description, the family's words followed by the variant: "maxpool 3×3 /2×2 pad [0,0,1,1] 64×112×112 → 56×56
 * +relu vector".
 */
public abstract class FamilyKernel<S extends FamilyKernel.Shape> implements Kernel {
    /**
     * What a family's factory checks and both its kernels read: the tensors, the parameters, the task split
     * ({@link SpatialTasks} for the spatial kernels) and the words that describe them.
     */
    public interface Shape {
        /** The number of tasks, the same for both kernels. */
        int taskCount();

        /** The family and its shape, without the variant. */
        String describe();
    }

    /** The family's shape, which the factory checked. */
    protected final S shape;
    /**
     * The shape's task count, read once: {@link #tasks()} returns a field, a trivial getter that is compiled at once. As
     * an interface call shared by every kernel, it reached C2 some 300 runs after warm-up, and that run allocated
     * (ZeroAllocationTest).
     */
    private final int tasks;
    private final String description;

    /** A scalar kernel, or a vector kernel that checks its species itself; {@code variant}: "scalar", "vector…". */
    protected FamilyKernel(S shape, String variant) {
        this.shape = shape;
        this.tasks = shape.taskCount();
        this.description = shape.describe() + " " + variant;
    }

    /**
     * A vector kernel whose species (a constant of its class) is {@code speciesLanes} floats wide: throws unless that
     * is one channel block ({@link Blocking#requireLanes}).
     */
    protected FamilyKernel(S shape, String variant, int speciesLanes) {
        this(shape, variant);
        Blocking.requireLanes(speciesLanes, description);
    }

    @Override
    public final int tasks() {
        return tasks;
    }

    @Override
    public final String describe() {
        return description;
    }
}
