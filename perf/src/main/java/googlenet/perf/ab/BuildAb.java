package googlenet.perf.ab;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the engine in one JVM, each in its own class loader, run alternately: the comparison that survives this
 * host's noise (between processes, the same build's time moves by more than the changes being judged, with the vCPUs'
 * placement and the JIT's choices). Arguments: the two source trees (compiled: {@code graph}, {@code kernels},
 * {@code engine} {@code target/classes}), network, batch, threads, seconds of timed runs. Prints each build's median
 * and mean per round of 50 runs each, and the ratio of the medians over all runs. Run by {@code perf/build-ab}, which
 * runs it twice with the builds in either order (the one made second has come out ≈1 % faster in such runs).
 */
public final class BuildAb {
    private BuildAb() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: BuildAb TREE_A TREE_B NETWORK BATCH THREADS SECONDS");
            System.exit(2);
        }
        Path[] trees = {Path.of(args[0]), Path.of(args[1])};
        String network = args[2];
        int batch = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        URL runner = BuildAbNetwork.class.getProtectionDomain().getCodeSource().getLocation();
        Runnable[] builds = new Runnable[2];
        for (int v = 0; v < 2; v++) {
            List<URL> urls = new ArrayList<>();
            for (String module : new String[] {"engine", "kernels", "graph"}) {
                Path classes = trees[v].resolve(module).resolve("target/classes");
                if (!Files.isDirectory(classes)) throw new IllegalArgumentException(classes + " does not exist: compile that tree first");
                urls.add(classes.toUri().toURL());
            }
            for (String jar : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (Path.of(jar).getFileName().toString().startsWith("protobuf-java")) urls.add(Path.of(jar).toUri().toURL());
            }
            urls.add(runner);
            // The platform loader as parent: each build's engine and this runner load once per loader.
            ClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            builds[v] = (Runnable) loader.loadClass(BuildAbNetwork.class.getName())
                    .getConstructor(String.class, int.class, int.class).newInstance(network, batch, threads);
        }
        long warmEnd = System.nanoTime() + 5_000_000_000L;
        for (int i = 0; System.nanoTime() < warmEnd; i++) builds[i & 1].run();

        System.out.printf("%s, batch %d, %d thread(s): A = %s, B = %s (constructed in that order)%n", network, batch, threads,
                trees[0], trees[1]);
        System.out.printf("%6s %12s %12s %12s %12s %8s%n", "round", "A median", "A mean", "B median", "B mean", "B/A");
        List<long[]> all = new ArrayList<>(List.of(new long[0], new long[0]));
        int perRound = 50;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        for (int round = 1; System.nanoTime() < end; round++) {
            long[][] t = new long[2][perRound];
            for (int i = 0; i < 2 * perRound; i++) {
                long t0 = System.nanoTime();
                builds[i & 1].run();
                t[i & 1][i / 2] = System.nanoTime() - t0;
            }
            for (int v = 0; v < 2; v++) {
                long[] grown = Arrays.copyOf(all.get(v), all.get(v).length + perRound);
                System.arraycopy(t[v], 0, grown, all.get(v).length, perRound);
                all.set(v, grown);
            }
            System.out.printf("%6d %12.3f %12.3f %12.3f %12.3f %8.3f%n", round, median(t[0]) / 1e6, mean(t[0]) / 1e6,
                    median(t[1]) / 1e6, mean(t[1]) / 1e6, median(t[1]) / median(t[0]));
        }
        System.out.printf("all %d runs each: A median %.3f ms, B median %.3f ms, B/A %.3f%n", all.get(0).length,
                median(all.get(0)) / 1e6, median(all.get(1)) / 1e6, median(all.get(1)) / median(all.get(0)));
    }

    private static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static double mean(long[] t) {
        return Arrays.stream(t).average().orElse(Double.NaN);
    }
}
