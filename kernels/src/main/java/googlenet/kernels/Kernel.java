package googlenet.kernels;

import java.lang.foreign.MemorySegment;

/**
 * One step of a plan, bound at build time to its tensors' places in the arena and to its packed
 * weights. Its work is split into {@link #tasks()} independent pieces (images × output-channel block
 * groups × row tiles, say) that write disjoint outputs and never split a reduction, so any thread may
 * run any task and the result is the same bits for every thread count. Immutable and thread-safe;
 * {@code run} allocates nothing.
 */
public interface Kernel {
    /** Number of independent tasks; fixed at build time, independent of the thread count. */
    int tasks();

    /** Runs task {@code task} (0 ≤ task < tasks()) on a session's arena. */
    void run(MemorySegment arena, int task);

    /**
     * Bytes of scratch memory a thread needs while it runs one of this kernel's tasks (the Winograd convolution's
     * transformed tiles); 0 for most kernels. A plan's runner gives each of its threads that much, once.
     */
    default long scratchBytes() {
        return 0;
    }

    /**
     * Runs task {@code task} with {@code scratch}: native memory of at least {@link #scratchBytes()} bytes, 64-byte
     * aligned, that no other thread uses meanwhile. Kernels without scratch run as {@link #run(MemorySegment, int)}.
     */
    default void run(MemorySegment arena, int task, MemorySegment scratch) {
        run(arena, task);
    }

    /** One line for plans and logs, e.g. "conv 3×3 vector 4×6 tile". */
    String describe();
}
