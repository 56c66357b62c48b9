package googlenet.graph.onnx;

import googlenet.graph.op.Padding;

/** What an ONNX value is while importing: a node of the graph, a constant, or something folded into its consumer. */
sealed interface Value permits Value.Real, Const, Affine, Value.Padded, PendingLinear, Value.Unavailable {
    /** The output of a graph node. */
    record Real(String node) implements Value {
    }

    /** A constant Pad of a node, to be folded into the conv or pool that consumes it. */
    record Padded(String src, Padding padding, float value, String onnxNode) implements Value {
    }

    /** An output this importer does not compute (a Dropout mask, a MaxPool's indices). */
    record Unavailable(String reason) implements Value {
    }
}
