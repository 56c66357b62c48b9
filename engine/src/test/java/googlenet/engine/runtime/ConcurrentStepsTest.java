package googlenet.engine.runtime;

import googlenet.kernels.Kernel;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConcurrentStepsTest {
    /** Records "name:task" for every task run. */
    private record Step(String name, int tasks, long scratchBytes, List<String> log) implements Kernel {
        public void run(MemorySegment arena, int task) {
            log.add(name + ":" + task);
        }

        public String describe() {
            return name;
        }
    }

    @Test
    void everyTaskOfEveryStepOnceTheLargestTasksAtBothEnds() {
        List<String> log = new ArrayList<>();
        Kernel level = new ConcurrentSteps(List.of(new Step("a", 5, 0, log), new Step("w", 2, 4096, log), new Step("b", 3, 64, log)));
        assertEquals(10, level.tasks());
        assertEquals(4096, level.scratchBytes());
        for (int t = 0; t < level.tasks(); t++) level.run(MemorySegment.NULL, t, MemorySegment.NULL);
        // w (2 tasks, the largest) outermost, then b (3), then a (5): each step's first half toward the front, its second
        // half toward the back in order
        assertEquals(List.of("w:0", "b:0", "b:1", "a:0", "a:1", "a:2", "a:3", "a:4", "b:2", "w:1"), log);
    }

    @Test
    void oneStepIsNoLevel() {
        assertThrows(IllegalArgumentException.class, () -> new ConcurrentSteps(List.of(new Step("a", 1, 0, new ArrayList<>()))));
    }
}
