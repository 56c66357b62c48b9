package googlenet.graph.onnx;

import googlenet.graph.Tensor;

/** x·Wᵀ + b from MatMul or Gemm: a later Add of a constant can still join the bias. */
final class PendingLinear implements Value {
    final String src;
    final int in;
    final int out;
    /** [out, in]. */
    final Tensor weight;
    float[] bias;
    final String name;
    String materialized;

    PendingLinear(String src, int in, int out, Tensor weight, float[] bias, String name) {
        this.src = src;
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
        this.name = name;
    }
}
