/** Compute kernels over float32 tensors and their scalar reference twins. Knows nothing of the graph. */
module googlenet.kernels {
    requires static jdk.incubator.vector;
    requires jdk.management;
    exports googlenet.kernels;
    exports googlenet.kernels.conv;
    exports googlenet.kernels.dense;
    exports googlenet.kernels.layout;
    exports googlenet.kernels.norm;
    exports googlenet.kernels.pooling;
    exports googlenet.kernels.reference;
}
