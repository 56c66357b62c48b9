/** Normalization kernels over NCHWc tensors: LRN across channels, per-channel affine. */
package googlenet.kernels.norm;
