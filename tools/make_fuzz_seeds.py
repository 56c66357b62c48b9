#!/usr/bin/python3
"""Makes the seed inputs of the fuzz tests: small valid files (and a few near misses) that the fuzzer mutates.

Run with Debian's python (packages python3-numpy, python3-onnx):

    /usr/bin/python3 tools/make_fuzz_seeds.py

Writes under fuzz/src/test/resources/googlenet/fuzz/, where Jazzer's JUnit integration finds them and every
`mvn verify` replays them:
  OnnxImporterFuzzTestInputs/load/   tiny models: conv net, an Inception-like block with concat, LRN, BatchNorm,
                                     average pool, dropout, softmax, a folded Pad and a per-channel affine
  SafeTensorsFuzzTestInputs/read/    F32, F16, BF16 and I64-counter files
  NpyFuzzTestInputs/read/            version 1.0, 2.0 and 3.0 float32 files of rank 1-4
Crash inputs the fuzzer finds are added to the same folders by hand, once fixed, and replay from then on.
Everything is seeded, so reruns give the same files.
"""
import json
import os
import struct

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BASE = os.path.join(ROOT, "fuzz", "src", "test", "resources", "googlenet", "fuzz")
rng = np.random.default_rng(7)


def out(target, method, name, data):
    d = os.path.join(BASE, target + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def w(name, *shape):
    return numpy_helper.from_array(rng.uniform(-1, 1, shape).astype(np.float32), name)


def model(nodes, inits, inp, outp, opset=13):
    g = helper.make_graph(nodes, "seed", [helper.make_tensor_value_info("x", TensorProto.FLOAT, inp)],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, outp)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])
    m.ir_version = 7
    return m.SerializeToString()


# conv → relu → max pool → global average pool → flatten → gemm
out("OnnxImporterFuzzTest", "load", "conv_net.onnx", model([
    helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("GlobalAveragePool", ["p"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["f"], name="flat", axis=1),
    helper.make_node("Gemm", ["f", "fw", "fb"], ["y"], name="fc", transB=1),
], [w("w", 2, 1, 3, 3), w("b", 2), w("fw", 3, 2), w("fb", 3)], ["N", 1, 6, 6], ["N", 3]))

# two branches concatenated, LRN, BatchNorm, average pool (ceil), dropout, softmax
out("OnnxImporterFuzzTest", "load", "inception_block.onnx", model([
    helper.make_node("Conv", ["x", "w1"], ["a"], name="b1", kernel_shape=[1, 1]),
    helper.make_node("Conv", ["x", "w3", "b3"], ["b"], name="b3", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("Concat", ["a", "b"], ["cat"], name="cat", axis=1),
    helper.make_node("LRN", ["cat"], ["l"], name="lrn", size=3, alpha=1e-4, beta=0.75, bias=1.0),
    helper.make_node("BatchNormalization", ["l", "s", "o", "m", "v"], ["n"], name="bn", epsilon=1e-5),
    helper.make_node("AveragePool", ["n"], ["ap"], name="ap", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    helper.make_node("Dropout", ["ap"], ["d"], name="drop"),
    helper.make_node("Flatten", ["d"], ["f"], name="flat"),
    helper.make_node("Gemm", ["f", "fw"], ["z"], name="fc", transB=1),
    helper.make_node("Softmax", ["z"], ["y"], name="soft", axis=1),
], [w("w1", 2, 2, 1, 1), w("w3", 2, 2, 3, 3), w("b3", 2), w("s", 4), w("o", 4), w("m", 4),
    numpy_helper.from_array(np.abs(rng.uniform(0.5, 1, 4)).astype(np.float32), "v"), w("fw", 3, 16)],
    [1, 2, 5, 5], [1, 3], opset=12))

# a zero Pad folded into a conv, per-channel affine (Mul, Add by constants), matmul + add head
out("OnnxImporterFuzzTest", "load", "pad_affine_matmul.onnx", model([
    helper.make_node("Mul", ["x", "k"], ["xm"], name="scale"),
    helper.make_node("Add", ["xm", "k0"], ["xa"], name="shift"),
    helper.make_node("Pad", ["xa", "pads"], ["xp"], name="pad", mode="constant"),
    helper.make_node("Conv", ["xp", "w"], ["c"], name="conv", kernel_shape=[3, 3], strides=[2, 2]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("Reshape", ["r", "shape"], ["f"], name="reshape"),
    helper.make_node("MatMul", ["f", "mw"], ["mm"], name="mm"),
    helper.make_node("Add", ["mm", "mb"], ["y"], name="bias"),
], [numpy_helper.from_array(np.array([[[[2.0]], [[0.5]]]], np.float32), "k"),
    numpy_helper.from_array(np.array([[[[0.1]], [[-0.2]]]], np.float32), "k0"),
    numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64), "pads"),
    w("w", 2, 2, 3, 3), numpy_helper.from_array(np.array([1, -1], np.int64), "shape"), w("mw", 18, 2), w("mb", 2)],
    [1, 2, 5, 5], [1, 2]))


def safetensors(tensors, metadata=None):
    header, data, off = {}, b"", 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(raw)]}
        data += raw
        off += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


f32 = rng.uniform(-1, 1, (2, 1, 3, 3)).astype(np.float32)
out("SafeTensorsFuzzTest", "read", "f32.safetensors", safetensors({
    "conv.weight": ("F32", [2, 1, 3, 3], f32.tobytes()), "conv.bias": ("F32", [2], np.float32([0.5, -1]).tobytes())},
    {"format": "pt"}))
out("SafeTensorsFuzzTest", "read", "f16_bf16_counter.safetensors", safetensors({
    "a": ("F16", [3], np.float16([1.5, -2, 65504]).tobytes()),
    "b": ("BF16", [2, 1], (np.float32([3, -0.5]).view(np.uint32) >> 16).astype(np.uint16).tobytes()),
    "bn.num_batches_tracked": ("I64", [], struct.pack("<q", 100))}))
out("SafeTensorsFuzzTest", "read", "empty.safetensors", safetensors({}))


def npy(major, shape, data, fortran=False, descr="<f4"):
    d = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, tuple(shape))
    lb = 2 if major == 1 else 4
    pad = -(8 + lb + len(d) + 1) % 64
    h = (d + " " * pad + "\n").encode("utf-8" if major == 3 else "latin-1")
    return b"\x93NUMPY" + bytes([major, 0]) + struct.pack("<H" if lb == 2 else "<I", len(h)) + h + data


out("NpyFuzzTest", "read", "v1_2x3.npy", npy(1, [2, 3], np.arange(6, dtype="<f4").tobytes()))
out("NpyFuzzTest", "read", "v2_4.npy", npy(2, [4], np.float32([1, -1, np.inf, np.nan]).tobytes()))
out("NpyFuzzTest", "read", "v3_1x2x2x2.npy", npy(3, [1, 2, 2, 2], rng.uniform(-1, 1, 8).astype("<f4").tobytes()))
out("NpyFuzzTest", "read", "fortran.npy", npy(1, [2, 2], np.zeros(4, "<f4").tobytes(), fortran=True))
out("NpyFuzzTest", "read", "f8.npy", npy(1, [2], np.zeros(2, "<f8").tobytes(), descr="<f8"))
