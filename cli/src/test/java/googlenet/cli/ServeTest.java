package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.image.Classifier;
import googlenet.engine.image.ImageDecoder;
import googlenet.engine.image.ImageInput;
import googlenet.engine.image.Preset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The classification service in-process on a free port, with d2l at 64×64 and 10 classes. Its answers are checked
 * against the reference interpreter run here on the same preprocessed image, with softmax and ranking done here.
 */
class ServeTest {
    private static final Path IMAGES = Path.of("../engine/src/test/resources/googlenet/engine/image");
    private static final Preset PRESET = Preset.TORCHVISION.withSize(73, 64);
    private static final List<String> NAMES = List.of("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");

    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private ClassifyServer server;
    private Model model;

    static {
        System.setProperty("http.keepAlive", "false"); // one connection per request: no stale pooled connections
    }

    /** Holds every worker before it decodes, until released; says when the first one got there. */
    private static final class Gate implements ClassifyServer.WorkerHook {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void beforeRun() throws InterruptedException {
            entered.countDown();
            release.await();
        }
    }

    record Response(int status, String body, String contentType, String allow, String retryAfter) {
    }

    private ClassifyServer start(int workers, int queue, int maxBody, ClassifyServer.WorkerHook hook) throws IOException {
        model = Model.load(ClassifyCliTest.d2l(), Options.threads(1));
        var classifier = new Classifier(ClassifyCliTest.d2l(), new ImageInput.OfPreset(PRESET, ImageDecoder.DEFAULT_MAX_PIXELS), NAMES.size(), false, NAMES);
        server = ClassifyServer.start(model, "test:d2l-64", classifier, new ClassifyServer.Config(0, workers, queue, maxBody, 5, 5), hook);
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop();
        clients.close();
    }

    private static Response request(ClassifyServer s, String method, String path, byte[] body) throws IOException {
        return request(s, method, path, body, null);
    }

