package googlenet.engine.runtime;

import googlenet.engine.plan.Plan;
import googlenet.kernels.layout.HeapCopy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A session's activations: one arena per part of the batch (see {@link StepLoop}), each laid out by the same plan for
 * a part's images, and the copies of a whole batch's input and outputs into and out of them. Part p holds the p-th run
 * of consecutive images, so its input and each of its outputs are one contiguous run of the batch's floats.
 */
public final class PartArenas {
    private final MemorySegment[] parts;
    private final long inputOffset;
    private final long[] outputOffsets;
    private final int inputPerPart;
    private final int[] outputPerPart;

    public PartArenas(Arena arena, Plan plan, int parts) {
        this.parts = new MemorySegment[parts];
        for (int p = 0; p < parts; p++) this.parts[p] = arena.allocate(Math.max(plan.arenaBytes(), 64), 64);
        this.inputOffset = plan.inputOffset();
        this.inputPerPart = Math.toIntExact(plan.inputShape().elements());
        List<Plan.PlainRegion> outputs = List.copyOf(plan.outputs().values());
        this.outputOffsets = outputs.stream().mapToLong(Plan.PlainRegion::offset).toArray();
        this.outputPerPart = outputs.stream().mapToInt(r -> Math.toIntExact(r.shape().elements())).toArray();
    }

    public MemorySegment[] segments() {
        return parts.clone();
    }

    public int parts() {
        return parts.length;
    }

    public long bytes() {
        return parts.length * parts[0].byteSize();
    }

    /** Floats of the whole batch's input. */
    public int inputFloats() {
        return inputPerPart * parts.length;
    }

    /** Floats of the whole batch's output {@code output} (in the plan's order of outputs). */
    public int outputFloats(int output) {
        return outputPerPart[output] * parts.length;
    }

    public void checkInput(long floats) {
        if (floats != inputFloats()) throw new IllegalArgumentException("input: expected " + inputFloats() + " floats, got " + floats);
    }

    public void checkOutput(int output, long floats) {
        long expected = outputFloats(output);
        String what = output == 0 ? "output" : "output " + output;
        if (floats != expected) throw new IllegalArgumentException(what + ": expected " + expected + " floats, got " + floats);
    }

    public void writeInput(float[] input) {
        for (int p = 0; p < parts.length; p++) HeapCopy.toSegment(input, p * inputPerPart, parts[p], inputOffset, inputPerPart);
    }

    public void writeInput(MemorySegment input) {
        long bytes = (long) inputPerPart * Float.BYTES;
        for (int p = 0; p < parts.length; p++) MemorySegment.copy(input, p * bytes, parts[p], inputOffset, bytes);
    }

    public void readOutput(int output, float[] into) {
        int n = outputPerPart[output];
        for (int p = 0; p < parts.length; p++) HeapCopy.fromSegment(parts[p], outputOffsets[output], into, p * n, n);
    }

    public void readOutput(int output, MemorySegment into) {
        long bytes = (long) outputPerPart[output] * Float.BYTES;
        for (int p = 0; p < parts.length; p++) MemorySegment.copy(parts[p], outputOffsets[output], into, p * bytes, bytes);
    }
}
