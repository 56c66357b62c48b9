/**
 * ONNX export of the graph IR ({@link googlenet.graph.onnx.OnnxExporter}). The protobuf classes it writes with,
 * {@code googlenet.graph.onnx.proto.OnnxProto}, are generated at build time from {@code src/main/proto/onnx.proto}
 * and stay inside the module.
 */
package googlenet.graph.onnx;
