package googlenet.engine.diagnostics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class CoreRoundTripTest {
    @Test
    void measuresAPositiveRoundTripAndStopsItsThreadWithinTheTimeGiven() {
        double ns = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> CoreRoundTrip.measure(Integer.MAX_VALUE, 50_000_000L));
        assertTrue(ns > 0 && Double.isFinite(ns), "round trip " + ns);
        // The partner thread ends with the measurement: none is left spinning.
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("core-round-trip") && t.isAlive()), "partner thread still running");
    }
}
