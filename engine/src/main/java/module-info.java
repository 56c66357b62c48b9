/** Compiles the graph IR to a static plan and runs it; also the reference interpreter, the oracle of every test. */
module googlenet.engine {
    requires transitive googlenet.graph;
    requires googlenet.kernels;
    exports googlenet.engine.passes;
    exports googlenet.engine.reference;
}
