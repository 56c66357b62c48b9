package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The shipped samples are Fashion-MNIST test images; the first class printed for each is its true label. */
class EmbedTest {
    @Test
    void eachSampleComesOutAsItsTrueClass() throws Exception {
        String samples = System.getProperty("samples", "../../samples");
        List<String> lines = Embed.classify(samples + "/ankle-boot.png", samples + "/pullover.png", samples + "/trouser.png");
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches(".*ankle-boot.png:  Ankle boot .*"), lines.get(0));
        assertTrue(lines.get(1).matches(".*pullover.png:  Pullover .*"), lines.get(1));
        assertTrue(lines.get(2).matches(".*trouser.png:  Trouser .*"), lines.get(2));
    }
}
