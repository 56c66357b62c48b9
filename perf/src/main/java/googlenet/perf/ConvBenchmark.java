package googlenet.perf;

import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.conv.Conv2dKernels;
import googlenet.kernels.conv.ConvGeometry;
import googlenet.kernels.conv.PackedConvWeights;
import googlenet.kernels.conv.WinogradWeights;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One conv kernel on one thread, every task in order: the shape is "in,out,kernel,stride,pad,H,W" (H×W the
 * input), with ",winograd" after it for the Winograd F(4×4, 3×3) kernel of a 3×3 stride-1 convolution. {@link ConvTable} runs every distinct conv shape of GoogLeNet and turns times into GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class ConvBenchmark {
    @Param({"64,192,3,1,1,56,56"})
    public String shape;

    private Arena arena;
    private MemorySegment memory;
    private MemorySegment scratch;
    private Kernel kernel;

    record ConvShape(int in, int out, int kernel, int stride, int pad, int h, int w, boolean winograd) {
        static ConvShape parse(String s) {
            String[] p = s.split(",");
            return new ConvShape(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    Integer.parseInt(p[3]), Integer.parseInt(p[4]), Integer.parseInt(p[5]), Integer.parseInt(p[6]),
                    p.length > 7 && p[7].equals("winograd"));
        }

        ConvGeometry geometry() {
            return ConvGeometry.of(in, out, kernel, stride, pad);
        }

        long multAdds() {
            return geometry().multAdds(h, w);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        ConvShape s = ConvShape.parse(shape);
        ConvGeometry g = s.geometry();
        SplittableRandom random = new SplittableRandom(1);
        float[] weights = new float[s.out() * s.in() * s.kernel() * s.kernel()];
        for (int i = 0; i < weights.length; i++) weights[i] = (float) random.nextDouble(-0.1, 0.1);
        float[] bias = new float[s.out()];
        arena = Arena.ofShared();
        BlockedTensor in = BlockedTensor.dense(0, 1, s.in(), s.h(), s.w());
        long inBytes = BlockedTensor.bytes(1, s.in(), s.h(), s.w());
        BlockedTensor out = BlockedTensor.dense(inBytes, 1, s.out(), g.outHeight(s.h()), g.outWidth(s.w()));
        memory = arena.allocate(out.end(), 64);
        for (long i = 0; i < inBytes / 4; i++) memory.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, (float) random.nextDouble());
        kernel = s.winograd()
                ? Conv2dKernels.createWinograd(WinogradWeights.pack(g, MemorySegment.ofArray(weights),
                        MemorySegment.ofArray(bias), arena), true, in, out)
                : Conv2dKernels.create(g, PackedConvWeights.pack(g, weights, bias, arena), true, in, out);
        scratch = arena.allocate(Math.max(64, kernel.scratchBytes()), 64);
    }

    @Benchmark
    public void conv() {
        for (int t = 0; t < kernel.tasks(); t++) kernel.run(memory, t, scratch);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
