package googlenet.engine;

import googlenet.engine.diagnostics.InternedConstants;
import googlenet.graph.Shape;
import googlenet.kernels.Blocking;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The service's promise: after {@link Model#warmUp}, no run allocates on the Java heap, counted over the caller and
 * every worker thread, from the first run of every session: one made before the warm-up and one made after it.
 *
 * <p>It runs in a JVM of its own (see engine/pom.xml), as a service would: one model loaded, warmed up and run. In a
 * JVM that first ran much other work (many models, memory-mapped files, heap segments), C2 has compiled the conv
 * register tiles into code that allocates on every call, in two ways now fixed (docs/performance.md, "Zero allocation
 * after warm-up"); warm-up reports itself not steady if it happens. This test checks the scenario the promise is made
 * for; it does not claim more.
 */
class ZeroAllocationTest {
    /** Runs per session; C2 compiled the last methods of a run 250–660 runs after warm-up before they were interned. */
    private static final int RUNS = 300;

    /** Batch 2 on two threads runs as two parts, each thread the whole plan (see Model#newSession). */
    @ParameterizedTest(name = "{0} thread(s), batch {1}")
    @CsvSource({"1,1", "2,1", "2,2"})
    void noRunAllocatesOnTheHeapAfterWarmUp(int threads, int batch) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        // The counting bean's own code reaches C2 during the runs too; its constants interned, that allocates nothing.
        List<String> beanConstants = InternedConstants.reachableFrom(List.of(bean.getClass(), bean.getClass().getSuperclass()));
        try (Model model = Model.builtin("d2l", 0, Options.threads(threads));
             Session before = model.newSession(batch)) {
            assertEquals(threads == 2 && batch == 2 ? 2 : 1, before.parts());
            float[] x = input(before.inputShape());
            float[] y = new float[1000 * batch];
            WarmUpReport warmUp = model.warmUp(batch);
            try (Session after = model.newSession(batch)) {
                List<Thread> threadList = new ArrayList<>(model.workerThreads());
                threadList.add(Thread.currentThread());
                long[] ids = threadList.stream().mapToLong(Thread::threadId).toArray();
                long[] bytes = new long[2 * RUNS];
                for (int r = 0; r < bytes.length; r++) {
                    Session s = r % 2 == 0 ? before : after;
                    long start = allocated(bean, ids);
                    s.run(x, y);
                    bytes[r] = allocated(bean, ids) - start;
                }
                List<String> allocating = new ArrayList<>();
                for (int r = 0; r < bytes.length; r++) {
                    if (bytes[r] != 0) allocating.add("run " + r / 2 + " of the session made " + (r % 2 == 0 ? "before" : "after") + " warm-up: " + bytes[r] + " B");
                }
                if (!warmUp.steady() || !allocating.isEmpty()) {
                    String sites = AllocationSites.of(() -> { for (int i = 0; i < 10; i++) after.run(x, y); }, 12);
                    fail(warmUp + "\n" + beanConstants.size() + " constants of the counting bean interned"
                            + "\nruns that allocated (over all threads): " + allocating + "\nkernels: " + Blocking.describe()
                            + "\nwhere 10 more runs allocated (sampled; small allocations may not show):\n" + sites);
                }
            }
        }
    }

    private static float[] input(Shape s) {
        float[] x = new float[(int) s.elements()];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.0137) * 1.5f;
        return x;
    }

    /** Per-thread queries: the array-valued one would allocate its result inside the measured window. */
    private static long allocated(com.sun.management.ThreadMXBean bean, long[] ids) {
        long s = 0;
        for (long id : ids) s += bean.getThreadAllocatedBytes(id);
        return s;
    }
}
