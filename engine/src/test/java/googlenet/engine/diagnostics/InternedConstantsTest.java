package googlenet.engine.diagnostics;

import googlenet.engine.Session;
import googlenet.kernels.layout.UnpackOutput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class InternedConstantsTest {
    @Test
    void internsTheConstantsOfTheClassesARootReaches() {
        List<String> interned = InternedConstants.reachableFrom(List.of(UnpackOutput.class));
        // UnpackOutput's own message, and one of PackInput's, which UnpackOutput calls: the very instances the JVM's
        // string table holds (a literal here is resolved from that table too).
        assertSame("unpack destination overlaps its source", find(interned, "unpack destination overlaps its source"));
        assertSame("pack source overlaps its destination", find(interned, "pack source overlaps its destination"));
    }

    @Test
    void staysOutOfPackagesThatARunDoesNotExecute() {
        List<String> interned = InternedConstants.reachableFrom(List.of(Session.class));
        assertSame("session is closed", find(interned, "session is closed"));
        // Session refers to googlenet.graph.Shape, which no run executes.
        assertFalse(interned.contains("a shape needs at least one dimension"));
    }

    private static String find(List<String> interned, String text) {
        return interned.stream().filter(text::equals).findFirst()
                .orElseThrow(() -> new AssertionError("'" + text + "' not among " + interned.size() + " interned constants"));
    }
}
