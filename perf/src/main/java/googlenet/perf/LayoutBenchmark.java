package googlenet.perf;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.layout.PackInput;
import googlenet.kernels.pooling.MaxPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The data-movement kernels against a plain copy of their input's bytes, one thread, every task in order. A case is
 * "pack,C,H,W,vector|scalar" (NCHW → NCHWc of one image) or "maxpool,C,H,W,kernel,stride,pad,vector|scalar" (H×W
 * the input). {@link #copy} copies the kernel's input bytes ({@code MemorySegment.copy}) to a region of the same
 * size; {@link LayoutTable} runs GoogLeNet's cases and prints kernel / copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class LayoutBenchmark {
    @Param({"pack,3,224,224,vector"})
    public String shape;

    private Arena arena;
    private MemorySegment memory;
    private Kernel kernel;
    private long inBytes;
    private long copyTo;

    /** A parsed case: its kernel over an input at 0, an output after it, and a copy target after that. */
    record Case(String kind, int[] dims, boolean vector) {
        static Case parse(String s) {
            String[] p = s.split(",");
            int[] dims = new int[p.length - 2];
            for (int i = 0; i < dims.length; i++) dims[i] = Integer.parseInt(p[i + 1]);
            return new Case(p[0], dims, p[p.length - 1].equals("vector"));
        }

        int channels() {
            return dims[0];
        }

        int height() {
            return dims[1];
        }

        int width() {
            return dims[2];
        }

        long inputBytes() {
            return kind.equals("pack") ? (long) channels() * height() * width() * Float.BYTES
                    : BlockedTensor.bytes(1, channels(), height(), width());
        }

        int outSize(int size) {
            return (size + 2 * dims[5] - dims[3]) / dims[4] + 1;
        }

        BlockedTensor output(long at) {
            return kind.equals("pack") ? BlockedTensor.dense(at, 1, channels(), height(), width())
                    : BlockedTensor.dense(at, 1, channels(), outSize(height()), outSize(width()));
        }

        Kernel kernel(BlockedTensor out) {
            if (kind.equals("pack")) return vector ? PackInput.create(0, out) : PackInput.createScalar(0, out);
            BlockedTensor in = BlockedTensor.dense(0, 1, channels(), height(), width());
            int k = dims[3], s = dims[4], pad = dims[5];
            return vector ? MaxPool.create(in, out, k, k, s, s, pad, pad, pad, pad, false)
                    : MaxPool.createScalar(in, out, k, k, s, s, pad, pad, pad, pad, false);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        Case c = Case.parse(shape);
        inBytes = c.inputBytes();
        long outAt = align(inBytes);
        BlockedTensor out = c.output(outAt);
        copyTo = align(out.end());
        arena = Arena.ofShared();
        memory = arena.allocate(copyTo + inBytes, 64);
        SplittableRandom random = new SplittableRandom(1);
        for (long i = 0; i < inBytes / 4; i++) memory.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble(-1, 1));
        kernel = c.kernel(out);
    }

    private static long align(long at) {
        return (at + 4095) & ~4095L;
    }

    @Benchmark
    public void kernel() {
        Kernel k = kernel;
        MemorySegment m = memory;
        for (int t = 0, n = k.tasks(); t < n; t++) k.run(m, t);
    }

    @Benchmark
    public void copy() {
        MemorySegment.copy(memory, 0, memory, copyTo, inBytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
