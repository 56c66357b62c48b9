package googlenet.perf;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Measures how long a cache line takes to go from one core to another and back: two threads bounce one counter
 * (alone on its cache line) two million times. On a VM it tells how far apart the host placed the vCPUs this moment;
 * multi-threaded latency follows it (see the README's Performance section). Meaningful on an otherwise idle machine
 * only (a third busy thread makes the two take turns). Usage: {@code CoreRoundTrip [rounds]}.
 */
public final class CoreRoundTrip {
    private CoreRoundTrip() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        System.out.printf("core-to-core round trip: %.0f ns%n", measure(rounds));
    }

    /** Nanoseconds per round trip of a cache line between two threads, averaged over {@code rounds}. */
    public static double measure(int rounds) {
        AtomicIntegerArray line = new AtomicIntegerArray(48); // slot 16: 64 bytes from the array's ends
        Thread other = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                while (line.get(16) != 2 * i + 1) Thread.onSpinWait();
                line.set(16, 2 * i + 2);
            }
        });
        other.start();
        long t0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            line.set(16, 2 * i + 1);
            while (line.get(16) != 2 * i + 2) Thread.onSpinWait();
        }
        long ns = System.nanoTime() - t0;
        try {
            other.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (double) ns / rounds;
    }
}
