package googlenet.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import googlenet.engine.Model;
import googlenet.engine.ScoredClass;
import googlenet.engine.Session;
import googlenet.engine.image.Classifier;
import googlenet.engine.image.ImageInput;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code POST /classify} and {@code GET /health} on 127.0.0.1, by the JDK's {@link HttpServer}. Connections are read on
 * virtual threads, which put each image into a bounded queue (full: 503 at once, with {@code Retry-After}) and wait for
 * its answer; a fixed set of worker threads, each owning one {@link Session} of batch 1 and its buffers, decode,
 * preprocess and run the images. {@link #stop} closes the port, lets in-flight requests finish within a grace period,
 * stops the workers, closes their sessions and the model.
 */
final class ClassifyServer {
    static final String CLASSIFY = "/classify";
    static final int DEFAULT_READ_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /**
     * The JDK server's limits on the time a request takes to arrive (unset, a connection that sent part of a request
     * and stopped was held for good) and on open connections, read once per JVM when its first server starts.
     */
    private static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    private static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    static final String HEALTH = "/health";
    private static final String BODY_NAME = "request body";

    /**
     * How to serve: {@code port} 0 picks a free one; {@code maxBody} in bytes; {@code graceSeconds} bounds {@link #stop};
     * a connection whose request (headers and body) has not arrived whole within {@code readTimeoutSeconds} is
     * closed; at most {@code maxConnections} are open at once (more are closed as they come).
     */
    record Config(int port, int workers, int queue, int maxBody, int top, int graceSeconds, int readTimeoutSeconds,
                  int maxConnections) {
        Config(int port, int workers, int queue, int maxBody, int top, int graceSeconds) {
            this(port, workers, queue, maxBody, top, graceSeconds, DEFAULT_READ_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS);
        }

        Config {
            if (readTimeoutSeconds < 1) {
                throw new BadInputException("--read-timeout must be ≥ 1 second, got " + readTimeoutSeconds);
            }
            if (maxConnections < 1) throw new BadInputException("--max-connections must be ≥ 1, got " + maxConnections);
            if (port < 0 || port > 65_535) throw new BadInputException("--port must be in 0..65535, got " + port);
            if (workers < 1) throw new BadInputException("--workers must be ≥ 1, got " + workers);
            if (queue < 1) throw new BadInputException("--queue must be ≥ 1, got " + queue);
            if (maxBody < 1 || maxBody == Integer.MAX_VALUE) throw new BadInputException("--max-body must be in 1..2^31-2 bytes, got " + maxBody);
            if (top < 1) throw new BadInputException("--top must be ≥ 1, got " + top);
            if (graceSeconds < 0) throw new BadInputException("--grace must be ≥ 0, got " + graceSeconds);
        }
    }

    /** Called by a worker after it takes a request and before it decodes it: a test's way to hold the workers. */
    interface WorkerHook {
        WorkerHook NONE = () -> {
        };

        void beforeRun() throws InterruptedException;
    }

    private sealed interface Outcome {
    }

    private record Classified(List<ScoredClass> top, double decodeMs, double modelMs, double queueMs) implements Outcome {
    }

    private record Failed(int status, String message) implements Outcome {
    }

    private static final class Job {
        final byte[] body;
        final long enqueued = System.nanoTime();
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();

        Job(byte[] body) {
            this.body = body;
        }
    }

    private final Model model;
    private final String modelName;
    private final Classifier classifier;
    private final Config config;
    private final WorkerHook hook;
    private final BlockingQueue<Job> queue;
    private final List<Thread> workers = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();
    private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
    /** Answers 408 to a request whose body has not arrived within the read timeout (see {@link #readBody}). */
    private final ScheduledExecutorService readTimeouts = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("googlenet-serve-read-timeouts").factory());
    private final HttpServer http;
    private final long started = System.nanoTime();
    private final LongAdder classified = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder badRequests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private String summary;

    private ClassifyServer(Model model, String modelName, Classifier classifier, Config config, WorkerHook hook) throws IOException {
        this.model = model;
        this.modelName = modelName;
        this.classifier = classifier;
        this.config = config;
        this.hook = hook;
        this.queue = new ArrayBlockingQueue<>(config.queue());
        for (int i = 0; i < config.workers(); i++) sessions.add(model.newSession(1));
        if (System.getProperty(MAX_REQUEST_TIME) == null) { // a second after a stalled body's 408 (see readBody)
            System.setProperty(MAX_REQUEST_TIME, Integer.toString(config.readTimeoutSeconds() + 1));
        }
        if (System.getProperty(MAX_CONNECTIONS) == null) {
            System.setProperty(MAX_CONNECTIONS, Integer.toString(config.maxConnections()));
        }
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 0);
        } catch (IOException e) {
            sessions.forEach(Session::close);
            throw new IOException("cannot listen on 127.0.0.1:" + config.port() + ": " + e.getMessage(), e);
        }
        http.createContext("/", this::handle);
        http.setExecutor(connections);
    }

    /**
     * Starts serving {@code model} (which the server then owns and closes in {@link #stop}) with sessions of batch 1.
     */
    static ClassifyServer start(Model model, String modelName, Classifier classifier, Config config, WorkerHook hook) throws IOException {
        ClassifyServer server = new ClassifyServer(model, modelName, classifier, config, hook);
        for (int i = 0; i < config.workers(); i++) {
            Session session = server.sessions.get(i);
            Thread t = Thread.ofPlatform().name("serve-worker-" + i).start(() -> server.work(session));
            server.workers.add(t);
        }
        server.http.start();
        return server;
    }

    int port() {
        return http.getAddress().getPort();
    }

    String url() {
        return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + port();
    }

    /** Requests waiting for a worker. */
    int queued() {
        return queue.size();
    }

    private void work(Session session) {
        ImageInput preprocessor = classifier.input();
        float[] input = new float[preprocessor.imageSize()];
        float[] output = new float[classifier.classes()];
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            long taken = System.nanoTime();
            try {
                hook.beforeRun();
                preprocessor.load(new ByteArrayInputStream(job.body), BODY_NAME, input, 0);
                long decoded = System.nanoTime();
                session.run(input, output);
                long ran = System.nanoTime();
                List<ScoredClass> top = classifier.top(output, 0, config.top());
                job.outcome.complete(new Classified(top, millis(decoded - taken), millis(ran - decoded), millis(taken - job.enqueued)));
            } catch (IOException e) {
                job.outcome.complete(new Failed(400, e.getMessage()));
            } catch (InterruptedException e) {
                job.outcome.complete(new Failed(503, "the server is stopping"));
                return;
            } catch (RuntimeException | Error e) {
                job.outcome.complete(new Failed(500, "internal error: " + e));
            }
        }
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case CLASSIFY -> {
                    if (method.equals("POST")) classify(exchange);
                    else methodNotAllowed(exchange, "POST");
                }
                case HEALTH -> {
                    if (method.equals("GET")) send(exchange, 200, health());
                    else methodNotAllowed(exchange, "GET");
                }
                default -> error(exchange, 404, "no such path: " + path + " (try POST " + CLASSIFY + " or GET " + HEALTH + ")");
            }
        }
    }

    private void methodNotAllowed(HttpExchange exchange, String allowed) throws IOException {
        exchange.getResponseHeaders().set("Allow", allowed);
        error(exchange, 405, exchange.getRequestMethod() + " is not allowed on " + exchange.getRequestURI().getPath() + "; use " + allowed);
    }

    private void classify(HttpExchange exchange) throws IOException {
        if (stopping) {
            busy(exchange, "the server is stopping");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
            exchange.getResponseHeaders().set("Connection", "close"); // the body stays unread
            error(exchange, 400, "a multipart form (" + type.split(";")[0].trim() + "): POST the image's own bytes as the "
                    + "body instead, e.g. curl --data-binary @photo.jpg -H 'Content-Type: image/jpeg' " + url() + CLASSIFY);
            return;
        }
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > config.maxBody()) {
            exchange.getResponseHeaders().set("Connection", "close"); // the body stays unread
            error(exchange, 413, "the body has " + declared + " bytes, more than the limit of " + config.maxBody());
            return;
        }
        byte[] body = readBody(exchange);
        if (body == null) return; // answered 408
        if (body.length > config.maxBody()) {
            exchange.getResponseHeaders().set("Connection", "close");
            error(exchange, 413, "the body has more than the limit of " + config.maxBody() + " bytes");
            return;
        }
        if (body.length == 0) {
            error(exchange, 400, "empty body: POST the bytes of a JPEG or PNG image");
            return;
        }
        Job job = new Job(body);
        if (!queue.offer(job)) {
            busy(exchange, "busy: all " + config.workers() + " workers are running and the queue of " + config.queue() + " is full");
            return;
        }
        Outcome outcome;
        try {
            outcome = job.outcome.get();
        } catch (InterruptedException | ExecutionException e) {
            busy(exchange, "the server is stopping");
            return;
        }
        switch (outcome) {
            case Classified c -> {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("top", ClassScores.json(c.top(), classifier));
                json.put("latencyMs", c.modelMs());
                json.put("queueMs", c.queueMs());
                json.put("decodeMs", c.decodeMs());
                classified.increment(); // before the answer: a client that has it must find it counted in /health
                send(exchange, 200, json);
            }
            case Failed f -> error(exchange, f.status(), f.message());
        }
    }

    /**
     * The body, at most {@code maxBody + 1} bytes, or null when it did not arrive within the read timeout: then a
     * watchdog has answered 408 on the connection while this thread waited, and the JDK server closes the connection a
     * second later (its {@code maxReqTime}), which ends the wait. The watchdog writes the answer without closing the
     * exchange: closing would drain the body that is not coming.
     */
    private byte[] readBody(HttpExchange exchange) throws IOException {
        AtomicBoolean answered = new AtomicBoolean();
        ScheduledFuture<?> watchdog = readTimeouts.schedule(() -> {
            if (!answered.compareAndSet(false, true)) return;
            badRequests.increment();
            byte[] bytes = (Json.write(Map.of("error", "the request body did not arrive within " + config.readTimeoutSeconds()
                    + " s (--read-timeout)")) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Connection", "close");
            try {
                exchange.sendResponseHeaders(408, bytes.length);
                OutputStream out = exchange.getResponseBody();
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                // the client is gone: nothing to answer
            }
        }, config.readTimeoutSeconds(), TimeUnit.SECONDS);
        try {
            byte[] body = exchange.getRequestBody().readNBytes(config.maxBody() + 1);
            return answered.compareAndSet(false, true) ? body : null;
        } catch (IOException e) {
            if (answered.get()) return null;
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private void busy(HttpExchange exchange, String message) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        error(exchange, 503, message);
    }

    private void error(HttpExchange exchange, int status, String message) throws IOException {
        (status == 503 ? rejected : status >= 500 ? errors : badRequests).increment();
        send(exchange, status, Map.of("error", message));
    }

    private static void send(HttpExchange exchange, int status, Map<String, Object> json) throws IOException {
        byte[] bytes = (Json.write(json) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Map<String, Object> health() {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", stopping ? "stopping" : "ok");
        json.put("model", modelName);
        json.put("uptimeMs", (System.nanoTime() - started) / 1_000_000);
        json.put("requestsServed", classified.sum());
        json.put("rejected", rejected.sum());
        json.put("badRequests", badRequests.sum());
        json.put("errors", errors.sum());
        json.put("workers", config.workers());
        json.put("threads", model.threads());
        json.put("queueCapacity", config.queue());
        json.put("queued", queue.size());
        json.put("heapUsedBytes", rt.totalMemory() - rt.freeMemory());
        json.put("heapCommittedBytes", rt.totalMemory());
        json.put("nativeBytes", model.weightBytes() + sessions.stream().mapToLong(Session::arenaBytes).sum());
        return json;
    }

    /**
     * Closes the port, waits up to the grace period for in-flight requests, answers 503 to any still queued, stops the
     * workers and closes their sessions and the model. Idempotent; returns a one-line summary.
     */
    synchronized String stop() {
        if (summary != null) return summary;
        stopping = true;
        http.stop(config.graceSeconds());
        for (Job job; (job = queue.poll()) != null; ) job.outcome.complete(new Failed(503, "the server is stopping"));
        workers.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(1, config.graceSeconds()));
        boolean allStopped = true;
        for (Thread t : workers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            allStopped &= !t.isAlive();
        }
        connections.shutdownNow();
        readTimeouts.shutdownNow();
        if (allStopped) {
            sessions.forEach(Session::close);
            model.close();
        }
        summary = String.format("serve: stopped after %.1f s: %d classified, %d rejected (503), %d bad requests, %d errors%s",
                (System.nanoTime() - started) / 1e9, classified.sum(), rejected.sum(), badRequests.sum(), errors.sum(),
                allStopped ? "" : "; a worker did not stop in time, its session and the model were left open");
        stopped.countDown();
        return summary;
    }

    /** Blocks until {@link #stop} has finished. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}
