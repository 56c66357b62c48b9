#!/usr/bin/python3
"""Makes the image preprocessing fixtures: small images and what PIL + torchvision make of them.

Run with Debian's python (packages python3-pil, python3-torch, python3-torchvision):

    /usr/bin/python3 tools/make_image_fixtures.py [OUT_DIR]

OUT_DIR defaults to engine/src/test/resources/googlenet/engine/image. Everything is seeded, so reruns give the
same files. For an image NAME.EXT and a pipeline P it writes NAME.P.npy (float32, 1,C,H,W) with:

  tv64       torchvision: Resize(64), CenterCrop(56), ToTensor(), Normalize(ImageNet mean, std)
  caffe64    PIL Resize(64) and CenterCrop(56) as torchvision does them, then BGR, 0-255, minus mean (104, 117, 123)
  gray64     PIL convert('L'), Resize(64), CenterCrop(56), ToTensor(), Normalize(0.5, 0.25)

and, for the full-size cases, NAME.crop224.png: the 224x224 8-bit RGB image after Resize(256), CenterCrop(224)
(stored losslessly as PNG to keep the fixture small; the normalization is checked by the 64/56 cases).
"""
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "engine", "src", "test", "resources", "googlenet", "engine", "image")

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]


def path(name):
    return os.path.join(OUT, name)


def smooth_noise(rng, h, w, channels):
    """Gradients plus noise: every pixel value occurs, neighbours differ, so rounding errors would show."""
    y, x = np.mgrid[0:h, 0:w]
    planes = []
    for c in range(channels):
        base = 127 + 90 * np.sin(x * (0.11 + 0.05 * c) + y * (0.07 - 0.03 * c) + c)
        planes.append(base + rng.normal(0, 25, (h, w)))
    return np.clip(np.stack(planes, axis=-1), 0, 255).round().astype(np.uint8)


def stripes(h, w):
    """High-frequency stripes of period 2-5 pixels: without the antialiasing support they would alias."""
    y, x = np.mgrid[0:h, 0:w]
    r = np.where((x // 2) % 2 == 0, 230, 20)
    g = np.where(((x + y) // 3) % 2 == 0, 200, 40)
    b = np.where((y // 5) % 2 == 0, 250, 0)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def png16_rgb(file, rgb16):
    """A 16-bit RGB PNG (PIL cannot write one): raw rows, filter 0, one IDAT."""
    h, w, _ = rgb16.shape
    raw = b"".join(b"\x00" + rgb16[row].astype(">u2").tobytes() for row in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(file, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def save_npy(name, tensor):
    np.save(path(name), np.ascontiguousarray(tensor.numpy()[None], dtype=np.float32))


def pil_resize_crop(img, resize, crop):
    return T.CenterCrop(crop)(T.Resize(resize)(img))


def pipelines(name):
    img = Image.open(path(name))
    rgb = img.convert("RGB")
    stem = name.rsplit(".", 1)[0]
    tv = T.Compose([T.Resize(64), T.CenterCrop(56), T.ToTensor(), T.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    save_npy(stem + ".tv64.npy", tv(rgb))
    crop = np.asarray(pil_resize_crop(rgb, 64, 56), dtype=np.float32)
    bgr = crop[:, :, ::-1] - np.array([104, 117, 123], dtype=np.float32)
    save_npy(stem + ".caffe64.npy", torch.from_numpy(np.ascontiguousarray(bgr.transpose(2, 0, 1))))
    gray = T.Compose([T.Resize(64), T.CenterCrop(56), T.ToTensor(), T.Normalize([0.5], [0.25])])
    save_npy(stem + ".gray64.npy", gray(img.convert("L")))
    print(f"{name}: {img.mode} {img.size}")


def full_size(name):
    img = Image.open(path(name)).convert("RGB")
    stem = name.rsplit(".", 1)[0]
    pil_resize_crop(img, 256, 224).save(path(stem + ".crop224.png"))
    print(f"{name}: {img.size} -> 256/224")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261127)
    Image.fromarray(smooth_noise(rng, 75, 97, 3), "RGB").save(path("rgb_97x75.png"))
    Image.fromarray(smooth_noise(rng, 97, 75, 1)[:, :, 0], "L").save(path("gray_75x97.png"))
    rgba = np.concatenate([smooth_noise(rng, 70, 50, 3), rng.integers(0, 256, (70, 50, 1), dtype=np.uint8)], axis=-1)
    Image.fromarray(rgba, "RGBA").save(path("rgba_50x70.png"))
    pal = Image.fromarray(smooth_noise(rng, 66, 80, 3), "RGB").quantize(colors=37, method=Image.Quantize.MEDIANCUT)
    pal.save(path("palette_80x66.png"), transparency=3)
    png16_rgb(path("rgb16_61x59.png"), rng.integers(0, 65536, (59, 61, 3), dtype=np.uint16))
    Image.fromarray(smooth_noise(rng, 75, 97, 3), "RGB").save(path("jpeg_rgb_97x75.jpg"), quality=90)
    Image.fromarray(smooth_noise(rng, 75, 97, 1)[:, :, 0], "L").save(path("jpeg_gray_97x75.jpg"), quality=90)
    for name in ["rgb_97x75.png", "gray_75x97.png", "rgba_50x70.png", "palette_80x66.png", "rgb16_61x59.png",
                 "jpeg_rgb_97x75.jpg", "jpeg_gray_97x75.jpg"]:
        pipelines(name)

    Image.fromarray(smooth_noise(rng, 31, 43, 3), "RGB").save(path("up_43x31.png"))
    Image.fromarray(stripes(1500, 1210), "RGB").save(path("down_1210x1500.png"), optimize=True)
    for name in ["up_43x31.png", "down_1210x1500.png"]:
        full_size(name)


if __name__ == "__main__":
    main()
