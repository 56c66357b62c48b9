package googlenet.engine.compile;

import googlenet.engine.compile.ArenaPlanner.Request;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaPlannerTest {
    @Test
    void aChainReusesMemoryPingPong() {
        // a → b → c → d, each 1 KiB, each live from its step to the next: two buffers suffice
        List<Request> chain = List.of(new Request(1024, 0, 1), new Request(1024, 1, 2), new Request(1024, 2, 3), new Request(1024, 3, 3));
        var r = ArenaPlanner.plan(chain);
        assertEquals(2048, r.arenaBytes());
        assertEquals(2048, r.lowerBoundBytes());
    }

    @Test
    void buffersLiveTogetherStack() {
        // all three live at step 0: placed largest first, one after the other
        List<Request> rs = new ArrayList<>(List.of(new Request(4096, 0, 5), new Request(128, 0, 0), new Request(1024, 0, 0)));
        var r = ArenaPlanner.plan(rs);
        assertEquals(0, r.offsets()[0]);
        assertEquals(4096 + 1024 + 128, r.arenaBytes());
    }

    @Test
    void liveBuffersNeverOverlapAndOffsetsAreAligned() {
        Random random = new Random(1);
        for (int trial = 0; trial < 200; trial++) {
            List<Request> rs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int first = random.nextInt(20);
                rs.add(new Request(1 + random.nextInt(5000), first, first + random.nextInt(6)));
            }
            var r = ArenaPlanner.plan(rs);
            assertTrue(r.arenaBytes() >= r.lowerBoundBytes());
            for (int i = 0; i < rs.size(); i++) {
                assertEquals(0, r.offsets()[i] % ArenaPlanner.ALIGNMENT);
                for (int j = i + 1; j < rs.size(); j++) {
                    if (!rs.get(i).overlaps(rs.get(j))) continue;
                    long ai = r.offsets()[i], bi = ai + rs.get(i).bytes();
                    long aj = r.offsets()[j], bj = aj + rs.get(j).bytes();
                    assertFalse(ai < bj && aj < bi, "requests " + i + " and " + j + " overlap");
                }
            }
            assertArrayEquals(r.offsets(), ArenaPlanner.plan(rs).offsets(), "deterministic");
        }
    }
}
