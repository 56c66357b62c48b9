package googlenet.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import googlenet.kernels.Blocking;

import org.junit.jupiter.api.Test;

/**
 * The build runs these properties at 16, 8 and 4 lanes (see the module's pom): each extra run names the lane count it
 * expects, and gets the vector kernels at that count, not the scalar fallback.
 */
class LanesProperties {
    @Test
    void theRunHasTheLanesItAskedFor() {
        String expected = System.getProperty("googlenet.expectLanes");
        assumeTrue(expected != null, "the default run: lanes as the CPU gives them");
        assertTrue(Blocking.VECTOR, Blocking.describe());
        assertEquals(Integer.parseInt(expected), Blocking.LANES, Blocking.describe());
    }
}
