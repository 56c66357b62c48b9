package googlenet.engine;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM's own count of committed native memory in Native Memory Tracking's "Other" category, where FFM arenas'
 * allocations land; empty when the JVM runs without {@code -XX:NativeMemoryTracking} (the engine's tests run with it).
 */
final class NmtOther {
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private NmtOther() {
    }

    static OptionalLong committedBytes() {
        try {
            String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Matcher m = OTHER.matcher(summary);
            return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
        } catch (Exception e) {
            return OptionalLong.empty();
        }
    }
}
