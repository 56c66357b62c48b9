package googlenet.kernels.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies floats between a caller's array and a native segment without touching the heap: the JDK's bulk copy between
 * an array and a segment ({@code MemorySegment.copy(Object, int, MemorySegment, ValueLayout, long, int)} and back),
 * which wraps nothing (the variant taking two segments needs the array wrapped in a heap segment, which escape
 * analysis does not always remove). An element loop did this before: C2 compiled it with loop predicates from the
 * warm-up's profile that the first real runs failed, 14–15 deoptimizations and recompilations after warm-up.
 */
public final class HeapCopy {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private HeapCopy() {
    }

    public static void toSegment(float[] src, int srcIndex, MemorySegment dst, long dstOffset, int count) {
        MemorySegment.copy(src, srcIndex, dst, FLOAT, dstOffset, count);
    }

    public static void fromSegment(MemorySegment src, long srcOffset, float[] dst, int dstIndex, int count) {
        MemorySegment.copy(src, FLOAT, srcOffset, dst, dstIndex, count);
    }
}
