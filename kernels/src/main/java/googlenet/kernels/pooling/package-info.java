/** Max, average, adaptive and global average pooling over NCHWc tensors, vector and scalar. */
package googlenet.kernels.pooling;
