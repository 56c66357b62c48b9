package googlenet.graph.op;

import googlenet.graph.Shape;

import java.util.List;

/**
 * A producer with an elementwise epilogue applied as it stores, e.g. conv + ReLU. Made by the engine's
 * fusion pass; computes exactly what the two nodes computed, and its weights are the producer's.
 */
public record Fused(Op producer, Op epilogue) implements Op {
    public Fused {
        if (producer.pattern() != OpPattern.OUTPUT_FUSABLE || epilogue.pattern() != OpPattern.ELEMENTWISE) {
            throw new IllegalArgumentException("cannot fuse " + epilogue.typeName() + " into " + producer.typeName());
        }
    }

    @Override
    public String typeName() {
        return producer.typeName() + "+" + epilogue.typeName();
    }

    @Override
    public int arity() {
        return producer.arity();
    }

    @Override
    public OpPattern pattern() {
        return OpPattern.OUTPUT_FUSABLE;
    }

    @Override
    public Shape inferShape(String node, List<Shape> inputs) {
        return epilogue.inferShape(node, List.of(producer.inferShape(node, inputs)));
    }

    @Override
    public List<Param> params(List<Shape> inputs) {
        return producer.params(inputs);
    }

    @Override
    public long multAdds(List<Shape> inputs, Shape output) {
        return producer.multAdds(inputs, output);
    }

    @Override
    public String attributes() {
        return producer.attributes();
    }
}
