package googlenet.engine.compile;

/** A region of the arena the planner places: one tensor, or a concat output its branches write into. */
final class Buffer {
    final String name;
    final long bytes;
    int first = Integer.MAX_VALUE;
    int last = -1;
    long offset = -1;

    Buffer(String name, long bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    void liveAt(int step) {
        first = Math.min(first, step);
        last = Math.max(last, step);
    }
}
