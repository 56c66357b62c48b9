package googlenet.cli;

import googlenet.engine.Model;
import googlenet.engine.Options;
import googlenet.engine.plan.ConcatPlacement;
import googlenet.engine.plan.Plan;
import googlenet.engine.plan.StepInfo;
import googlenet.graph.Shape;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Shows the compiled plan: steps, fusion, arena offsets, memory against its lower bound, concat placement. */
@Command(name = "plan", mixinStandardHelpOptions = true, addMethodSubcommands = false,
        description = "Compile a model and print its execution plan and memory plan.")
final class PlanCommand implements Callable<Integer> {
    private static final String CONV = "Conv2d";
    /** What a Winograd kernel's describe() says. */
    private static final String WINOGRAD = "winograd";

    @Mixin
    ModelOptions model;

    @Mixin
    EngineOptions engineOptions;

    @Option(names = "--shape", defaultValue = "1,3,224,224", converter = ShapeConverter.class, paramLabel = "N,C,H,W",
            description = "Input shape (default: ${DEFAULT-VALUE}).")
    Shape shape;

    @Option(names = "--outputs", split = ",", paramLabel = "NAME", description = "Outputs to compute (default: the first).")
    List<String> outputs;

    @Option(names = "--json", description = "Print a JSON object instead of the table.")
    boolean json;

    @Option(names = "--svg", paramLabel = "FILE", description = "Draw the memory plan: step on x, arena offset on y.")
    Path svg;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Options options = engineOptions.apply(Options.threads(1)).withOutputs(outputs == null ? List.of() : outputs);
        try (Model m = Model.load(model.withWeights(shape), options)) {
            Plan plan = m.plan(shape.dim(0));
            if (svg != null) {
                Files.writeString(svg, MemoryPlanSvg.render(plan, "memory plan of " + model.model + ", input " + plan.inputShape().toListString()));
            }
            if (json) {
                out.println(Json.write(toJson(plan)));
            } else {
                print(out, plan);
                if (svg != null) out.println("memory plan drawn to " + svg);
            }
        }
        return ExitCode.OK;
    }

    private static void print(PrintWriter out, Plan plan) {
        out.printf("%-4s %5s %-28s %-22s %14s %12s  %s%n", "step", "level", "node", "op", "out offset", "out bytes", "kernel");
        int i = 0;
        for (StepInfo s : plan.steps()) {
            out.printf("%-4d %5d %-28s %-22s %14d %12d  %s%n", i++, s.level(), s.node(), s.op(), s.outputOffset(),
                    s.outputBytes(), s.kernel());
        }
        out.printf("arena: %,d bytes; lower bound %,d bytes (%.3f×)%n", plan.arenaBytes(), plan.lowerBoundBytes(),
                plan.arenaBytes() / (double) Math.max(1, plan.lowerBoundBytes()));
        out.printf("concats: %d of %d in place (zero-copy)%n", plan.zeroCopyConcats(), plan.concats().size());
        for (ConcatPlacement c : plan.concats()) {
            if (!c.zeroCopy()) out.println("  copied: " + c.node() + " — " + c.reason());
        }
        out.printf("winograd convolutions: %d of %d%n", winogradConvolutions(plan), convolutions(plan));
    }

    /** A convolution step, fused ("Conv2d+ReLU") or not. */
    private static boolean isConvolution(StepInfo s) {
        return s.op().equals(CONV) || s.op().startsWith(CONV + "+");
    }

    private static long convolutions(Plan plan) {
        return plan.steps().stream().filter(PlanCommand::isConvolution).count();
    }

    private static long winogradConvolutions(Plan plan) {
        return plan.steps().stream().filter(s -> isConvolution(s) && s.kernel().contains(WINOGRAD)).count();
    }

    private static Map<String, Object> toJson(Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arenaBytes", plan.arenaBytes());
        m.put("lowerBoundBytes", plan.lowerBoundBytes());
        m.put("concats", plan.concats().size());
        m.put("zeroCopyConcats", plan.zeroCopyConcats());
        List<Object> copied = new ArrayList<>();
        for (ConcatPlacement c : plan.concats()) if (!c.zeroCopy()) copied.add(Map.of("node", c.node(), "reason", c.reason()));
        m.put("copiedConcats", copied);
        m.put("convolutions", convolutions(plan));
        m.put("winogradConvolutions", winogradConvolutions(plan));
        List<Object> steps = new ArrayList<>();
        for (StepInfo s : plan.steps()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("node", s.node());
            step.put("op", s.op());
            step.put("kernel", s.kernel());
            step.put("level", s.level());
            step.put("inputs", s.inputs());
            step.put("output", s.output());
            step.put("outputOffset", s.outputOffset());
            step.put("outputBytes", s.outputBytes());
            steps.add(step);
        }
        m.put("steps", steps);
        return m;
    }
}
