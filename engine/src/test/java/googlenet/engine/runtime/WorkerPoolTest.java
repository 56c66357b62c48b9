package googlenet.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {
    /** Counts how often each task ran and which thread ran it. */
    private static final class Recording implements Kernel {
        final AtomicIntegerArray runs;
        final AtomicReferenceArray<Thread> by;

        final AtomicReferenceArray<MemorySegment> scratchOf;

        Recording(int tasks) {
            runs = new AtomicIntegerArray(tasks);
            by = new AtomicReferenceArray<>(tasks);
            scratchOf = new AtomicReferenceArray<>(tasks);
        }

        @Override
        public int tasks() {
            return runs.length();
        }


        @Override
        public void run(MemorySegment arena, int task, MemorySegment scratch) {
            scratchOf.set(task, scratch);
            run(arena, task);
        }

        @Override
        public void run(MemorySegment arena, int task) {
            runs.incrementAndGet(task);
            by.set(task, Thread.currentThread());
            if (task % 3 == 0) Thread.onSpinWait();
        }

        @Override
        public String describe() {
            return "recording " + tasks() + " tasks";
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void everyTaskRunsOnceAndTheCallerRunsAPrefix(int threads) {
        try (WorkerPool pool = new WorkerPool(threads, "test")) {
            assertTrue(pool.acquire());
            try {
                for (int round = 0; round < 3; round++) {
                    for (int n = 1; n <= 130; n++) {
                        Recording k = new Recording(n);
                        MemorySegment[] scratch = new MemorySegment[threads];
                        for (int i = 0; i < threads; i++) scratch[i] = MemorySegment.ofArray(new byte[i + 1]);
                        pool.run(k, MemorySegment.NULL, scratch, true);
                        // Each thread has its own scratch: the caller the first, never one another thread uses.
                        java.util.Map<Thread, MemorySegment> slotOf = new java.util.HashMap<>();
                        for (int t = 0; t < n; t++) {
                            MemorySegment first = slotOf.putIfAbsent(k.by.get(t), k.scratchOf.get(t));
                            assertTrue(first == null || first == k.scratchOf.get(t), "task " + t + ": a thread changed scratch");
                            if (k.by.get(t) == Thread.currentThread()) assertTrue(k.scratchOf.get(t) == scratch[0]);
                        }
                        java.util.Set<MemorySegment> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                        distinct.addAll(slotOf.values());
                        assertEquals(slotOf.size(), distinct.size(), "two threads shared scratch");
                        int callerTasks = 0;
                        for (int t = 0; t < n; t++) {
                            assertEquals(1, k.runs.get(t), "task " + t + " of " + n + " ran " + k.runs.get(t) + " times");
                            if (k.by.get(t) == Thread.currentThread()) callerTasks++;
                        }
                        // Claims from the front are the caller's, from the back the workers': the caller ran tasks
                        // 0..m-1 and nothing after (so it keeps computing the same part of every layer).
                        for (int t = 0; t < n; t++) {
                            assertEquals(t < callerTasks, k.by.get(t) == Thread.currentThread(),
                                    "task " + t + " of " + n + ": the caller ran " + callerTasks + " tasks, not a prefix");
                        }
                    }
                }
            } finally {
                pool.release();
            }
        }
    }
}
