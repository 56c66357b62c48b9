/** Convolution kernels over NCHWc tensors: weight packing, Vector API register-tiled kernels, scalar twins. */
package googlenet.kernels.conv;
