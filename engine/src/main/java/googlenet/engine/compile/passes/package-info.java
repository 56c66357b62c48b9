/**
 * Graph-to-graph rewrites for inference, run before planning: prune to the requested outputs, drop identities, fold
 * BatchNorm into the convolution before it, fuse ReLU into its producer. Internal to the engine.
 */
package googlenet.engine.compile.passes;
