package googlenet.kernels;

import java.util.List;

/**
 * Loads every {@code MemorySegment} implementation class of the JDK before any kernel is compiled.
 *
 * <p>Why: C2 compiles a kernel's {@code asSlice} and vector loads against the segment classes loaded at that moment
 * (class-hierarchy analysis: "{@code NativeMemorySegmentImpl.dup} has one implementation"). Memory-mapping a file
 * later — a model's weights, a safetensors file — loads {@code MappedMemorySegmentImpl}, a subclass, which throws
 * away the compiled kernels; their recompiles, in this JDK (25), sometimes leave a vector operation of the epilogue
 * unintrinsified, so every call boxes vectors on the heap, for good (seen in the CLI's tests: 60 s of warm-up that
 * never reached zero allocation). With the whole hierarchy present from the start, the first compile is final.
 * Loading is all it takes (no initialization); a JDK without one of these names loses nothing.
 */
final class SegmentClasses {
    private static final List<String> NAMES = List.of(
            "jdk.internal.foreign.NativeMemorySegmentImpl",
            "jdk.internal.foreign.MappedMemorySegmentImpl",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfByte",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfChar",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfShort",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfInt",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfLong",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfFloat",
            "jdk.internal.foreign.HeapMemorySegmentImpl$OfDouble");

    private SegmentClasses() {
    }

    static void loadAll() {
        for (String name : NAMES) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException | LinkageError absent) {
                // Another JDK's internals: nothing to load ahead.
            }
        }
    }
}
