package googlenet.engine;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Where a piece of work allocates, from the JVM's own allocation samples (JFR): for a failing zero-allocation check,
 * so that its message names the code that allocated, on whatever machine it failed.
 */
final class AllocationSites {
    private AllocationSites() {
    }

    /** Runs {@code work} under a recording and returns its heaviest allocation sites, one per line, heaviest first. */
    static String of(Runnable work, int top) {
        try {
            Path file = Files.createTempFile("allocation-sites", ".jfr");
            try (Recording recording = new Recording()) {
                recording.enable("jdk.ObjectAllocationSample").withStackTrace().with("throttle", "10000/s");
                recording.start();
                work.run();
                recording.stop();
                recording.dump(file);
                return summary(RecordingFile.readAllEvents(file), top);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String summary(List<RecordedEvent> events, int top) {
        Map<String, Long> weight = new HashMap<>();
        for (RecordedEvent e : events) {
            weight.merge(site(e), e.getLong("weight"), Long::sum);
        }
        if (weight.isEmpty()) return "  (no allocation samples)";
        return weight.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .map(s -> String.format("  %,d bytes: %s", s.getValue(), s.getKey()))
                .collect(Collectors.joining("\n"));
    }

    /** The allocated class, the allocating frame, and the first two frames of the project's own code. */
    private static String site(RecordedEvent e) {
        String type = e.getClass("objectClass").getName();
        if (e.getStackTrace() == null) return type + " (no stack)";
        List<RecordedFrame> frames = e.getStackTrace().getFrames();
        String first = frames.isEmpty() ? "?" : frame(frames.getFirst());
        String ours = frames.stream()
                .filter(f -> f.getMethod().getType().getName().startsWith("googlenet."))
                .limit(2)
                .map(AllocationSites::frame)
                .collect(Collectors.joining(" < "));
        return type + " at " + first + " in " + ours;
    }

    private static String frame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + ":" + f.getLineNumber()
                + " [" + f.getType() + "]";
    }
}
