#!/usr/bin/python3
"""Makes the ONNX import fixtures: small reduced-width GoogLeNet-family models, an input and PyTorch's output each.

Run with Debian's python (packages python3-torch, python3-torchvision, python3-onnx):

    /usr/bin/python3 tools/make_onnx_fixtures.py [OUT_DIR]

OUT_DIR defaults to engine/src/test/resources/googlenet/engine/onnx/fixtures. For every model NAME it writes
NAME.onnx, NAME.input.npy and NAME.output.npy (float32). Everything is seeded, so reruns give the same files
(up to the exporter's own nondeterminism, which there is none of here).

Models:
  d2l_tiny        the d2l network (nn.Sequential b1..b5 + Linear) at 1/8 width, opset 13, torch.onnx.export
  d2l_tiny_dyn    the same with a symbolic batch (dynamic_axes), batch-2 input, view(N, -1) and matmul + add head,
                  opset 11 (Shape/Gather/Unsqueeze/Concat/Reshape, MatMul, Add)
  tv_tiny_ti      torchvision's GoogLeNet module structure (BasicConv2d with BatchNorm, torchvision's Inception,
                  ceil-mode pools, transform_input=True) at reduced width, opset 13; BatchNorm is folded by the exporter
  tv_tiny         the same with transform_input=False, opset 17
  bvlc_tiny_ceil  the ONNX model zoo googlenet-12 structure (Caffe2 names, input data_0, LRN, ceil-mode pools,
                  AveragePool 7x7, Dropout, Reshape to a constant shape, Gemm, Softmax), 1/8 width, opset 12,
                  written with onnx.helper; one weight reached through an Identity chain
  bvlc_tiny_pads  the same with the stride-2 max pools as floor mode with asymmetric pads [0, 0, 1, 1]
"""
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper
from torchvision.models.googlenet import BasicConv2d, Inception

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    ROOT, "engine", "src", "test", "resources", "googlenet", "engine", "onnx", "fixtures")


def save(name, model_bytes, x, y):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".onnx"), "wb") as f:
        f.write(model_bytes)
    np.save(os.path.join(OUT, name + ".input.npy"), np.ascontiguousarray(x, dtype=np.float32))
    np.save(os.path.join(OUT, name + ".output.npy"), np.ascontiguousarray(y, dtype=np.float32))
    print(f"{name}: {len(model_bytes)} bytes, input {tuple(x.shape)}, output {tuple(y.shape)}")


def export(name, model, x, opset, dynamic=False, input_name="x", output_name="logits"):
    model.eval()
    with torch.no_grad():
        y = model(x).numpy()
    path = os.path.join(OUT, name + ".onnx")
    os.makedirs(OUT, exist_ok=True)
    kwargs = {}
    if dynamic:
        kwargs["dynamic_axes"] = {input_name: {0: "N"}, output_name: {0: "N"}}
    torch.onnx.export(model, x, path, opset_version=opset, input_names=[input_name], output_names=[output_name],
                      do_constant_folding=True, training=torch.onnx.TrainingMode.EVAL, **kwargs)
    m = onnx.load(path)
    onnx.checker.check_model(m)
    save(name, m.SerializeToString(), x.numpy(), y)


# ---------------------------------------------------------------- d2l

class D2lInception(nn.Module):
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


