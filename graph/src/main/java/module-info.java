/** The graph IR of the GoogLeNet family: typed nodes, shape inference, builders, tensors and .npy files. */
@SuppressWarnings("module") // qualified exports name modules built after this one
module googlenet.graph {
    requires com.google.protobuf;
    exports googlenet.graph;
    exports googlenet.graph.io;
    exports googlenet.graph.op;
    exports googlenet.graph.models;
    exports googlenet.graph.report to googlenet.cli;
    exports googlenet.graph.onnx;
}
