package googlenet.perf;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
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

import java.util.concurrent.TimeUnit;

/** One inference of a builtin network on this engine. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class EngineBenchmark {
    @Param({"d2l", "torchvision"})
    public String model;

    @Param({"1", "8"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Model engine;
    private Session session;
    private float[] input;
    private float[] output;

    @Setup(Level.Trial)
    public void setUp() {
        engine = Model.load(Networks.seeded(model, batch), Options.threads(threads));
        engine.warmUp(batch);
        session = engine.newSession(batch);
        input = Networks.image(batch);
        output = new float[batch * 1000];
    }

    @Benchmark
    public float[] infer() {
        session.run(input, output);
        return output;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
        engine.close();
    }
}
