package googlenet.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named weight tensors, keyed as PyTorch's state_dict ({@code "2.0.p1_1.weight"}). Immutable map. */
public final class Weights {
    public static final Weights NONE = new Weights(Map.of());

    private final Map<String, Tensor> tensors;

    private Weights(Map<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    public static Weights of(Map<String, Tensor> tensors) {
        return new Weights(Collections.unmodifiableMap(new LinkedHashMap<>(tensors)));
    }

    public Tensor get(String key) {
        return tensors.get(key);
    }

    public boolean isEmpty() {
        return tensors.isEmpty();
    }

    public Set<String> keys() {
        return tensors.keySet();
    }

    public Map<String, Tensor> asMap() {
        return tensors;
    }
}
