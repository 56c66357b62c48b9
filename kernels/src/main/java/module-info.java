/** Compute kernels over float32 tensors and their scalar reference twins. Knows nothing of the graph. */
module googlenet.kernels {
    requires static jdk.incubator.vector;
    exports googlenet.kernels;
    exports googlenet.kernels.layout;
    exports googlenet.kernels.reference;
}
