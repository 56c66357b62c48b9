package googlenet.cli;

import googlenet.engine.diagnostics.CoreRoundTrip;
import googlenet.kernels.Blocking;
import googlenet.kernels.FmaPeak;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** What this JVM and machine give the engine. */
@Command(name = "info", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Print the JDK, the vector species in use (or that the scalar fallback is active), the FMA peak and the default thread count.")
final class InfoCommand implements Runnable {
    @Option(names = "--json", description = "Print a JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        int threads = Runtime.getRuntime().availableProcessors();
        double one = FmaPeak.measure(1, 300);
        double all = threads > 1 ? FmaPeak.measure(threads, 300) : one;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("jdk", Runtime.version().toString());
        m.put("vendor", System.getProperty("java.vendor"));
        m.put("javaHome", System.getProperty("java.home"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("vector", Blocking.VECTOR);
        m.put("species", Blocking.describe());
        m.put("channelBlock", Blocking.LANES);
        m.put("fmaPeakGflops1Thread", Math.round(one * 10) / 10.0);
        m.put("fmaPeakGflopsAllThreads", Math.round(all * 10) / 10.0);
        m.put("defaultThreads", threads);
        double roundTrip = threads > 1 ? CoreRoundTrip.measure(1_000_000, 300_000_000L) : Double.NaN;
        if (threads > 1) m.put("coreRoundTripNs", Math.round(roundTrip));
        if (json) {
            out.println(Json.write(m));
            return;
        }
        out.printf("JDK:              %s (%s, %s)%n", m.get("jdk"), m.get("vendor"), m.get("javaHome"));
        out.printf("OS:               %s%n", m.get("os"));
        out.printf("kernels:          %s%n", Blocking.VECTOR ? "Vector API, " + Blocking.describe() : Blocking.describe());
        out.printf("FMA peak:         %.1f GFLOP/s on 1 thread, %.1f on %d threads%s%n", one, all, threads,
                Blocking.VECTOR ? "" : " (no Vector API: not measured)");
        out.printf("default threads:  %d%n", threads);
        if (threads > 1) {
            out.printf("core round trip:  %.0f ns between two threads%s%n", roundTrip, roundTrip >= 250
                    ? " (the cores are far apart now, e.g. a VM's vCPUs placed apart by the host: multi-threaded runs are slower)"
                    : "");
        }
    }
}
