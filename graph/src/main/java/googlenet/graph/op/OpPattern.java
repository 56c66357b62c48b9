package googlenet.graph.op;

/**
 * How an op combines with its neighbours, after TVM's pattern lattice: an {@link #ELEMENTWISE} op fuses
 * into an {@link #OUTPUT_FUSABLE} producer as its epilogue; {@link #INJECTIVE} ops move or alias data
 * without arithmetic; {@link #OPAQUE} ops fuse with nothing.
 */
public enum OpPattern {
    ELEMENTWISE, OUTPUT_FUSABLE, INJECTIVE, OPAQUE
}
