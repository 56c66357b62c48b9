package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.onnx.OnnxExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes a builtin network with its weights as an ONNX model (e.g. for ONNX Runtime side by side). */
@Command(name = "export", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Write the model and its weights as an ONNX file.")
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX file to write.")
    Path onnx;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--opset", defaultValue = "13", paramLabel = "V", description = "ONNX opset (default: ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--symbolic-batch", description = "Name the batch dimension 'N' instead of fixing it.")
    boolean symbolicBatch;

    @Option(names = "--outputs", split = ",", paramLabel = "NAME",
            description = "Outputs to export (default: the first; torchvision's aux heads pool adaptively, which ONNX cannot express at 224).")
    List<String> outputs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Graph graph = model.withWeights(shape);
        graph = graph.keepOutputs(outputs == null ? List.of(graph.outputs().keySet().iterator().next()) : outputs);
        OnnxExporter.write(graph, onnx, opset, symbolicBatch);
        spec.commandLine().getOut().printf("%s: %s, opset %d, %d nodes, %,d bytes%n", onnx, model.model, opset,
                graph.nodes().size(), Files.size(onnx));
        return ExitCode.OK;
    }
}
