package googlenet.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The engine's account of the native memory it holds: the packed weights of open {@link Model}s and the activation
 * arenas of open {@link Session}s, counted when allocated and when freed. For monitoring a service and for tests
 * that check a create/close cycle gives back what it took ({@code liveBytes()} returns to where it was).
 */
public final class NativeMemory {
    private static final AtomicLong ALLOCATED = new AtomicLong();
    private static final AtomicLong FREED = new AtomicLong();

    private NativeMemory() {
    }

    /** Bytes allocated since the JVM started. */
    public static long allocatedBytes() {
        return ALLOCATED.get();
    }

    /** Bytes freed since the JVM started. */
    public static long freedBytes() {
        return FREED.get();
    }

    /** Bytes held now: allocated minus freed. */
    public static long liveBytes() {
        return ALLOCATED.get() - FREED.get();
    }

    static void allocated(long bytes) {
        ALLOCATED.addAndGet(bytes);
    }

    static void freed(long bytes) {
        FREED.addAndGet(bytes);
    }
}
