package googlenet.cli;

import googlenet.graph.Shape;
import googlenet.graph.report.LayerWalk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;

/** The seed's walk: one line per layer, Inception blocks as one line. */
@Command(name = "walk", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Print each layer's output shape, as the seed's walk of its network does (default input 1,3,227,227, 10 classes).")
final class WalkCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Option(names = "--shape", defaultValue = "1,3,227,227", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        print(spec.commandLine().getOut(), model, shape);
    }

    static void print(PrintWriter out, ModelOptions model, Shape shape) {
        for (LayerWalk.Layer layer : LayerWalk.of(model.structure(shape, 10))) out.println(layer);
    }
}
