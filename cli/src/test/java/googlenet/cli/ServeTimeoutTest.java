package googlenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that sends part of a request and stops does not hold its connection for good: {@code serve} answers 408
 * to a request whose body stops arriving and closes the connection, closes one whose headers never end after
 * {@code --read-timeout} (no answer is possible before the headers), closes connections past
 * {@code --max-connections} as they arrive, and keeps answering. In a child process: the JDK server reads its limits
 * once per JVM, when its first server starts.
 */
class ServeTimeoutTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:(\\d+))");

    @Test
    void stalledRequestsAreClosedAfterTheTimeout(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        try (ChildCli serve = new ChildCli(out, "serve", "--model", "builtin:d2l-fashion", "--port", "0", "--no-warm-up",
                "--threads", "1", "--read-timeout", "2", "--max-connections", "30")) {
            Matcher m = awaitListening(out);
            int port = Integer.parseInt(m.group(2));
            List<Socket> stalled = new ArrayList<>();
            for (int i = 0; i < 35; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                OutputStream o = s.getOutputStream();
                // Headers begun, never finished; or finished with a body promised and never sent.
                o.write((i % 2 == 0 ? "POST /classify HTTP/1.1\r\nHost: x\r\n"
                        : "POST /classify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
                o.flush();
                stalled.add(s);
            }
            // Past --max-connections 30: closed as they arrive, long before the read timeout.
            for (Socket s : stalled.subList(30, 35)) {
                s.setSoTimeout(1_500);
                assertClosed(s, "a connection past --max-connections");
            }
            long start = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                Socket s = stalled.get(i);
                s.setSoTimeout(20_000);
                String answer = assertClosed(s, "a stalled connection");
                if (i % 2 == 1) {
                    assertTrue(answer.startsWith("HTTP/1.1 408 "), "a stalled body: " + answer);
                    assertTrue(answer.contains("did not arrive within 2 s (--read-timeout)"), answer);
                } else {
                    assertEquals("", answer, "stalled headers: no answer is possible");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 20, "closed after " + seconds + " s");
            for (Socket s : stalled) s.close();
            HttpURLConnection health = (HttpURLConnection) URI.create(m.group(1) + ClassifyServer.HEALTH).toURL().openConnection();
            assertEquals(200, health.getResponseCode());
            health.disconnect();
        }
    }

    /** Reads until the server closes the connection; returns what it answered before; fails if it stays open. */
    private static String assertClosed(Socket s, String what) throws IOException {
        InputStream in = s.getInputStream();
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) answer.write(buffer, 0, n);
        } catch (SocketTimeoutException e) {
            fail("the server kept " + what + " open for " + s.getSoTimeout() + " ms");
        } catch (SocketException e) {
            // reset by the server: closed
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private static Matcher awaitListening(Path out) throws IOException, InterruptedException {
        for (int i = 0; i < 1200; i++) {
            if (Files.exists(out)) {
                Matcher m = LISTENING.matcher(Files.readString(out));
                if (m.find()) return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("serve never said where it listens: " + (Files.exists(out) ? Files.readString(out) : ""));
    }
}
