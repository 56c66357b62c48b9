package googlenet.perf;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.Session;
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

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Model source to a session ready to run, in a warm JVM (JMH's warm-up iterations load it again and again): the same
 * ONNX bytes in memory for both engines, batch 1, one thread. Ours parses the ONNX, runs the passes, packs the weights
 * and plans the arena; ONNX Runtime creates its session with all graph optimizations. Neither includes JIT warm-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class LoadBenchmark {
    @Param({"d2l", "torchvision"})
    public String model;

    private byte[] onnx;
    private OrtEnvironment env;

    @Setup(Level.Trial)
    public void setUp() {
        onnx = OnnxExporter.export(Networks.seeded(model, 1));
        env = OrtEnvironment.getEnvironment();
    }

    @Benchmark
    public long ours() throws IOException {
        try (Model m = Model.load(onnx, model + ".onnx", Options.threads(1));
             Session s = m.newSession(1)) {
            return s.inputShape().elements();
        }
    }

    @Benchmark
    public long onnxRuntime() throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(onnx, options)) {
                return session.getNumInputs();
            }
        }
    }
}
