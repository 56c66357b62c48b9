#!/usr/bin/python3
"""Writes the Fashion-MNIST samples that ship beside builtin:d2l-fashion, with PyTorch's predictions for them.

Run with Debian's python (python3-torch, dataset-fashion-mnist) after tools/train_fashion.py:

    /usr/bin/python3 tools/make_fashion_fixtures.py [--model DIR] [--count 500]

From DIR (default graph/src/main/resources/googlenet/graph/models/d2l-fashion) it reads weights.safetensors — parsed
here by hand, independently of the Java reader — rebuilds the network of train_fashion.py, and writes into DIR:
  samples-images-idx3-ubyte.gz, samples-labels-idx1-ubyte.gz   the first COUNT test images and labels, in IDX form
  samples-pytorch.json   PyTorch's predicted class and its top-1/top-2 logit margin for each, and the SHA-256 of the
                         predictions (one byte each)
It also checks that PyTorch's predictions over the whole test set with these weights have the digest model.json records.
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_fashion as tf  # noqa: E402


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n, = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F16": np.float16, "F32": np.float32}[info["dtype"]]
        b, e = info["data_offsets"]
        arr = np.frombuffer(data[base + b:base + e], dtype=dtype).reshape(info["shape"]).astype(np.float32)
        out[name] = torch.from_numpy(arr.copy())
    return out


def write_idx_gz(path, array):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 8, array.ndim]) + b"".join(struct.pack(">I", d) for d in array.shape)
    with gzip.GzipFile(path, "wb", mtime=0) as f:  # mtime 0: the same bytes on every run
        f.write(header + array.tobytes())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="graph/src/main/resources/googlenet/graph/models/d2l-fashion")
    ap.add_argument("--count", type=int, default=500)
    args = ap.parse_args()
    net = tf.d2l_googlenet()
    net.load_state_dict(read_safetensors(os.path.join(args.model, "weights.safetensors")))
    net.eval()
    table = tf.lookup_table()
    test_x = tf.read_idx(os.path.join(tf.DATA, "t10k-images-idx3-ubyte.gz"))
    test_y = tf.read_idx(os.path.join(tf.DATA, "t10k-labels-idx1-ubyte.gz"))

    with open(os.path.join(args.model, "model.json")) as f:
        meta = json.load(f)
    logits = []
    with torch.no_grad():
        for i in range(0, len(test_x), 500):
            logits.append(net(tf.preprocess(test_x[i:i + 500], table)))
    logits = torch.cat(logits)
    pred = logits.argmax(dim=1).numpy().astype(np.uint8)
    digest = hashlib.sha256(pred.tobytes()).hexdigest()
    if digest != meta["testPredictionsSha256"]:
        sys.exit(f"the weights give predictions with SHA-256 {digest}, model.json records {meta['testPredictionsSha256']}")

    n = args.count
    write_idx_gz(os.path.join(args.model, "samples-images-idx3-ubyte.gz"), test_x[:n])
    write_idx_gz(os.path.join(args.model, "samples-labels-idx1-ubyte.gz"), test_y[:n])
    top2 = torch.topk(logits[:n], 2, dim=1).values
    margins = (top2[:, 0] - top2[:, 1]).tolist()
    samples = {
        "count": n,
        "predictions": pred[:n].tolist(),
        "predictionsSha256": hashlib.sha256(pred[:n].tobytes()).hexdigest(),
        "correct": int((pred[:n] == test_y[:n]).sum()),
        "smallestMargin": min(margins),
        "margins": [round(m, 6) for m in margins],
    }
    with open(os.path.join(args.model, "samples-pytorch.json"), "w") as f:
        json.dump(samples, f)
        f.write("\n")
    full_margins = (torch.topk(logits, 2, dim=1).values[:, 0] - torch.topk(logits, 2, dim=1).values[:, 1])
    print(f"wrote {n} samples ({samples['correct']} correct); smallest top-1/top-2 margin: first {n} "
          f"{samples['smallestMargin']:.3g}, whole test set {full_margins.min().item():.3g}")


if __name__ == "__main__":
    main()
