package googlenet.engine.compile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places buffers with known lifetimes in one arena, as TFLite's ArenaPlanner does: largest first, each
 * at the lowest-waste gap (best fit) among the buffers already placed whose lifetimes overlap it.
 * Offsets are 64-byte aligned. Reports the arena size and the lower bound no placement can beat:
 * the largest total of buffers live at one step.
 */
public final class ArenaPlanner {
    public static final long ALIGNMENT = 64;

    /** A buffer to place: live from step {@code first} to step {@code last}, both included. */
    public record Request(long bytes, int first, int last) {
        public Request {
            if (bytes < 0 || first > last) throw new IllegalArgumentException("bad request " + bytes + " [" + first + ", " + last + "]");
        }

        boolean overlaps(Request o) {
            return first <= o.last && o.first <= last;
        }
    }

    /** Offsets in request order, the arena size and the lower bound. */
    public record Result(long[] offsets, long arenaBytes, long lowerBoundBytes) {
    }

    private ArenaPlanner() {
    }

    public static long align(long bytes) {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    public static Result plan(List<Request> requests) {
        int n = requests.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.<Integer>comparingLong(i -> -requests.get(i).bytes())
                .thenComparingInt(i -> requests.get(i).first()).thenComparingInt(i -> i));
        long[] offsets = new long[n];
        List<Integer> placed = new ArrayList<>();
        long arena = 0;
        for (int i : order) {
            Request r = requests.get(i);
            long size = align(r.bytes());
            List<Integer> live = new ArrayList<>();
            for (int j : placed) if (requests.get(j).overlaps(r)) live.add(j);
            live.sort(Comparator.comparingLong(j -> offsets[j]));
            long best = -1;
            long bestWaste = Long.MAX_VALUE;
            long cursor = 0;
            for (int j : live) {
                long gap = offsets[j] - cursor;
                if (gap >= size && gap - size < bestWaste) {
                    best = cursor;
                    bestWaste = gap - size;
                }
                cursor = Math.max(cursor, offsets[j] + align(requests.get(j).bytes()));
            }
            offsets[i] = best >= 0 ? best : cursor;
            arena = Math.max(arena, offsets[i] + size);
            placed.add(i);
        }
        return new Result(offsets, arena, lowerBound(requests));
    }

    static long lowerBound(List<Request> requests) {
        int steps = requests.stream().mapToInt(Request::last).max().orElse(-1) + 1;
        long bound = 0;
        for (int s = 0; s < steps; s++) {
            long live = 0;
            for (Request r : requests) if (r.first() <= s && s <= r.last()) live += align(r.bytes());
            bound = Math.max(bound, live);
        }
        return bound;
    }
}
