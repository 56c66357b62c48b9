package googlenet.kernels;

/**
 * The task split of a kernel over blocked tensors: {@code images × parts × blocks} tasks, a part being a range of
 * output rows (or of pixels, row-major), numbered by image first, then part, then channel block. The worker pool
 * relies on that order: the calling thread takes tasks from the front and the workers from the back, so at two
 * threads one computes the top rows of every layer and the other the bottom, and each step mostly reads what its own
 * core wrote the step before. Every {@link FamilyKernel} (pooling, normalization, ReLU, linear, softmax, layout) has
 * its tasks decoded here, by the base class, and nowhere else (the linear layer's as image chunks × output groups); the
 * convolutions split their work by rules of their own (see their classes).
 */
public record SpatialTasks(int images, int parts, int blocks) {
    public SpatialTasks {
        if (images < 1 || parts < 1 || blocks < 1) {
            throw new IllegalArgumentException("tasks need at least one image, part and block, got " + images + " × "
                    + parts + " × " + blocks);
        }
        if ((long) images * parts * blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many tasks: " + images + " × " + parts + " × " + blocks);
        }
    }

    /** Images × parts × blocks. */
    public int count() {
        return images * parts * blocks;
    }

    /** The image of task {@code task}: the slowest index. */
    public int image(int task) {
        return task / blocks / parts;
    }

    /** The part (row or pixel range) of task {@code task}, within its image. */
    public int part(int task) {
        return task / blocks % parts;
    }

    /** The channel block of task {@code task}, within its part: the fastest index. */
    public int block(int task) {
        return task % blocks;
    }
}
