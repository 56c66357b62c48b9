package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** The IR as a picture: DOT on stdout, or SVG laid out by {@link GraphSvg}. */
@Command(name = "graph", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Draw the model's graph: --dot prints Graphviz DOT, --svg FILE draws it as SVG.")
final class GraphCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--dot", description = "Print the graph in DOT (the default).")
    boolean dot;

    @Option(names = "--svg", paramLabel = "FILE", description = "Draw to an SVG file: Inception blocks as frames with their branches side by side, layers in columns.")
    Path svg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Graph graph = model.structure(shape, Builtins.DEFAULT_CLASSES);
        String text = GraphDot.render(graph);
        if (svg == null) {
            spec.commandLine().getOut().print(text);
            return ExitCode.OK;
        }
        Files.writeString(svg, GraphSvg.render(graph, "graph of " + model.model + ", input "
                + graph.inputs().stream().map(n -> n.shape().toListString()).collect(Collectors.joining(", ")) + ": "
                + graph.nodes().size() + " nodes"));
        spec.commandLine().getOut().println(svg + ": " + graph.nodes().size() + " nodes drawn (" + Files.size(svg) + " bytes)");
        return ExitCode.OK;
    }
}
