/**
 * Compute kernels over float32 tensors and their scalar reference twins. Knows nothing of the graph. Exported only to
 * the engine, which binds them to plan steps, and to the command line's machine report ({@code info}).
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module googlenet.kernels {
    requires static jdk.incubator.vector;
    requires jdk.management;
    exports googlenet.kernels to googlenet.engine, googlenet.cli;
    exports googlenet.kernels.conv to googlenet.engine;
    exports googlenet.kernels.dense to googlenet.engine;
    exports googlenet.kernels.layout to googlenet.engine;
    exports googlenet.kernels.norm to googlenet.engine;
    exports googlenet.kernels.pooling to googlenet.engine;
    exports googlenet.kernels.reference to googlenet.engine;
}
