package googlenet.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The order the worker pool relies on: image, then part (rows), then channel block, the block the fastest. */
class SpatialTasksTest {
    @Test
    void tasksGoByImageThenRowsThenBlocks() {
        SpatialTasks tasks = new SpatialTasks(2, 3, 4);
        assertEquals(24, tasks.count());
        int task = 0;
        for (int image = 0; image < 2; image++) {
            for (int part = 0; part < 3; part++) {
                for (int block = 0; block < 4; block++, task++) {
                    assertArrayEquals(new int[] {image, part, block},
                            new int[] {tasks.image(task), tasks.part(task), tasks.block(task)}, "task " + task);
                }
            }
        }
    }

    @Test
    void theFirstTasksShareTheTopRowsOfTheFirstImage() {
        // Two threads: the caller takes 0, 1, … and the worker 11, 10, …; with 1 image, 2 row parts and 6 blocks,
        // the first 6 tasks are the top half of every block and the last 6 the bottom half.
        SpatialTasks tasks = new SpatialTasks(1, 2, 6);
        for (int t = 0; t < 6; t++) {
            assertEquals(0, tasks.part(t), "task " + t);
            assertEquals(1, tasks.part(11 - t), "task " + (11 - t));
        }
    }

    @Test
    void refusesAnEmptySplit() {
        assertThrows(IllegalArgumentException.class, () -> new SpatialTasks(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpatialTasks(1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SpatialTasks(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpatialTasks(1 << 16, 1 << 16, 1));
    }
}
