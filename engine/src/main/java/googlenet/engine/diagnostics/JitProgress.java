package googlenet.engine.diagnostics;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JIT is still at work, for warm-up to know when running more cannot help: the JVM's total compilation
 * time, sampled by each call; idle once it has not grown for the given time. Without compilation-time monitoring it
 * never reports idle, and warm-up runs to its deadline.
 */
final class JitProgress {
    private final CompilationMXBean bean = ManagementFactory.getCompilationMXBean();
    private final boolean supported = bean != null && bean.isCompilationTimeMonitoringSupported();
    private long lastTotal = -1;
    private long lastChange = System.nanoTime();

    /** Samples the JIT: true if it has compiled nothing for {@code nanos}. */
    boolean idleFor(long nanos) {
        if (!supported) return false;
        long total = bean.getTotalCompilationTime();
        long now = System.nanoTime();
        if (total != lastTotal) {
            lastTotal = total;
            lastChange = now;
            return false;
        }
        return now - lastChange >= nanos;
    }
}
