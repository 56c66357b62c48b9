package googlenet.engine;

import java.time.Duration;
import java.util.List;

/**
 * What {@link Model#warmUp} did: how long it took, how many step executions, and the steps whose last execution in a
 * whole run still allocated on the heap (empty when it reached steady state: three whole runs in a row that allocate
 * nothing on any of the model's threads).
 *
 * @param stillAllocating one line per step, "step i (kernel): N bytes", in plan order
 */
public record WarmUpReport(int batch, Duration took, long stepExecutions, List<String> stillAllocating) {
    public WarmUpReport {
        stillAllocating = List.copyOf(stillAllocating);
    }

    /** Whether warm-up ended with runs that allocate nothing. */
    public boolean steady() {
        return stillAllocating.isEmpty();
    }

    @Override
    public String toString() {
        String head = "warm-up at batch " + batch + ": " + took.toMillis() + " ms, " + stepExecutions + " step executions";
        return steady() ? head + ", steady (runs allocate nothing)"
                : head + ", stopped before steady state; still allocating: " + String.join("; ", stillAllocating);
    }
}
