package googlenet.perf;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import googlenet.graph.onnx.OnnxExporter;
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

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The same graph with the same weights on ONNX Runtime's CPU engine (MLAS), all graph optimizations on. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class OnnxRuntimeBenchmark {
    @Param({"d2l", "torchvision"})
    public String model;

    @Param({"1", "8"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private OrtEnvironment env;
    private OrtSession session;
    private OnnxTensor input;
    private String inputName;

    @Setup(Level.Trial)
    public void setUp() throws OrtException {
        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(OnnxExporter.export(Networks.seeded(model, batch)), options);
        inputName = session.getInputNames().iterator().next();
        input = OnnxTensor.createTensor(env, FloatBuffer.wrap(Networks.image(batch)), new long[]{batch, 3, 224, 224});
    }

    @Benchmark
    public Object infer() throws OrtException {
        try (OrtSession.Result r = session.run(Map.of(inputName, input))) {
            return ((float[][]) r.get(0).getValue())[0][0];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        input.close();
        session.close();
    }
}