    private static Response request(ClassifyServer s, String method, String path, byte[] body, String contentType)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(s.url() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Connection", "close");
        if (contentType != null) c.setRequestProperty("Content-Type", contentType);
        if (body != null) {
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, text, c.getContentType(), c.getHeaderField("Allow"), c.getHeaderField("Retry-After"));
        } finally {
            c.disconnect();
        }
    }

    private static byte[] image(String name) throws IOException {
        return Files.readAllBytes(IMAGES.resolve(name));
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) Thread.sleep(10);
        if (!condition.getAsBoolean()) fail("never happened: " + what);
    }

    @Test
    void answersTheTopFiveOfTheReferenceOnTheSamePreprocessedImage() throws IOException {
        ClassifyServer s = start(2, 4, 1_000_000, ClassifyServer.WorkerHook.NONE);
        assertTrue(s.url().matches("http://127\\.0\\.0\\.1:\\d+") && s.port() > 0, s.url());
        for (String name : List.of("jpeg_rgb_97x75.jpg", "palette_80x66.png")) {
            Response r = request(s, "POST", ClassifyServer.CLASSIFY, image(name));
            assertEquals(200, r.status(), r.body());
            assertTrue(r.contentType().startsWith("application/json"), r.contentType());
            List<ClassifyCliTest.Expected> want = ClassifyCliTest.expected(ClassifyCliTest.d2l(), PRESET, IMAGES.resolve(name), true, 5);
            Matcher m = ClassifyCliTest.JSON_ENTRY.matcher(r.body());
            for (ClassifyCliTest.Expected e : want) {
                assertTrue(m.find(), r.body());
                assertEquals(e.index(), Integer.parseInt(m.group(1)), name + ": " + r.body());
                assertEquals("\"" + NAMES.get(e.index()) + "\"", m.group(2));
                assertEquals(e.probability(), Double.parseDouble(m.group(3)), 1e-5);
            }
            assertTrue(!m.find(), "five entries: " + r.body());
            assertTrue(r.body().matches("(?s).*\"latencyMs\": [0-9.]+, \"queueMs\": [0-9.]+.*"), r.body());
        }
        Response health = request(s, "GET", ClassifyServer.HEALTH, null);
        assertEquals(200, health.status());
        assertTrue(health.body().contains("\"model\": \"test:d2l-64\""), health.body());
        assertEquals(2, field(health.body(), "requestsServed"));
        assertEquals(0, field(health.body(), "badRequests"));
        assertTrue(field(health.body(), "heapUsedBytes") > 0, health.body());
    }

    @Test
    void wrongPathsMethodsBodiesAndImagesAreJsonErrors() throws IOException {
        ClassifyServer s = start(1, 4, 10_000, ClassifyServer.WorkerHook.NONE);
        Response notFound = request(s, "GET", "/nope", null);
        assertEquals(404, notFound.status());
        assertTrue(notFound.body().startsWith("{\"error\": \"no such path: /nope"), notFound.body());

        Response getClassify = request(s, "GET", ClassifyServer.CLASSIFY, null);
        assertEquals(405, getClassify.status());
        assertEquals("POST", getClassify.allow());
        Response postHealth = request(s, "POST", ClassifyServer.HEALTH, new byte[]{1});
        assertEquals(405, postHealth.status());
        assertEquals("GET", postHealth.allow());

        Response tooLarge = request(s, "POST", ClassifyServer.CLASSIFY, new byte[20_000]);
        assertEquals(413, tooLarge.status(), tooLarge.body());
        assertTrue(tooLarge.body().contains("20000 bytes, more than the limit of 10000"), tooLarge.body());

        // A browser form's upload: the answer says to send the bytes themselves.
        Response form = request(s, "POST", ClassifyServer.CLASSIFY, ("--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n"
                + "abc\r\n--x--\r\n").getBytes(StandardCharsets.UTF_8), "multipart/form-data; boundary=x");
        assertEquals(400, form.status(), form.body());
        assertTrue(form.body().contains("a multipart form (multipart/form-data): POST the image's own bytes as the body"),
                form.body());
        assertTrue(form.body().contains("curl --data-binary @photo.jpg"), form.body());
        Response garbage = request(s, "POST", ClassifyServer.CLASSIFY, "hello, not an image".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, garbage.status());
        assertTrue(garbage.body().contains("request body: not an image"), garbage.body());
        assertTrue(garbage.contentType().startsWith("application/json"), garbage.contentType());

        byte[] jpeg = image("jpeg_rgb_97x75.jpg");
        Response truncated = request(s, "POST", ClassifyServer.CLASSIFY, Arrays.copyOf(jpeg, jpeg.length / 3));
        assertEquals(400, truncated.status());
        assertTrue(truncated.body().contains("request body: corrupt"), truncated.body());

        Response empty = request(s, "POST", ClassifyServer.CLASSIFY, new byte[0]);
        assertEquals(400, empty.status());
        assertTrue(empty.body().contains("empty body"), empty.body());

        Response ok = request(s, "POST", ClassifyServer.CLASSIFY, jpeg);
        assertEquals(200, ok.status(), "the server still answers after errors: " + ok.body());
        String health = request(s, "GET", ClassifyServer.HEALTH, null).body();
        assertEquals(1, field(health, "requestsServed"));
        assertEquals(8, field(health, "badRequests")); // 404, 405 twice, 413, 400 four times
        assertEquals(0, field(health, "errors"));
    }

    @Test
    void aFullQueueIsAnsweredAtOnceWith503() throws Exception {
        Gate gate = new Gate();
        ClassifyServer s = start(1, 1, 1_000_000, gate);
        byte[] jpeg = image("jpeg_rgb_97x75.jpg");
        CompletableFuture<Response> running = CompletableFuture.supplyAsync(() -> post(s, jpeg), clients);
        assertTrue(gate.entered.await(30, TimeUnit.SECONDS), "the worker took the first request");
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> post(s, jpeg), clients);
        await(() -> s.queued() == 1, "the second request is queued");

        Response busy = request(s, "POST", ClassifyServer.CLASSIFY, jpeg);
        assertEquals(503, busy.status(), busy.body());
        assertEquals("1", busy.retryAfter());
        assertTrue(busy.body().contains("the queue of 1 is full"), busy.body());
        assertTrue(!running.isDone() && !waiting.isDone(), "503 while the others still wait");

        gate.release.countDown();
        assertEquals(200, running.get(30, TimeUnit.SECONDS).status());
        assertEquals(200, waiting.get(30, TimeUnit.SECONDS).status());
        String health = request(s, "GET", ClassifyServer.HEALTH, null).body();
        assertEquals(2, field(health, "requestsServed"));
        assertEquals(1, field(health, "rejected"));
    }

    @Test
    void stopClosesThePortFinishesInFlightRequestsAndClosesTheModel() throws Exception {
        Gate gate = new Gate();
        ClassifyServer s = start(1, 2, 1_000_000, gate);
        String url = s.url();
        byte[] png = image("rgb_97x75.png");
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> post(s, png), clients);
        assertTrue(gate.entered.await(30, TimeUnit.SECONDS));
        CompletableFuture<String> stopping = CompletableFuture.supplyAsync(s::stop, clients);
        await(() -> refused(url), "the port is closed");
        assertTrue(!stopping.isDone(), "stop waits for the request in flight");

        gate.release.countDown();
        Response r = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.body());
        String summary = stopping.get(30, TimeUnit.SECONDS);
        assertTrue(summary.matches("serve: stopped after [0-9.]+ s: 1 classified, 0 rejected \\(503\\), 0 bad requests, 0 errors"), summary);
        assertEquals(summary, s.stop(), "stop is idempotent");
        assertTrue(refused(url));
        assertThrows(IllegalStateException.class, () -> model.newSession(1), "the model is closed");
        server = null;
    }

    @Test
    void theCommandChecksItsOptionsBeforeLoading() {
        CliTest.Result queue = CliTest.run("serve", "--queue", "0");
        assertEquals(2, queue.code());
        assertEquals("serve: --queue must be ≥ 1, got 0", queue.err().strip());
        CliTest.Result port = CliTest.run("serve", "--port", "70000");
        assertEquals(2, port.code());
        assertTrue(port.err().contains("--port must be in 0..65535"), port.err());
        CliTest.Result help = CliTest.run("serve", "--help");
        assertEquals(0, help.code());
        for (String option : List.of("--port", "--workers", "--threads", "--queue", "--preset", "--max-body", "--grace", "--no-warm-up")) {
            assertTrue(help.out().contains(option), option);
        }
    }

    private static Response post(ClassifyServer s, byte[] body) {
        try {
            return request(s, "POST", ClassifyServer.CLASSIFY, body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean refused(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url + ClassifyServer.HEALTH).toURL().openConnection();
            c.setConnectTimeout(2000);
            c.connect();
            c.disconnect();
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
