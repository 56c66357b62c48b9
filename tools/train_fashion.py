#!/usr/bin/python3
"""Trains the d2l GoogLeNet (Dive into Deep Learning §8.4) on Fashion-MNIST and writes the weights the engine ships.

Run with Debian's python (packages python3-torch, dataset-fashion-mnist):

    /usr/bin/python3 tools/train_fashion.py [--out DIR] [--work DIR] [--epochs 6] [--threads 2]

Resumable: a checkpoint is written to WORK (default build/fashion-train) every few hundred steps and at the end of
every epoch; rerunning the same command continues from the last one and, being seeded throughout (data order,
initialisation), ends with the same weights as an uninterrupted run.

Preprocessing, chosen so that the Java engine reproduces it bit for bit:
  * a lookup table maps each byte k to float32(((k / 255) - MEAN) / STD), computed in float64 (both Python and Java
    do IEEE double arithmetic, so the tables are identical);
  * the 28x28 image is enlarged to 56x56 by repeating every pixel 2x2 (nearest neighbour at an integer factor:
    no interpolation weights, no rounding).
The book resizes to 96x96 with bilinear interpolation; 96x96 for 10 epochs takes about 5 hours on 2 cores.

Outputs (OUT, default graph/src/main/resources/googlenet/graph/models/d2l-fashion):
  weights.safetensors  the state_dict of the nn.Sequential (names 0.0.weight ... 5.bias), float16 when rounding the
                       weights to float16 changes no test prediction, else float32
  model.json           input size, preprocessing, training settings, PyTorch's test accuracy, and the SHA-256 (hex)
                       of PyTorch's 10,000 test predictions as one byte each, in test-set order, computed with the
                       shipped (possibly float16-rounded) weights
"""
import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist"
MEAN, STD = 0.2860, 0.3530
SIZE = 56
SEED = 20261127
BATCH = 128
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Inception(nn.Module):
    def __init__(self, in_channels, c1, c2, c3, c4):
        super().__init__()
        self.p1_1 = nn.Conv2d(in_channels, c1, kernel_size=1)
        self.p2_1 = nn.Conv2d(in_channels, c2[0], kernel_size=1)
        self.p2_2 = nn.Conv2d(c2[0], c2[1], kernel_size=3, padding=1)
        self.p3_1 = nn.Conv2d(in_channels, c3[0], kernel_size=1)
        self.p3_2 = nn.Conv2d(c3[0], c3[1], kernel_size=5, padding=2)
        self.p4_1 = nn.MaxPool2d(kernel_size=3, stride=1, padding=1)
        self.p4_2 = nn.Conv2d(in_channels, c4, kernel_size=1)

    def forward(self, x):
        p1 = F.relu(self.p1_1(x))
        p2 = F.relu(self.p2_2(F.relu(self.p2_1(x))))
        p3 = F.relu(self.p3_2(F.relu(self.p3_1(x))))
        p4 = F.relu(self.p4_2(self.p4_1(x)))
        return torch.cat((p1, p2, p3, p4), dim=1)


