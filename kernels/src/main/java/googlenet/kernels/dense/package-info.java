/** Linear layers (GEMV/GEMM), softmax and elementwise kernels over features stored as NCHWc with H = W = 1. */
package googlenet.kernels.dense;
