/**
 * Compiles the graph IR to a static plan and runs it; also the reference interpreter, the oracle of every test, and
 * image preprocessing (ImageIO, from {@code java.desktop}). The data flow, by package: {@code compile.passes} rewrite
 * the graph, {@code compile} plans the arena and binds the kernels, {@code runtime} runs the steps on the model's
 * threads; {@code diagnostics} brings the JIT to steady state and measures the machine. Users call the API in
 * {@code googlenet.engine} (Model, Session, Options), {@code image}, {@code plan} (what a plan does) and
 * {@code reference}.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module googlenet.engine {
    requires transitive googlenet.graph;
    requires googlenet.kernels;
    requires jdk.management;
    requires java.desktop;
    exports googlenet.engine;
    exports googlenet.engine.image;
    exports googlenet.engine.plan;
    exports googlenet.engine.reference;
    exports googlenet.engine.diagnostics to googlenet.cli;
}
