package googlenet.engine.diagnostics;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Measures how long a cache line takes to go from one core to another and back: two threads bounce one counter
 * (alone on its cache line). On a VM it tells how far apart the host has placed the vCPUs at this moment, and
 * multi-threaded latency follows it: about 60 ns when they share a cache domain, 330 ns and more when they do not
 * (measured on the project's 2-vCPU machines; see the README's Performance section). Meaningful on an otherwise idle
 * machine only: a third busy thread makes the two take turns. {@code googlenet info} prints it.
 */
public final class CoreRoundTrip {
    private CoreRoundTrip() {
    }

    /**
     * Nanoseconds per round trip of a cache line between two threads, averaged over {@code rounds} or as many as
     * fit in {@code maxNanos}.
     */
    public static double measure(int rounds, long maxNanos) {
        AtomicIntegerArray line = new AtomicIntegerArray(48); // slot 16: 64 bytes from the array's ends
        Thread other = Thread.ofPlatform().daemon().name("core-round-trip").start(() -> {
            for (int i = 0; ; i++) {
                for (int v; (v = line.get(16)) != 2 * i + 1; ) {
                    if (v < 0) return;
                    Thread.onSpinWait();
                }
                line.set(16, 2 * i + 2);
            }
        });
        long t0 = System.nanoTime();
        int done = 0;
        while (done < rounds) {
            line.set(16, 2 * done + 1);
            while (line.get(16) != 2 * done + 2) Thread.onSpinWait();
            done++;
            if ((done & 1023) == 0 && System.nanoTime() - t0 > maxNanos) break;
        }
        long ns = System.nanoTime() - t0;
        line.set(16, -1);
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) ns / done;
    }
}
