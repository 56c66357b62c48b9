package googlenet.engine;

import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The model's threads. A step's tasks are handed out through one counter to the calling thread and
 * {@code threads - 1} workers; which thread runs a task never changes what it computes. Workers spin
 * briefly after a step before parking, so that the next step of a batch-1 run does not pay a wake-up.
 * One run at a time uses the workers; a session that finds them busy runs its step on its own thread.
 * Handing out a step allocates nothing.
 */
final class WorkerPool implements AutoCloseable {
    private static final long SPIN_NANOS = 200_000;

    private final Thread[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Kernel kernel;
    private volatile MemorySegment arena;
    private volatile int tasks;
    private volatile long generation;
    private volatile boolean closed;

    WorkerPool(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = Thread.ofPlatform().daemon().name(name + "-worker-" + (i + 1)).unstarted(this::work);
            workers[i].start();
        }
    }

    int threads() {
        return workers.length + 1;
    }

    Thread[] workerThreads() {
        return workers.clone();
    }

    /** Takes the workers for a whole run, or returns false when another run has them. */
    boolean acquire() {
        return workers.length > 0 && lock.tryLock();
    }

    void release() {
        lock.unlock();
    }

    /** Runs every task of the kernel; with the workers when this thread holds them. */
    void run(Kernel k, MemorySegment segment, boolean withWorkers) {
        int n = k.tasks();
        if (!withWorkers || n == 1) {
            for (int t = 0; t < n; t++) k.run(segment, t);
            return;
        }
        kernel = k;
        arena = segment;
        tasks = n;
        next.set(0);
        running.set(workers.length);
        generation++;
        for (Thread w : workers) LockSupport.unpark(w);
        for (int t; (t = next.getAndIncrement()) < n; ) k.run(segment, t);
        while (running.get() != 0) Thread.onSpinWait();
        kernel = null;
        arena = null;
    }

    private void work() {
        long seen = 0;
        while (!closed) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (generation == seen && !closed) {
                if (System.nanoTime() < deadline) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000_000);
            }
            if (closed) return;
            seen = generation;
            Kernel k = kernel;
            MemorySegment segment = arena;
            int n = tasks;
            for (int t; (t = next.getAndIncrement()) < n; ) k.run(segment, t);
            running.decrementAndGet();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
