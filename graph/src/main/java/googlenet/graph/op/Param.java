package googlenet.graph.op;

import googlenet.graph.Shape;

/**
 * A tensor a node needs besides its inputs, stored in the graph's weights as
 * {@code nodeName + "." + role} (PyTorch's state_dict naming).
 *
 * @param learned true for trained tensors (counted as parameters), false for buffers such as
 *                BatchNorm's running statistics
 */
public record Param(String role, Shape shape, boolean learned) {
}
