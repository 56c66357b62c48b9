package googlenet.kernels.layout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies floats between a caller's array and a native segment without touching the heap. The JDK's bulk
 * {@code MemorySegment.copy} from an array wraps it in a heap segment that escape analysis does not always
 * remove, and a Vector API loop boxes its vectors until C2 compiles it; a plain loop allocates nothing even
 * in the interpreter, and a session's run must allocate nothing.
 */
public final class HeapCopy {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private HeapCopy() {
    }

    public static void toSegment(float[] src, MemorySegment dst, long dstOffset, int count) {
        for (int i = 0; i < count; i++) dst.set(FLOAT, dstOffset + (long) i * Float.BYTES, src[i]);
    }

    public static void fromSegment(MemorySegment src, long srcOffset, float[] dst, int count) {
        for (int i = 0; i < count; i++) dst[i] = src.get(FLOAT, srcOffset + (long) i * Float.BYTES);
    }
}
