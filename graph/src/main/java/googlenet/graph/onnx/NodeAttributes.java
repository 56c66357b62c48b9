package googlenet.graph.onnx;

import googlenet.graph.GraphException;
import googlenet.graph.onnx.proto.OnnxProto.AttributeProto;
import googlenet.graph.onnx.proto.OnnxProto.NodeProto;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One node's attributes while its converter runs: typed getters with defaults, and a record of which it read, so that
 * an attribute no converter understood is refused ({@link #checkAllRead}) rather than silently ignored.
 */
final class NodeAttributes {
    private final NodeProto node;
    /** Makes the error for this node: its name and op type, then what is wrong. */
    private final Function<String, GraphException> unsupported;
    private final Set<String> read = new HashSet<>();

    NodeAttributes(NodeProto node, Function<String, GraphException> unsupported) {
        this.node = node;
        this.unsupported = unsupported;
    }

    /** The attribute, or null; either way it counts as read. */
    AttributeProto attr(String name) {
        read.add(name);
        for (AttributeProto a : node.getAttributeList()) if (a.getName().equals(name)) return a;
        return null;
    }

    void checkType(AttributeProto a, AttributeProto.AttributeType type) {
        if (a.getType() != AttributeProto.AttributeType.UNDEFINED && a.getType() != type) {
            throw unsupported.apply("attribute '" + a.getName() + "' is " + a.getType() + ", expected " + type);
        }
    }

    long i(String name, long def) {
        AttributeProto a = attr(name);
        if (a == null) return def;
        checkType(a, AttributeProto.AttributeType.INT);
        return a.getI();
    }

    float f(String name, float def) {
        AttributeProto a = attr(name);
        if (a == null) return def;
        checkType(a, AttributeProto.AttributeType.FLOAT);
        return a.getF();
    }

    long[] ints(String name, long[] def) {
        AttributeProto a = attr(name);
        if (a == null) return def;
        checkType(a, AttributeProto.AttributeType.INTS);
        return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    String s(String name, String def) {
        AttributeProto a = attr(name);
        if (a == null) return def;
        checkType(a, AttributeProto.AttributeType.STRING);
        return a.getS().toStringUtf8();
    }

    void ignore(String... names) {
        read.addAll(List.of(names));
    }

    /** Refuses the node if it has an attribute no getter asked for and {@link #ignore} did not name. */
    void checkAllRead() {
        for (AttributeProto a : node.getAttributeList()) {
            if (!read.contains(a.getName())) throw unsupported.apply("attribute '" + a.getName() + "' is not supported");
        }
    }
}