def d2l_googlenet(in_channels=1, classes=10):
    b1 = nn.Sequential(nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(nn.Conv2d(64, 64, kernel_size=1), nn.ReLU(),
                       nn.Conv2d(64, 192, kernel_size=3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b3 = nn.Sequential(Inception(192, 64, (96, 128), (16, 32), 32),
                       Inception(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b4 = nn.Sequential(Inception(480, 192, (96, 208), (16, 48), 64),
                       Inception(512, 160, (112, 224), (24, 64), 64),
                       Inception(512, 128, (128, 256), (24, 64), 64),
                       Inception(512, 112, (144, 288), (32, 64), 64),
                       Inception(528, 256, (160, 320), (32, 128), 128),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b5 = nn.Sequential(Inception(832, 256, (160, 320), (32, 128), 128),
                       Inception(832, 384, (192, 384), (48, 128), 128),
                       nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten())
    net = nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(1024, classes))
    for m in net.modules():  # He initialisation: without BatchNorm, the book's Xavier init barely moves in the first epoch
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net


def lookup_table():
    return torch.tensor([np.float32(((k / 255.0) - MEAN) / STD) for k in range(256)], dtype=torch.float32)


def preprocess(images_u8, table):
    """uint8 [N, 28, 28] -> float32 [N, 1, 56, 56]."""
    x = table[torch.from_numpy(np.array(images_u8)).long()]
    x = x.repeat_interleave(SIZE // 28, dim=1).repeat_interleave(SIZE // 28, dim=2)
    return x.unsqueeze(1).contiguous()


def predict(net, images, table, batch=500):
    net.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            out.append(net(preprocess(images[i:i + batch], table)).argmax(dim=1))
    return torch.cat(out).numpy().astype(np.uint8)


def write_safetensors(path, state, dtype):
    header, blobs, offset = {}, [], 0
    names = {torch.float16: "F16", torch.float32: "F32"}
    for name, t in state.items():
        b = t.detach().to(dtype).contiguous().numpy().tobytes()
        header[name] = {"dtype": names[dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="graph/src/main/resources/googlenet/graph/models/d2l-fashion")
    ap.add_argument("--work", default="build/fashion-train")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--lr", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--checkpoint-every", type=int, default=100)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)

    train_x = read_idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"))
    train_y = torch.from_numpy(read_idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    test_x = read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"))
    test_y = read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz"))
    table = lookup_table()

    torch.manual_seed(SEED)
    net = d2l_googlenet()
    steps_per_epoch = (len(train_x) + BATCH - 1) // BATCH
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps_per_epoch)
    ckpt_path = os.path.join(args.work, "checkpoint.pt")
    epoch, step = 0, 0
    if os.path.exists(ckpt_path):
        ck = torch.load(ckpt_path)
        net.load_state_dict(ck["net"])
        opt.load_state_dict(ck["opt"])
        sched.load_state_dict(ck["sched"])
        epoch, step = ck["epoch"], ck["step"]
        torch.set_rng_state(ck["rng"])
        print(f"resumed at epoch {epoch + 1}, step {step}", flush=True)

    def save(epoch, step):
        torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                    "epoch": epoch, "step": step, "rng": torch.get_rng_state()}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)

    while epoch < args.epochs:
        order = torch.randperm(len(train_x), generator=torch.Generator().manual_seed(SEED + epoch))
        net.train()
        t0, seen, loss_sum = time.time(), 0, 0.0
        while step < steps_per_epoch:
            idx = order[step * BATCH:(step + 1) * BATCH]
            x = preprocess(train_x[idx.numpy()], table)
            loss = F.cross_entropy(net(x), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            seen += len(idx)
            loss_sum += loss.item() * len(idx)
            if step % 20 == 0:
                rate = seen / (time.time() - t0)
                print(f"epoch {epoch + 1}/{args.epochs} step {step}/{steps_per_epoch} loss {loss_sum / seen:.4f} "
                      f"lr {sched.get_last_lr()[0]:.4f} {rate:.0f} img/s", flush=True)
            if step % args.checkpoint_every == 0:
                save(epoch, step)
        acc = (predict(net, test_x, table) == test_y).mean()
        print(f"epoch {epoch + 1} done: test accuracy {acc:.4f}", flush=True)
        epoch, step = epoch + 1, 0
        save(epoch, step)

    state = {k: v.detach().clone() for k, v in net.state_dict().items()}  # state_dict() shares storage with the net
    pred32 = predict(net, test_x, table)
    half = {k: v.half().float() for k, v in state.items()}
    net.load_state_dict(half)
    pred16 = predict(net, test_x, table)
    changed = int((pred16 != pred32).sum())
    dtype = torch.float16 if changed == 0 else torch.float32
    shipped = pred16 if changed == 0 else pred32
    if changed:
        net.load_state_dict(state)
    acc = float((shipped == test_y).mean())
    write_safetensors(os.path.join(args.out, "weights.safetensors"), state, dtype)
    meta = {
        "model": "d2l GoogLeNet (Dive into Deep Learning 8.4), 1 input channel, 10 classes",
        "input": [1, 1, SIZE, SIZE],
        "classes": CLASSES,
        "preprocessing": {
            "source": "28x28 uint8 grayscale (IDX, as Fashion-MNIST)",
            "normalize": "float32(((k / 255) - mean) / std) per byte k, computed in float64",
            "mean": MEAN, "std": STD,
            "resize": f"nearest neighbour, each pixel repeated {SIZE // 28}x{SIZE // 28}, 28x28 -> {SIZE}x{SIZE}",
        },
        "training": {"epochs": args.epochs, "batch": BATCH, "optimizer": "SGD momentum 0.9, weight decay 5e-4",
                     "schedule": f"one-cycle, peak learning rate {args.lr}", "seed": SEED,
                     "init": "kaiming_normal (relu) weights, zero biases", "torch": torch.__version__},
        "weightsDtype": "float16" if dtype == torch.float16 else "float32",
        "float16ChangedPredictions": changed,
        "testAccuracy": acc,
        "testCorrect": int((shipped == test_y).sum()),
        "testTotal": len(test_y),
        "testPredictionsSha256": hashlib.sha256(shipped.tobytes()).hexdigest(),
    }
    with open(os.path.join(args.out, "model.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta, indent=2))


if __name__ == "__main__":
    main()
