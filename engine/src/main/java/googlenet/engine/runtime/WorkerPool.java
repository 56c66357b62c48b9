package googlenet.engine.runtime;

import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The model's threads. A step's tasks are handed out from both ends of its task list: the calling thread takes them
 * from the front, the {@code threads - 1} workers from the back, until the two meet; which thread runs a task never
 * changes what it computes. The spatial kernels (conv, pooling, LRN, layout) order their tasks by image and rows
 * first (decoded in one place, {@code googlenet.kernels.SpatialTasks}, but for conv's own split), so at two threads the caller keeps computing the top of every layer and the worker the bottom: a step mostly
 * reads what its own core wrote the step before (in its L2), where with one shared counter about half of each step's
 * input came from the other core. (Exceptions, where reading the other core's rows costs less than what they save: a
 * convolution whose weights outweigh its input image goes by output group first, and a Winograd layer whose tiles do
 * not split evenly by rows by output part.) Workers spin
 * briefly after a step before parking, so that the next step of a batch-1 run does not pay a wake-up.
 * One run at a time uses the workers; a session that finds them busy runs its step on its own thread.
 * Handing out a step allocates nothing.
 */
public final class WorkerPool implements AutoCloseable {
    private static final long SPIN_NANOS = 200_000;
    /**
     * How long the caller spins for the workers' last tasks before parking: long against a steady step's imbalance
     * (tens of microseconds), short against a task that runs uncompiled in a one-shot run (milliseconds).
     */
    private static final long CALLER_SPIN_NANOS = 1_000_000;

    private final Thread[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    /** The step's unclaimed tasks: the front one in the low 32 bits, one past the back one in the high 32 bits. */
    private final AtomicLong ends = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();
    private volatile Kernel kernel;
    private volatile MemorySegment arena;
    private volatile MemorySegment[] scratch;
    private volatile int tasks;
    private volatile long generation;
    private volatile boolean closed;
    /** The thread parked in {@link #awaitWorkers}, or null. */
    private volatile Thread waiter;

    public WorkerPool(int threads, String name) {
        if (threads < 1) throw new IllegalArgumentException("threads must be ≥ 1, got " + threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int slot = i + 1;
            workers[i] = Thread.ofPlatform().daemon().name(name + "-worker-" + slot).unstarted(() -> work(slot));
            workers[i].start();
        }
    }

    public int threads() {
        return workers.length + 1;
    }

    public Thread[] workerThreads() {
        return workers.clone();
    }

    /** Takes the workers for a whole run, or returns false when another run has them. */
    boolean acquire() {
        return workers.length > 0 && lock.tryLock();
    }

    void release() {
        lock.unlock();
    }

    /**
     * Runs every task of the kernel; with the workers when this thread holds them. {@code scratch} has one segment per
     * thread ({@link #threads()}, each at least the kernel's {@link Kernel#scratchBytes()}): this thread uses the
     * first, worker i the (i + 1)-th.
     */
    void run(Kernel k, MemorySegment segment, MemorySegment[] scratch, boolean withWorkers) {
        int n = k.tasks();
        if (!withWorkers || n == 1) {
            for (int t = 0; t < n; t++) k.run(segment, t, scratch[0]);
            return;
        }
        kernel = k;
        arena = segment;
        this.scratch = scratch;
        tasks = n;
        ends.set((long) n << 32);
        running.set(workers.length);
        generation++;
        for (Thread w : workers) LockSupport.unpark(w);
        for (int size = nextClaim(n); ; ) { // claims tasks at the front
            long e = ends.getAndAdd(size);
            int front = (int) e;
            int back = (int) (e >>> 32);
            if (front >= back) break;
            int end = Math.min(front + size, back);
            for (int t = front; t < end; t++) k.run(segment, t, scratch[0]);
            size = nextClaim(back - end);
        }
        awaitWorkers();
        kernel = null;
        arena = null;
        this.scratch = null;
    }

    /**
     * Waits for the workers' last tasks: spinning up to a millisecond, then parked until the last worker done wakes
     * it. A thread that spun for as long as a task runs would take a core from the JIT's compiler threads in a one-shot
     * run, whose tasks run uncompiled for their first hundreds of milliseconds.
     */
    private void awaitWorkers() {
        long deadline = System.nanoTime() + CALLER_SPIN_NANOS;
        while (running.get() != 0) {
            if (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            } else {
                waiter = Thread.currentThread();
                while (running.get() != 0) LockSupport.park(this); // a worker reads waiter after its decrement
                waiter = null;
            }
        }
    }

    /**
     * Claims shrink as the step runs out (guided scheduling): a claim takes 1/(2·threads) of what was left, at least
     * one task. Every claim is an atomic update of a cache line both threads write, which costs a round trip between
     * the cores; one task at a time that was about 60 updates per conv, and on a host that puts the two vCPUs far
     * apart (a 350 ns round trip instead of 60, measured) that showed. The last claims are single tasks, so the
     * threads still finish together.
     */
    private int nextClaim(int left) {
        return Math.max(1, left / (2 * threads()));
    }

    private void work(int slot) {
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
            MemorySegment mine = scratch[slot];
            int tasks = this.tasks;
            for (int size = nextClaim(tasks); ; ) { // claims tasks at the back
                long e = ends.getAndAdd(-((long) size << 32));
                int front = (int) e;
                int back = (int) (e >>> 32);
                if (front >= back) break;
                int start = Math.max(front, back - size);
                for (int t = start; t < back; t++) k.run(segment, t, mine);
                size = nextClaim(start - front);
            }
            if (running.decrementAndGet() == 0) {
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
