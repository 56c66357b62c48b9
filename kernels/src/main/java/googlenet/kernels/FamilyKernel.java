package googlenet.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One kernel of a family (its scalar kernel or its vector one, both built by the family's factory from one checked
 * {@link Shape}), holding what the two share so that each holds only its run: the shape, the task split it fixes, and
 * the description, the family's words followed by the variant: "maxpool 3×3 /2×2 pad [0,0,1,1] 64×112×112 → 56×56
 * +relu vector". It decodes every task here, in the order the worker pool relies on ({@link SpatialTasks}: image, then
 * part, then block), and runs it as {@link #run(MemorySegment, Shape, int, int, int)}: a kernel never sees a task's
 * number.
 */
public abstract class FamilyKernel<S extends FamilyKernel.Shape> implements Kernel {
    /**
     * What a family's factory checks and both its kernels read: the tensors, the parameters, the task split and the
     * words that describe them.
     */
    public interface Shape {
        /**
         * The task split, the same for both kernels: images (or image chunks) × parts (row or pixel ranges) × blocks
         * (channel blocks, or output groups).
         */
        SpatialTasks tasks();

        /** The family and its shape, without the variant. */
        String describe();
    }

    /** How the kernels read and write the arena's floats: float32, native order, unaligned. */
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** The family's shape, which the factory checked. */
    protected final S shape;
    private final SpatialTasks split;
    /**
     * The task count, read once: {@link #tasks()} returns a field, a trivial getter that is compiled at once. As an
     * interface call shared by every kernel, it reached C2 some 300 runs after warm-up, and that run allocated
     * (ZeroAllocationTest).
     */
    private final int tasks;
    private final String description;

    /** {@code variant}: "scalar", or "vector…" (from {@link FamilyVectorKernel}, which checks the species). */
    protected FamilyKernel(S shape, String variant) {
        this.shape = shape;
        this.split = shape.tasks();
        this.tasks = split.count();
        this.description = shape.describe() + " " + variant;
    }

    @Override
    public final int tasks() {
        return tasks;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final void run(MemorySegment arena, int task) {
        SpatialTasks t = split;
        run(arena, shape, t.image(task), t.part(task), t.block(task));
    }

    /** Runs the task of image (or image chunk) {@code n}, part {@code part} and block {@code block} of {@code shape}. */
    protected abstract void run(MemorySegment arena, S shape, int n, int part, int block);
}
