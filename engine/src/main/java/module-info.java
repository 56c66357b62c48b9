/**
 * Compiles the graph IR to a static plan and runs it; also the reference interpreter, the oracle of every test, and
 * image preprocessing (ImageIO, from {@code java.desktop}).
 */
module googlenet.engine {
    requires transitive googlenet.graph;
    requires transitive googlenet.kernels;
    requires jdk.management;
    requires java.desktop;
    exports googlenet.engine;
    exports googlenet.engine.image;
    exports googlenet.engine.passes;
    exports googlenet.engine.plan;
    exports googlenet.engine.reference;
}
