package googlenet.cli;

import googlenet.engine.reference.ReferenceInterpreter;
import googlenet.graph.Graph;
import googlenet.graph.GraphException;
import googlenet.graph.Tensor;
import googlenet.graph.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Runs a model on an input .npy file and writes its first output as .npy. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a model on the input tensor in an .npy file (float32, N,C,H,W) and write the output as .npy.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--input", required = true, paramLabel = "x.npy", description = "Input tensor, float32 N,C,H,W.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "y.npy", description = "Where to write the output.")
    Path output;

    @Option(names = "--check-finite", description = "Exit with code 3 if the output holds NaN or infinity.")
    boolean checkFinite;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Tensor x = Npy.read(input);
        Graph graph;
        try {
            graph = model.withWeights(x.shape());
        } catch (GraphException e) {
            throw new GraphException(input + ": " + e.getMessage(), e);
        }
        long start = System.nanoTime();
        Tensor y = ReferenceInterpreter.run(graph, x);
        double ms = (System.nanoTime() - start) / 1e6;
        Npy.write(output, y);
        spec.commandLine().getOut().printf("%s: %s %s written (%s, reference interpreter, %.1f ms)%n",
                output, graph.outputs().keySet().iterator().next(), y.shape(), model.model, ms);
        if (checkFinite) {
            long bad = NonFinite.count(y.data());
            if (bad > 0) {
                spec.commandLine().getErr().println("run: " + bad + " of " + y.data().length
                        + " output values are NaN or infinite (output written to " + output + ")");
                return ExitCode.NON_FINITE;
            }
        }
        return ExitCode.OK;
    }
}
