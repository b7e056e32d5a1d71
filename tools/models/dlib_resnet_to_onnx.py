#!/usr/bin/env python3
"""Converts dlib's face recognition ResNet v1, as npm `@vladmandic/face-api` ships it in
TensorFlow.js form, into an ONNX model (opset 13) that Haul runs with tract.

Source: `model/face_recognition_model-weights_manifest.json` and the `.bin` file(s) it
names (`model/face_recognition_model.bin`). Most weights are uint8-quantised with a
per-tensor `min` and `scale`; they are dequantised exactly as tfjs-core's
`io.decodeWeights` does (`value = q * scale + min` in double precision, stored as
float32), so the ONNX initialisers hold the very floats face-api computes with.

The graph follows face-api's `src/faceRecognitionNet/*.ts` (dlib's 29 convolutions):

    conv 7x7/2 valid (+bias, scale, ReLU) -> max pool 3x3/2 valid
    3 residual blocks at 32 channels
    residual down-sampling block to 64, 3 residual blocks
    residual down-sampling block to 128, 2 residual blocks
    residual down-sampling block to 256, 2 residual blocks, residual down-sampling block
    mean over height and width -> fully connected 256 -> 128 (no bias)

where a convolution layer is `conv -> + bias -> * scale.weights + scale.biases [-> ReLU]`
(3x3, stride 1 "same", or stride 2 "valid" in the first convolution of a down-sampling
block); a residual block is `relu(conv2(relu(conv1(x))) + x)`; a down-sampling block adds
the 2x2/2 average pool of its input, with zero channels appended when the channel count
doubles, and, when the convolution path comes out one row and column smaller than the
pool (8 -> 3 against 4, 4 -> 1 against 2), appends a zero row and column to the
convolution path first, exactly as face-api's `residualDown` does.

Not in the graph: face-api's input normalisation (`(rgb - mean) / 255` in
`FaceRecognitionNet.forwardInput`, JavaScript code, not weights). The model's manifest
carries it instead; Haul uses dlib's own `(rgb - (122.782, 117.001, 104.298)) / 256`,
which is what the network was trained with.

Graph interface: input `input` float32 [1, 3, 150, 150] (NCHW, RGB, normalised as the
manifest says); output `embedding` float32 [1, 128], compared by Euclidean distance.

The output is byte-for-byte reproducible: fixed IR version, opset, producer name and
version, node and initialiser names derived from the tfjs weight names, no timestamps,
deterministic protobuf serialisation. Pin its sha256.

Usage: dlib_resnet_to_onnx.py WEIGHTS_MANIFEST OUTPUT.onnx
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
# IR version 7 is what ONNX 1.8 (the first release with opset 13) writes. Fixed here so
# that a newer `onnx` package does not change the bytes.
IR_VERSION = 7
PRODUCER_NAME = "haul/tools/models/dlib_resnet_to_onnx.py"
PRODUCER_VERSION = "1"
MODEL_VERSION = 1

INPUT_NAME = "input"
OUTPUT_NAME = "embedding"
INPUT_SIZE = 150
EMBEDDING_SIZE = 128

# (block name, kind) in the order face-api's FaceRecognitionNet.forwardInput runs them.
BLOCKS = [
    ("conv32_1", "residual"),
    ("conv32_2", "residual"),
    ("conv32_3", "residual"),
    ("conv64_down", "down"),
    ("conv64_1", "residual"),
    ("conv64_2", "residual"),
    ("conv64_3", "residual"),
    ("conv128_down", "down"),
    ("conv128_1", "residual"),
    ("conv128_2", "residual"),
    ("conv256_down", "down"),
    ("conv256_1", "residual"),
    ("conv256_2", "residual"),
    ("conv256_down_out", "down"),
]


# --- TensorFlow.js weights ---------------------------------------------------------------

# Quantised storage types tfjs-core's decodeWeights understands, as little-endian numpy types.
_QUANTISED = {"uint8": "<u1", "uint16": "<u2", "float16": "<f2"}
_PLAIN = {"float32": "<f4", "int32": "<i4"}


def read_tfjs_weights(manifest_path: Path) -> tuple[dict[str, np.ndarray], list[Path]]:
    """All weights named in a tfjs weights manifest, dequantised to float32 the way
    tfjs-core does. Returns the weights and the binary files read, in order."""
    groups = json.loads(manifest_path.read_text(encoding="utf-8"))
    weights: dict[str, np.ndarray] = {}
    files: list[Path] = []
    for group in groups:
        paths = [manifest_path.parent / p for p in group["paths"]]
        files.extend(paths)
        data = b"".join(p.read_bytes() for p in paths)
        offset = 0
        for spec in group["weights"]:
            array, offset = _decode_weight(spec, data, offset)
            if spec["name"] in weights:
                raise ValueError(f"weight {spec['name']} appears twice")
            weights[spec["name"]] = array
        if offset != len(data):
            raise ValueError(f"{manifest_path}: the weights use {offset} bytes of {len(data)}")
    return weights, files


def _decode_weight(spec: dict, data: bytes, offset: int) -> tuple[np.ndarray, int]:
    name, shape, dtype = spec["name"], tuple(spec["shape"]), spec["dtype"]
    count = math.prod(shape)
    quantisation = spec.get("quantization")
    if quantisation is None:
        if dtype not in _PLAIN:
            raise ValueError(f"weight {name}: unsupported dtype {dtype}")
        stored = np.dtype(_PLAIN[dtype])
        values = np.frombuffer(data, stored, count, offset).astype(stored.newbyteorder("="))
    else:
        kind = quantisation["dtype"]
        if dtype != "float32" or kind not in _QUANTISED:
            raise ValueError(f"weight {name}: unsupported quantisation {kind} of {dtype}")
        stored = np.dtype(_QUANTISED[kind])
        raw = np.frombuffer(data, stored, count, offset)
        if kind == "float16":
            values = raw.astype(np.float32)
        else:
            # tfjs: `values[i] = q * scale + min` with JavaScript doubles, stored into a
            # Float32Array (one rounding to nearest). Two separate double operations here
            # too (no fused multiply-add), then the same rounding.
            scale, minimum = float(quantisation["scale"]), float(quantisation["min"])
            values = (raw.astype(np.float64) * scale + minimum).astype(np.float32)
    if len(values) != count:
        raise ValueError(f"weight {name}: the binary data ends early")
    return values.reshape(shape), offset + count * stored.itemsize


# --- the ONNX graph ----------------------------------------------------------------------


class Graph:
    """Collects nodes and initialisers; tracks the (channels, height, width) of each
    tensor so that paddings and the down-sampling blocks' shape fix-ups are static."""

    def __init__(self, weights: dict[str, np.ndarray]):
        self.weights = weights
        self.used: set[str] = set()
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.shapes: dict[str, tuple[int, int, int]] = {}

    def weight(self, name: str) -> np.ndarray:
        if name not in self.weights:
            raise KeyError(f"the weights manifest has no {name}")
        self.used.add(name)
        return self.weights[name]

    def constant(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op: str, inputs: list[str], name: str, shape, **attributes) -> str:
        self.nodes.append(helper.make_node(op, inputs, [name], name=name, **attributes))
        self.shapes[name] = shape
        return name

    # face-api convLayer.ts: conv2d, + bias, scale (x * weights + biases), optional ReLU.
    def conv_layer(self, x: str, prefix: str, stride: int, relu: bool, padding: str) -> str:
        channels, height, width = self.shapes[x]
        filters = self.weight(f"{prefix}/conv/filters")  # TF layout: [kh, kw, in, out]
        kh, kw, c_in, c_out = filters.shape
        if c_in != channels:
            raise ValueError(f"{prefix}: {c_in} input channels, the tensor has {channels}")
        pads_h, out_h = _padding(height, kh, stride, padding)
        pads_w, out_w = _padding(width, kw, stride, padding)
        shape = (c_out, out_h, out_w)
        w = self.constant(f"{prefix}/conv/filters", filters.transpose(3, 2, 0, 1))
        b = self.constant(f"{prefix}/conv/bias", self.weight(f"{prefix}/conv/bias"))
        out = self.node(
            "Conv",
            [x, w, b],
            f"{prefix}/conv",
            shape,
            kernel_shape=[kh, kw],
            strides=[stride, stride],
            pads=[pads_h[0], pads_w[0], pads_h[1], pads_w[1]],
        )
        per_channel = (1, c_out, 1, 1)
        sw = self.constant(
            f"{prefix}/scale/weights",
            self.weight(f"{prefix}/scale/weights").reshape(per_channel),
        )
        sb = self.constant(
            f"{prefix}/scale/biases",
            self.weight(f"{prefix}/scale/biases").reshape(per_channel),
        )
        out = self.node("Mul", [out, sw], f"{prefix}/scale/mul", shape)
        out = self.node("Add", [out, sb], f"{prefix}/scale/add", shape)
        if relu:
            out = self.node("Relu", [out], f"{prefix}/relu", shape)
        return out

    # face-api residualLayer.ts: residual()
    def residual(self, x: str, prefix: str) -> str:
        out = self.conv_layer(x, f"{prefix}/conv1", 1, True, "same")
        out = self.conv_layer(out, f"{prefix}/conv2", 1, False, "same")
        if self.shapes[out] != self.shapes[x]:
            raise ValueError(f"{prefix}: {self.shapes[out]} cannot add {self.shapes[x]}")
        out = self.node("Add", [out, x], f"{prefix}/add", self.shapes[x])
        return self.node("Relu", [out], f"{prefix}/relu", self.shapes[x])

    # face-api residualLayer.ts: residualDown()
    def residual_down(self, x: str, prefix: str) -> str:
        out = self.conv_layer(x, f"{prefix}/conv1", 2, True, "valid")
        out = self.conv_layer(out, f"{prefix}/conv2", 1, False, "same")
        c_in, h_in, w_in = self.shapes[x]
        pooled_shape = (c_in, h_in // 2, w_in // 2)
        pooled = self.node(
            "AveragePool",
            [x],
            f"{prefix}/avg_pool",
            pooled_shape,
            kernel_shape=[2, 2],
            strides=[2, 2],
        )
        c_out, h_out, w_out = self.shapes[out]
        if (h_out, w_out) != pooled_shape[1:]:
            # face-api concatenates one zero row (axis 1) and then one zero column (axis 2)
            # at the end of the convolution path, whatever the difference is; it only
            # works out when the path is one smaller, which the 150-px input guarantees.
            if (h_out + 1, w_out + 1) != pooled_shape[1:]:
                raise ValueError(f"{prefix}: cannot pad {self.shapes[out]} to {pooled_shape}")
            pads = self.constant(
                f"{prefix}/pad_spatial/pads", np.array([0, 0, 0, 0, 0, 0, 1, 1], np.int64)
            )
            out = self.node(
                "Pad",
                [out, pads],
                f"{prefix}/pad_spatial",
                (c_out, h_out + 1, w_out + 1),
                mode="constant",
            )
        if c_in != c_out:
            # face-api concatenates zeros of the pool's own shape on the channel axis.
            if c_out != 2 * c_in:
                raise ValueError(f"{prefix}: cannot widen {c_in} channels to {c_out}")
            pads = self.constant(
                f"{prefix}/pad_channels/pads",
                np.array([0, 0, 0, 0, 0, c_out - c_in, 0, 0], np.int64),
            )
            pooled = self.node(
                "Pad",
                [pooled, pads],
                f"{prefix}/pad_channels",
                (c_out,) + pooled_shape[1:],
                mode="constant",
            )
        shape = self.shapes[pooled]
        if self.shapes[out] != shape:
            raise ValueError(f"{prefix}: {self.shapes[out]} cannot add {shape}")
        out = self.node("Add", [pooled, out], f"{prefix}/add", shape)
        return self.node("Relu", [out], f"{prefix}/relu", shape)


def _padding(size: int, kernel: int, stride: int, mode: str) -> tuple[tuple[int, int], int]:
    """TensorFlow's "same"/"valid" padding: ((before, after), output size)."""
    if mode == "valid":
        return (0, 0), (size - kernel) // stride + 1
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return (total // 2, total - total // 2), out


def build_model(weights: dict[str, np.ndarray], source_sha256: str) -> onnx.ModelProto:
    graph = Graph(weights)
    graph.shapes[INPUT_NAME] = (3, INPUT_SIZE, INPUT_SIZE)

    out = graph.conv_layer(INPUT_NAME, "conv32_down", 2, True, "valid")
    channels, height, width = graph.shapes[out]
    out = graph.node(
        "MaxPool",
        [out],
        "max_pool",
        (channels, (height - 3) // 2 + 1, (width - 3) // 2 + 1),
        kernel_shape=[3, 3],
        strides=[2, 2],
    )
    for prefix, kind in BLOCKS:
        out = (
            graph.residual(out, prefix) if kind == "residual" else graph.residual_down(out, prefix)
        )

    channels = graph.shapes[out][0]
    out = graph.node("ReduceMean", [out], "global_avg", (channels,), axes=[2, 3], keepdims=0)
    fc = graph.weight("fc")  # [256, 128]: face-api's matMul(globalAvg, fc)
    if fc.shape != (channels, EMBEDDING_SIZE):
        raise ValueError(f"fc has shape {fc.shape}")
    graph.constant("fc", fc)
    graph.nodes.append(helper.make_node("MatMul", [out, "fc"], [OUTPUT_NAME], name="fc"))

    unused = sorted(set(weights) - graph.used)
    if unused:
        raise ValueError(f"weights the graph does not use: {unused}")

    onnx_graph = helper.make_graph(
        graph.nodes,
        "dlib_face_recognition_resnet_v1",
        [
            helper.make_tensor_value_info(
                INPUT_NAME, TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE]
            )
        ],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, [1, EMBEDDING_SIZE])],
        initializer=graph.initializers,
        doc_string=(
            "dlib face recognition ResNet v1 (29 convolutions). Input: RGB 150x150 aligned "
            "face chip, NCHW, normalised (rgb - (122.782, 117.001, 104.298)) / 256. "
            "Output: 128-d embedding, compared by Euclidean distance (same person < 0.6)."
        ),
    )
    model = helper.make_model(
        onnx_graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER_NAME,
        producer_version=PRODUCER_VERSION,
        model_version=MODEL_VERSION,
        doc_string=(
            "Converted by Haul from the TensorFlow.js weights in npm @vladmandic/face-api "
            "(MIT); dlib's model weights are public domain (Davis E. King)."
        ),
    )
    model.ir_version = IR_VERSION
    helper.set_model_props(
        model,
        {
            "source": "npm @vladmandic/face-api@1.7.15 model/face_recognition_model.bin",
            "source_sha256": source_sha256,
            "licence": "public domain (dlib model weights); face-api package MIT",
            "normalisation": "(rgb - [122.782, 117.001, 104.298]) / 256, RGB, NCHW",
        },
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def convert(weights_manifest: Path, output: Path) -> str:
    """Writes the ONNX model; returns its sha256."""
    weights, files = read_tfjs_weights(weights_manifest)
    source = hashlib.sha256()
    for path in files:
        source.update(path.read_bytes())
    model = build_model(weights, source.hexdigest())
    data = model.SerializeToString(deterministic=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    partial.write_bytes(data)
    os.replace(partial, output)
    return hashlib.sha256(data).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "weights_manifest",
        type=Path,
        help="face-api's model/face_recognition_model-weights_manifest.json",
    )
    parser.add_argument("output", type=Path, help="the ONNX file to write")
    args = parser.parse_args()
    digest = convert(args.weights_manifest, args.output)
    print(f"{digest}  {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
