package googlenet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The CLI in a child JVM, for what only a process can show: signals, shutdown hooks, exit codes. */
final class ChildCli implements AutoCloseable {
    private final Process process;
    private final BufferedReader err;
    private final StringBuilder errSoFar = new StringBuilder();

    /** Starts {@code googlenet args...} with stdout going to {@code out}. */
    ChildCli(Path out, String... args) throws IOException {
        String modulePath = System.getProperty("jdk.module.path");
        assumeTrue(modulePath != null, "runs on the module path, as Surefire runs this module's tests");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=googlenet.engine,googlenet.kernels", "--sun-misc-unsafe-memory-access=allow",
                "-p", modulePath, "-m", "googlenet.cli/googlenet.cli.Main"));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).redirectOutput(out.toFile()).start();
        err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    /** Reads stderr up to and including the first line starting with {@code prefix}; fails if the process ends first. */
    String awaitErrLine(String prefix) throws IOException {
        for (String line; (line = err.readLine()) != null; ) {
            errSoFar.append(line).append('\n');
            if (line.startsWith(prefix)) return line;
        }
        throw new AssertionError("stderr ended without a line starting with '" + prefix + "':\n" + errSoFar);
    }

    /**
     * Sends SIGINT (what Ctrl-C sends) and waits for the process to end. Skips the test where this process ignores
     * SIGINT (a shell without job control starts background commands so, e.g. {@code .ci/run &}): the child inherits
     * that, and a JVM started with SIGINT ignored leaves it ignored, as {@code nohup} expects.
     */
    void interruptAndWait() throws IOException, InterruptedException {
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process and so in the child: Ctrl-C cannot be tested here");
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process did not stop on SIGINT");
    }

    /** Whether SIGINT (2) is ignored here, from Linux's {@code /proc/self/status}; false where that cannot be read. */
    private static boolean sigintIgnored() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
