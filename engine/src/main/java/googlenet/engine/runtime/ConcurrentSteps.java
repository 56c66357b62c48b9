package googlenet.engine.runtime;

import googlenet.kernels.Kernel;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Steps of one plan level (none reads what another writes, and the planner kept their tensors apart) run as one step:
 * their tasks in one list, handed out like any step's, so the threads meet once per level instead of once per step
 * and a small step's few tasks fill in beside a large one's.
 */
final class ConcurrentSteps implements Kernel {
    private final Kernel[] steps;
    /** Task t here is task {@code taskOf[t]} of step {@code stepOf[t]}. */
    private final int[] stepOf;
    private final int[] taskOf;
    private final long scratchBytes;

    /**
     * The tasks are nested from both ends of the list, the steps with the fewest (largest) tasks outermost: each step's
     * first half of its tasks (its top rows) toward the front, where the calling thread claims, the second half toward
     * the back, where the worker claims. Claims shrink as the list runs out (see WorkerPool), so the large tasks go in
     * the first claims from both ends and the small ones even out the finish, and each thread keeps the rows of every
     * step it had before.
     */
    ConcurrentSteps(List<Kernel> steps) {
        if (steps.size() < 2) throw new IllegalArgumentException("one step needs no grouping");
        this.steps = steps.toArray(Kernel[]::new);
        Integer[] bySize = new Integer[this.steps.length];
        int total = 0;
        long scratch = 0;
        for (int i = 0; i < bySize.length; i++) {
            bySize[i] = i;
            total += this.steps[i].tasks();
            scratch = Math.max(scratch, this.steps[i].scratchBytes());
        }
        java.util.Arrays.sort(bySize, java.util.Comparator.comparingInt(i -> this.steps[i].tasks()));
        this.stepOf = new int[total];
        this.taskOf = new int[total];
        int front = 0;
        int back = total;
        for (int i : bySize) {
            int n = this.steps[i].tasks();
            int half = (n + 1) / 2;
            for (int t = 0; t < half; t++, front++) {
                stepOf[front] = i;
                taskOf[front] = t;
            }
            for (int t = n - 1; t >= half; t--) {
                back--;
                stepOf[back] = i;
                taskOf[back] = t;
            }
        }
        this.scratchBytes = scratch;
    }

    @Override
    public int tasks() {
        return stepOf.length;
    }

    @Override
    public long scratchBytes() {
        return scratchBytes;
    }

    @Override
    public void run(MemorySegment arena, int task, MemorySegment scratch) {
        steps[stepOf[task]].run(arena, taskOf[task], scratch);
    }

    @Override
    public void run(MemorySegment arena, int task) {
        steps[stepOf[task]].run(arena, taskOf[task]);
    }

    @Override
    public String describe() {
        return steps.length + " steps at once";
    }
}
