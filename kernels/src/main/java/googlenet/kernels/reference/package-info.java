/**
 * Scalar reference kernels: plain NCHW float32 loops, short and obviously right. They are the oracle
 * that the Vector API kernels, the compiled engine and the property tests are checked against.
 */
package googlenet.kernels.reference;
