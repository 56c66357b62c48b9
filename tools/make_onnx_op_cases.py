#!/usr/bin/python3
"""Makes the ONNX operator-case fixtures: ONNX's own node test cases for the ops GoogLeNet networks use.

Run with Debian's python (packages python3-onnx, python3-numpy; the counts below are those of python3-onnx 1.12):

    /usr/bin/python3 tools/make_onnx_op_cases.py [OUT_DIR]

OUT_DIR defaults to engine/src/test/resources/onnx-op-cases. The cases are those that ONNX's generators
(onnx.backend.test.case.node, the `expect(...)` calls) make for Conv, MaxPool, AveragePool, GlobalAveragePool,
LRN, BatchNormalization, Flatten, Squeeze, Pad and MatMul, restricted to what an image network's tensors are: FLOAT
data of rank 4 (images) or 2 (matrices) and one FLOAT output (no MaxPool indices, no training-mode statistics).
Every input but the first becomes an initializer (weights, bias, shapes, pads, axes), so each model has one input.

For every case NAME it writes NAME/model.onnx, NAME/input_0.pb and NAME/output_0.pb (TensorProto, as ONNX's own
backend test data are laid out), and index.tsv: one line per case with its op, its node, its opset, whether the importer
is expected to run it ("pass") or to refuse it ("refuse"), and for a refusal a phrase of the error that says why.
Inputs are drawn from a seeded generator, so reruns give the same files.
"""
import importlib
import os
import shutil
import sys

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "engine", "src", "test", "resources", "onnx-op-cases")
MAX_CASE_BYTES = 1 << 20

# ONNX's generator modules (onnx/backend/test/case/node/<module>.py) of the ops GoogLeNet networks use.
MODULES = ["conv", "maxpool", "averagepool", "globalaveragepool", "lrn", "batchnorm", "flatten", "squeeze", "pad",
           "matmul"]

# What the importer refuses, with a phrase of its error message.
REFUSED = {
    "test_maxpool_2d_dilations": "attribute 'dilations' [2, 2] is not supported",
    "test_constant_pad": "a constant Pad is supported only in front of a Conv, MaxPool or AveragePool",
    "test_squeeze": "is not supported (only N×C×1×1 → N×C)",
    "test_squeeze_negative_axes": "is not supported (only N×C×1×1 → N×C)",
    "test_matmul_4d": "only 2-D MatMul is supported",
}


def cases():
    """ONNX's node test cases of MODULES, made with np.random seeded per module."""
    registry = importlib.import_module("onnx.backend.test.case.node")
    made = []
    for module in MODULES:
        np.random.seed(19)
        before = len(registry._NodeTestCases)
        importlib.import_module("onnx.backend.test.case.node." + module)
        made.extend(registry._NodeTestCases[before:])
    return made


def image_network_case(case):
    """One node on FLOAT tensors of rank 2 or 4 with one FLOAT output."""
    graph = case.model.graph
    if len(graph.node) != 1 or len(graph.output) != 1 or len(case.data_sets) != 1:
        return False
    inputs, outputs = case.data_sets[0]
    return inputs[0].dtype == np.float32 and inputs[0].ndim in (2, 4) and outputs[0].dtype == np.float32


def with_one_input(case):
    """The case's model with every input after the first turned into an initializer of the case's data."""
    model = onnx.ModelProto()
    model.CopyFrom(case.model)
    inputs, _ = case.data_sets[0]
    graph = model.graph
    extra = list(graph.input)[1:]
    for value, array in zip(extra, inputs[1:]):
        graph.initializer.append(numpy_helper.from_array(array, value.name))
        graph.input.remove(value)
    onnx.checker.check_model(model)
    return model


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    index = ["# case\top\tnode (its name or first output)\topset\texpected\trefusal (a phrase of the importer's error)"]
    written = 0
    for case in cases():
        if not image_network_case(case):
            continue
        model = with_one_input(case)
        inputs, outputs = case.data_sets[0]
        files = {
            "model.onnx": model.SerializeToString(),
            "input_0.pb": numpy_helper.from_array(inputs[0], model.graph.input[0].name).SerializeToString(),
            "output_0.pb": numpy_helper.from_array(outputs[0], model.graph.output[0].name).SerializeToString(),
        }
        size = sum(len(b) for b in files.values())
        if size > MAX_CASE_BYTES:
            print(f"{case.name}: skipped, {size} bytes")
            continue
        folder = os.path.join(OUT, case.name)
        os.makedirs(folder)
        for name, data in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
        opset = next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx"))
        reason = REFUSED.get(case.name)
        node = model.graph.node[0]
        index.append("\t".join([case.name, node.op_type, node.name or node.output[0], str(opset),
                                "refuse" if reason else "pass", reason or ""]))
        written += 1
    unknown = set(REFUSED) - {line.split("\t")[0] for line in index}
    if unknown:
        raise SystemExit(f"REFUSED names cases ONNX no longer makes: {sorted(unknown)}")
    with open(os.path.join(OUT, "index.tsv"), "w") as f:
        f.write("\n".join(index) + "\n")
    print(f"{written} cases ({len(REFUSED)} expected to be refused) in {OUT}")


if __name__ == "__main__":
    main()
