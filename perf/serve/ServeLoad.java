import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load client of {@code googlenet serve} (run by {@code perf/serve-load}, as a single-file program):
 * {@code URL PID IMAGE SECONDS CONCURRENCY WARMUP_SECONDS [MAX_REQUESTS]}. Virtual threads POST the image in a loop,
 * first for the warm-up (not counted), then for the measured time or count; prints throughput, client latency
 * percentiles of the 200s, the count of 503s (expected when the queue is full) and of anything else (errors), and the
 * server's memory at the start and end of the measured phase: RSS and peak RSS from /proc/PID/status, heap after a
 * full GC (jcmd GC.run, then /health's heapUsedBytes) and NMT's committed total (jcmd VM.native_memory summary, when
 * the server runs with -XX:NativeMemoryTracking=summary). Memory is also sampled every 10 s during the run.
 */
public final class ServeLoad {
    private static final Pattern HEAP = Pattern.compile("\"heapUsedBytes\": (\\d+)");
    private static final Pattern SERVED = Pattern.compile("\"requestsServed\": (\\d+)");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");

    record Memory(long rssKb, long peakRssKb, long heapAfterGc, long nmtCommittedKb) {
        String row() {
            return String.format("RSS %,d KB (peak %,d KB), heap after GC %,d KB, NMT committed %s",
                    rssKb, peakRssKb, heapAfterGc / 1024, nmtCommittedKb < 0 ? "n/a" : String.format("%,d KB", nmtCommittedKb));
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    private final String url;
    private final long pid;
    private final byte[] image;
    private final Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    ServeLoad(String url, long pid, byte[] image) {
        this.url = url;
        this.pid = pid;
        this.image = image;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ServeLoad URL PID IMAGE SECONDS CONCURRENCY WARMUP_SECONDS [MAX_REQUESTS]");
            System.exit(2);
        }
        ServeLoad load = new ServeLoad(args[0], Long.parseLong(args[1]), Files.readAllBytes(Path.of(args[2])));
        int seconds = Integer.parseInt(args[3]);
        int concurrency = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        long maxRequests = args.length > 6 ? Long.parseLong(args[6]) : Long.MAX_VALUE;
        System.out.printf("serve-load %s: %s, image %s (%,d bytes), %d s at concurrency %d after %d s warm-up, %d cores%n",
                LocalDateTime.now().withNano(0), args[0], args[2], load.image.length, seconds, concurrency, warmup,
                Runtime.getRuntime().availableProcessors());
        System.out.println("idle:     " + load.memory(false).row());
        if (warmup > 0) load.run(warmup, concurrency, Long.MAX_VALUE, false);
        Memory start = load.memory(true);
        System.out.println("start:    " + start.row());
        Result r = load.run(seconds, concurrency, maxRequests, true);
        Memory end = load.memory(true);
        System.out.println("end:      " + end.row());
        r.print();
        System.out.printf("memory end − start: RSS %+,d KB, heap after GC %+,d KB, NMT committed %s%n", end.rssKb - start.rssKb,
                (end.heapAfterGc - start.heapAfterGc) / 1024, start.nmtCommittedKb < 0 ? "n/a" : String.format("%+,d KB", end.nmtCommittedKb - start.nmtCommittedKb));
        System.exit(r.errors.sum() == 0 ? 0 : 1);
    }

    static final class Result {
        final LongAdder ok = new LongAdder();
        final LongAdder busy = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        final List<long[]> latencies = new ArrayList<>();
        long nanos;

        void error(String kind) {
            errors.increment();
            errorKinds.computeIfAbsent(kind, k -> new LongAdder()).increment();
        }

        void print() {
            long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
            double s = nanos / 1e9;
            System.out.printf("requests: %,d ok (200), %,d busy (503), %,d errors %s in %.1f s%n", ok.sum(), busy.sum(), errors.sum(),
                    new TreeMap<>(errorKinds), s);
            System.out.printf("throughput: %.1f classified/s%n", ok.sum() / s);
            if (all.length > 0) {
                System.out.printf("latency of 200s (client, ms): p50 %.1f, p90 %.1f, p99 %.1f, max %.1f%n", pct(all, 0.50), pct(all, 0.90),
                        pct(all, 0.99), all[all.length - 1] / 1e6);
            }
        }

        private static double pct(long[] sorted, double p) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }

    Result run(int seconds, int concurrency, long maxRequests, boolean report) throws InterruptedException {
        Result r = new Result();
        AtomicLong issued = new AtomicLong();
        long t0 = System.nanoTime();
        long deadline = t0 + seconds * 1_000_000_000L;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/classify")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/octet-stream").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            long[] mine = new long[1 << 16];
            r.latencies.add(mine);
            threads.add(Thread.ofVirtual().start(() -> {
                int n = 0;
                while (System.nanoTime() < deadline && issued.incrementAndGet() <= maxRequests) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - start;
                        switch (response.statusCode()) {
                            case 200 -> {
                                if (!response.body().startsWith("{\"top\": [{\"index\": ")) r.error("200 without a top list");
                                else {
                                    r.ok.increment();
                                    if (n < mine.length) mine[n++] = took;
                                }
                            }
                            case 503 -> {
                                r.busy.increment();
                                Thread.sleep(20);
                            }
                            default -> r.error("HTTP " + response.statusCode());
                        }
                    } catch (IOException e) {
                        r.error(e.getClass().getSimpleName());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        if (report) {
            Thread sampler = Thread.ofVirtual().start(() -> {
                try {
                    for (int tick = 10; ; tick += 10) {
                        Thread.sleep(Duration.ofNanos(Math.max(0, t0 + tick * 1_000_000_000L - System.nanoTime())));
                        if (System.nanoTime() >= deadline) return;
                        Memory m = memory(false);
                        System.out.printf("  %4d s: %,d ok, %,d busy, %,d errors; RSS %,d KB, heap %,d KB (not after GC)%n", tick, r.ok.sum(),
                                r.busy.sum(), r.errors.sum(), m.rssKb, m.heapAfterGc / 1024);
                    }
                } catch (InterruptedException ignored) {
                    // the run ended
                } catch (RuntimeException e) {
                    System.out.println("  sampling failed: " + e);
                }
            });
            for (Thread t : threads) t.join();
            sampler.interrupt();
        } else {
            for (Thread t : threads) t.join();
        }
        r.nanos = System.nanoTime() - t0;
        return r;
    }

    /** The server's memory; with {@code gc} a full GC first, so that the heap figure is the live heap. */
    Memory memory(boolean gc) {
        try {
            if (gc) {
                jcmd("GC.run");
                Thread.sleep(3000); // G1 gives the freed heap back to the OS concurrently, after the GC
            }
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            String health = client.send(HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher heap = HEAP.matcher(health);
            Matcher served = SERVED.matcher(health);
            if (!heap.find() || !served.find()) throw new IllegalStateException("unexpected /health: " + health);
            Matcher nmt = NMT_TOTAL.matcher(jcmd("VM.native_memory", "summary"));
            return new Memory(kb(status, "VmRSS"), kb(status, "VmHWM"), Long.parseLong(heap.group(1)), nmt.find() ? Long.parseLong(nmt.group(2)) : -1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long kb(String status, String key) {
        Matcher m = Pattern.compile(key + ":\\s+(\\d+) kB").matcher(status);
        if (!m.find()) throw new IllegalStateException(key + " not in /proc/PID/status");
        return Long.parseLong(m.group(1));
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
