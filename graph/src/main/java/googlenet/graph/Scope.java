package googlenet.graph;

/**
 * A named group of nodes, e.g. {@code Scope("2.0", "Inception")}: every node whose name starts with
 * {@code path + "."} (or {@code path + "/"}, Caffe's separator) belongs to it. Scopes carry the module tree of the network for walks, tables
 * and pictures; they do not change what the graph computes.
 */
public record Scope(String path, String typeName) {
    public boolean contains(String nodeName) {
        return nodeName.length() > path.length() + 1 && nodeName.startsWith(path)
                && (nodeName.charAt(path.length()) == '.' || nodeName.charAt(path.length()) == '/');
    }
}