def d2l(w=8, classes=10, flatten=True):
    """d2l's GoogLeNet with every width divided by w."""
    def c(n):
        return max(1, n // w)

    def inc(i, c1, c2, c3, c4):
        return D2lInception(c(i), c(c1), (c(c2[0]), c(c2[1])), (c(c3[0]), c(c3[1])), c(c4))

    b1 = nn.Sequential(nn.Conv2d(3, c(64), kernel_size=7, stride=2, padding=3), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b2 = nn.Sequential(nn.Conv2d(c(64), c(64), kernel_size=1), nn.ReLU(),
                       nn.Conv2d(c(64), c(192), kernel_size=3, padding=1), nn.ReLU(),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b3 = nn.Sequential(inc(192, 64, (96, 128), (16, 32), 32), inc(256, 128, (128, 192), (32, 96), 64),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    b4 = nn.Sequential(inc(480, 192, (96, 208), (16, 48), 64), inc(512, 160, (112, 224), (24, 64), 64),
                       inc(512, 128, (128, 256), (24, 64), 64), inc(512, 112, (144, 288), (32, 64), 64),
                       inc(528, 256, (160, 320), (32, 128), 128),
                       nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
    layers = [inc(832, 256, (160, 320), (32, 128), 128), inc(832, 384, (192, 384), (48, 128), 128),
              nn.AdaptiveAvgPool2d((1, 1))]
    if flatten:
        layers.append(nn.Flatten())
    b5 = nn.Sequential(*layers)
    features = c(384) + c(384) + c(128) + c(128)
    return nn.Sequential(b1, b2, b3, b4, b5, nn.Linear(features, classes)), features


class ViewMatMulHead(nn.Module):
    """x.view(N, -1) @ W + b: exported as Shape/Gather/Unsqueeze/Concat/Reshape, MatMul and Add."""

    def __init__(self, features, classes):
        super().__init__()
        self.w = nn.Parameter(torch.randn(features, classes) * 0.1)
        self.b = nn.Parameter(torch.randn(classes) * 0.1)

    def forward(self, x):
        return torch.matmul(x.view(x.size(0), -1), self.w) + self.b


# ---------------------------------------------------------------- torchvision

class TinyTorchvisionGoogLeNet(nn.Module):
    """torchvision.models.GoogLeNet (aux_logits=False) module for module, every width divided by w."""

    def __init__(self, w=8, classes=10, transform_input=False):
        super().__init__()

        def c(n):
            return max(1, n // w)

        def inc(i, c1, c2r, c2, c3r, c3, c4):
            return Inception(c(i), c(c1), c(c2r), c(c2), c(c3r), c(c3), c(c4))

        self.transform_input = transform_input
        self.conv1 = BasicConv2d(3, c(64), kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(c(64), c(64), kernel_size=1)
        self.conv3 = BasicConv2d(c(64), c(192), kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = inc(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = inc(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = inc(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = inc(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = inc(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = inc(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = inc(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = inc(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = inc(832, 384, 192, 384, 48, 128, 128)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(0.2)
        self.fc = nn.Linear(c(384) + c(384) + c(128) + c(128), classes)

    def _transform_input(self, x):  # torchvision's, verbatim
        if self.transform_input:
            x_ch0 = torch.unsqueeze(x[:, 0], 1) * (0.229 / 0.5) + (0.485 - 0.5) / 0.5
            x_ch1 = torch.unsqueeze(x[:, 1], 1) * (0.224 / 0.5) + (0.456 - 0.5) / 0.5
            x_ch2 = torch.unsqueeze(x[:, 2], 1) * (0.225 / 0.5) + (0.406 - 0.5) / 0.5
            x = torch.cat((x_ch0, x_ch1, x_ch2), 1)
        return x

    def forward(self, x):
        x = self._transform_input(x)
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        x = self.inception4b(x)
        x = self.inception4c(x)
        x = self.inception4d(x)
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(self.dropout(x))


def randomize_batchnorm(model, gen):
    """Trained-looking BatchNorm statistics, so that folding them into the convs is tested for real."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
            m.weight.data.copy_(torch.rand(n, generator=gen) * 0.5 + 0.75)
            m.bias.data.copy_(torch.randn(n, generator=gen) * 0.1)


# ---------------------------------------------------------------- BVLC / model zoo googlenet-12

def bvlc(name, asymmetric_pads, w=8, classes=10, size=224, seed=3):
    """The model zoo's googlenet-12 graph (Caffe2 conversion, opset 12) at 1/w width, written with onnx.helper.

    Returns the model bytes, the input and the expected output computed with torch.nn.functional."""
    rng = np.random.default_rng(seed)

    def c(n):
        return max(1, n // w)

    nodes, inits = [], []
    params = {}

    def conv(x, out_name, cin, cout, k, stride=1, pad=0, weight_via_identity=False):
        wname, bname = out_name + "_w_0", out_name + "_b_0"
        fan_in = cin * k * k
        wt = (rng.standard_normal((cout, cin, k, k)) * np.sqrt(2.0 / fan_in)).astype(np.float32)
        bt = (rng.standard_normal(cout) * 0.05).astype(np.float32)
        params[out_name] = (wt, bt, stride, pad)
        inits.append(numpy_helper.from_array(wt, wname if not weight_via_identity else wname + "_stored"))
        inits.append(numpy_helper.from_array(bt, bname))
        if weight_via_identity:  # an initializer shared through an Identity chain
            nodes.append(helper.make_node("Identity", [wname + "_stored"], [wname + "_alias"], name=out_name + "_id1"))
            nodes.append(helper.make_node("Identity", [wname + "_alias"], [wname], name=out_name + "_id2"))
        nodes.append(helper.make_node("Conv", [x, wname, bname], [out_name + "_1"], name=out_name, kernel_shape=[k, k],
                                      strides=[stride, stride], pads=[pad] * 4, dilations=[1, 1], group=1))
        nodes.append(helper.make_node("Relu", [out_name + "_1"], [out_name + "_2"], name=out_name + "_relu"))
        return out_name + "_2"

    def torch_conv(t, key):
        wt, bt, stride, pad = params[key]
        return F.relu(F.conv2d(t, torch.from_numpy(wt), torch.from_numpy(bt), stride=stride, padding=pad))

    def pool_s2(x, out_name):
        if asymmetric_pads:
            nodes.append(helper.make_node("MaxPool", [x], [out_name], name=out_name, kernel_shape=[3, 3],
                                          strides=[2, 2], pads=[0, 0, 1, 1]))
        else:
            nodes.append(helper.make_node("MaxPool", [x], [out_name], name=out_name, kernel_shape=[3, 3],
                                          strides=[2, 2], pads=[0, 0, 0, 0], ceil_mode=1))
        return out_name

    def torch_pool_s2(t):
        if asymmetric_pads:
            return F.max_pool2d(F.pad(t, (0, 1, 0, 1), value=float("-inf")), 3, 2)
        return F.max_pool2d(t, 3, 2, ceil_mode=True)

    def lrn(x, out_name):
        nodes.append(helper.make_node("LRN", [x], [out_name], name=out_name, size=5, alpha=0.0001, beta=0.75, bias=1.0))
        return out_name

    def torch_lrn(t):
        return F.local_response_norm(t, 5, alpha=0.0001, beta=0.75, k=1.0)

    incs = []

    def inception(x, p, cin, c1, c2r, c2, c3r, c3, c4):
        a = conv(x, p + "_1x1", cin, c(c1), 1)
        b = conv(conv(x, p + "_3x3_reduce", cin, c(c2r), 1), p + "_3x3", c(c2r), c(c2), 3, pad=1)
        d = conv(conv(x, p + "_5x5_reduce", cin, c(c3r), 1), p + "_5x5", c(c3r), c(c3), 5, pad=2)
        nodes.append(helper.make_node("MaxPool", [x], [p + "_pool"], name=p + "_pool", kernel_shape=[3, 3],
                                      strides=[1, 1], pads=[1, 1, 1, 1]))
        e = conv(p + "_pool", p + "_pool_proj", cin, c(c4), 1)
        nodes.append(helper.make_node("Concat", [a, b, d, e], [p + "_output_0"], name=p + "_output", axis=1))
        incs.append(p)
        return p + "_output_0", c(c1) + c(c2) + c(c3) + c(c4)

    def torch_inception(t, p):
        a = torch_conv(t, p + "_1x1")
        b = torch_conv(torch_conv(t, p + "_3x3_reduce"), p + "_3x3")
        d = torch_conv(torch_conv(t, p + "_5x5_reduce"), p + "_5x5")
        e = torch_conv(F.max_pool2d(t, 3, 1, 1), p + "_pool_proj")
        return torch.cat([a, b, d, e], 1)

    x = conv("data_0", "conv1_7x7_s2", 3, c(64), 7, stride=2, pad=3, weight_via_identity=True)
    x = lrn(pool_s2(x, "pool1_3x3_s2_1"), "pool1_norm1_1")
    x = conv(x, "conv2_3x3_reduce", c(64), c(64), 1)
    x = conv(x, "conv2_3x3", c(64), c(192), 3, pad=1)
    x = pool_s2(lrn(x, "conv2_norm2_1"), "pool2_3x3_s2_1")
    x, ch = inception(x, "inception_3a", c(192), 64, 96, 128, 16, 32, 32)
    x, ch = inception(x, "inception_3b", ch, 128, 128, 192, 32, 96, 64)
    x = pool_s2(x, "pool3_3x3_s2_1")
    x, ch = inception(x, "inception_4a", ch, 192, 96, 208, 16, 48, 64)
    x, ch = inception(x, "inception_4b", ch, 160, 112, 224, 24, 64, 64)
    x, ch = inception(x, "inception_4c", ch, 128, 128, 256, 24, 64, 64)
    x, ch = inception(x, "inception_4d", ch, 112, 144, 288, 32, 64, 64)
    x, ch = inception(x, "inception_4e", ch, 256, 160, 320, 32, 128, 128)
    x = pool_s2(x, "pool4_3x3_s2_1")
    x, ch = inception(x, "inception_5a", ch, 256, 160, 320, 32, 128, 128)
    x, ch = inception(x, "inception_5b", ch, 384, 192, 384, 48, 128, 128)
    spatial = size
    for _ in range(5):
        spatial = (spatial + 1) // 2  # conv1 and the four stride-2 pools, ceil
    nodes.append(helper.make_node("AveragePool", [x], ["pool5_7x7_s1_1"], name="pool5_7x7_s1",
                                  kernel_shape=[spatial, spatial], strides=[1, 1], pads=[0, 0, 0, 0],
                                  count_include_pad=0))
    nodes.append(helper.make_node("Dropout", ["pool5_7x7_s1_1"], ["pool5_drop_7x7_s1_1"], name="pool5_drop_7x7_s1"))
    inits.append(numpy_helper.from_array(np.array([1, ch], dtype=np.int64), "OC2_DUMMY_1"))
    nodes.append(helper.make_node("Reshape", ["pool5_drop_7x7_s1_1", "OC2_DUMMY_1"], ["OC2_DUMMY_0"], name="OC2_DUMMY"))
    fw = (rng.standard_normal((classes, ch)) * np.sqrt(1.0 / ch)).astype(np.float32)
    fb = (rng.standard_normal(classes) * 0.05).astype(np.float32)
    inits += [numpy_helper.from_array(fw, "loss3_classifier_w_0"), numpy_helper.from_array(fb, "loss3_classifier_b_0")]
    nodes.append(helper.make_node("Gemm", ["OC2_DUMMY_0", "loss3_classifier_w_0", "loss3_classifier_b_0"],
                                  ["loss3_classifier_1"], name="loss3_classifier", alpha=1.0, beta=1.0, transA=0, transB=1))
    nodes.append(helper.make_node("Softmax", ["loss3_classifier_1"], ["prob_1"], name="prob", axis=1))

    graph = helper.make_graph(nodes, "googlenet-12 replica",
                              [helper.make_tensor_value_info("data_0", TensorProto.FLOAT, [1, 3, size, size])],
                              [helper.make_tensor_value_info("prob_1", TensorProto.FLOAT, [1, classes])], inits)
    model = helper.make_model(graph, producer_name="make_onnx_fixtures.py", opset_imports=[helper.make_opsetid("", 12)])
    model.ir_version = 7
    onnx.checker.check_model(model)

    xin = (rng.standard_normal((1, 3, size, size)) * 50).astype(np.float32)  # Caffe-style 0-255 minus mean
    with torch.no_grad():
        t = torch.from_numpy(xin)
        t = torch_lrn(torch_pool_s2(torch_conv(t, "conv1_7x7_s2")))
        t = torch_conv(torch_conv(t, "conv2_3x3_reduce"), "conv2_3x3")
        t = torch_pool_s2(torch_lrn(t))
        for p in incs[:2]:
            t = torch_inception(t, p)
        t = torch_pool_s2(t)
        for p in incs[2:7]:
            t = torch_inception(t, p)
        t = torch_pool_s2(t)
        for p in incs[7:]:
            t = torch_inception(t, p)
        t = F.avg_pool2d(t, spatial, 1)
        t = t.reshape(1, ch)
        t = F.softmax(F.linear(t, torch.from_numpy(fw), torch.from_numpy(fb)), dim=1)
    save(name, model.SerializeToString(), xin, t.numpy())


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1)

    net, _ = d2l()
    export("d2l_tiny", net, torch.randn(1, 3, 96, 96, generator=gen), opset=13)

    net, features = d2l(flatten=False)
    net[5] = ViewMatMulHead(features, 10)
    export("d2l_tiny_dyn", net, torch.randn(2, 3, 64, 64, generator=gen), opset=11, dynamic=True)

    tv = TinyTorchvisionGoogLeNet(transform_input=True)
    randomize_batchnorm(tv, gen)
    export("tv_tiny_ti", tv, torch.randn(1, 3, 112, 112, generator=gen), opset=13)

    tv = TinyTorchvisionGoogLeNet(transform_input=False)
    randomize_batchnorm(tv, gen)
    export("tv_tiny", tv, torch.randn(1, 3, 112, 112, generator=gen), opset=17)

    bvlc("bvlc_tiny_ceil", asymmetric_pads=False)
    bvlc("bvlc_tiny_pads", asymmetric_pads=True)


if __name__ == "__main__":
    main()
