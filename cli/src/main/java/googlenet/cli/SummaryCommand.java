package googlenet.cli;

import googlenet.graph.Graph;
import googlenet.graph.Shape;
import googlenet.graph.models.Builtins;
import googlenet.graph.report.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A torchinfo-style table of the network. */
@Command(name = "summary", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Print the layer tree with output shapes, parameters and multiply-adds, and the totals.")
final class SummaryCommand implements Runnable {
    @Mixin
    ModelOptions model;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--outputs", split = ",", paramLabel = "NAME",
            description = "Outputs to count (default: the first, e.g. logits; torchvision's aux1,aux2 only when named).")
    List<String> outputs;

    @Option(names = "--json", description = "Print a JSON object instead of the table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        print(spec.commandLine().getOut(), model, shape, outputs, json);
    }

    static void print(PrintWriter out, ModelOptions model, Shape shape, List<String> outputs, boolean json) {
        model.checkWeightsFit(shape);
        Graph full = model.structure(shape, Builtins.DEFAULT_CLASSES);
        List<String> kept = outputs == null ? List.of(full.outputs().keySet().iterator().next()) : outputs;
        Graph graph = full.keepOutputs(kept);
        ModelSummary summary = ModelSummary.of(graph);
        if (json) {
            out.println(Json.write(toJson(summary, kept)));
            return;
        }
        out.print(summary.toTable());
        List<String> omitted = new ArrayList<>(full.outputs().keySet());
        omitted.removeAll(kept);
        if (!omitted.isEmpty()) {
            out.println("Outputs " + omitted + " and the layers only they need are not counted; --outputs "
                    + String.join(",", full.outputs().keySet()) + " counts them.");
        }
    }

    private static Map<String, Object> toJson(ModelSummary s, List<String> outputs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("input", dims(s.input()));
        m.put("outputs", outputs);
        m.put("totalParams", s.totalParams());
        m.put("trainableParams", s.totalParams() - s.nonTrainableParams());
        m.put("multAdds", s.multAdds());
        m.put("inputMB", s.inputBytes() / 1e6);
        m.put("activationMB", s.activationBytes() / 1e6);
        m.put("paramsMB", s.paramBytes() / 1e6);
        List<Object> layers = new ArrayList<>();
        for (ModelSummary.Row r : s.rows()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("name", r.name());
            l.put("type", r.typeName());
            l.put("depth", r.depth());
            l.put("module", r.isModule());
            l.put("outputShape", dims(r.outputShape()));
            l.put("params", r.params());
            l.put("multAdds", r.multAdds());
            layers.add(l);
        }
        m.put("layers", layers);
        return m;
    }

    private static List<Integer> dims(Shape s) {
        List<Integer> d = new ArrayList<>();
        for (int v : s.dims()) d.add(v);
        return d;
    }
}
