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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** The IR as a picture: DOT on stdout, or SVG through Graphviz. */
@Command(name = "graph", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Draw the model's graph: --dot prints Graphviz DOT, --svg FILE renders it with Graphviz's dot.")
final class GraphCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--dot", description = "Print the graph in DOT (the default).")
    boolean dot;

    @Option(names = "--svg", paramLabel = "FILE", description = "Render to SVG with Graphviz (Debian package graphviz).")
    Path svg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Graph graph = model.structure(shape, Builtins.DEFAULT_CLASSES);
        String text = GraphDot.render(graph);
        if (svg == null) {
            spec.commandLine().getOut().print(text);
            return ExitCode.OK;
        }
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new BadInputException("--svg needs Graphviz's 'dot', which is not installed: apt-get install graphviz "
                    + "(or use --dot and render elsewhere)");
        }
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("dot failed: " + log.strip());
        }
        spec.commandLine().getOut().println(svg + ": " + graph.nodes().size() + " nodes drawn (" + Files.size(svg) + " bytes)");
        return ExitCode.OK;
    }
}
