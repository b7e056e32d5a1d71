#!/usr/bin/env python3
"""Checks the converted dlib ResNet against face-api's own TensorFlow.js forward pass.

Feeds the same 150x150 RGB inputs (seeded random images and, with --photos, the aligned
face chips of those photos as reference_pipeline.py cuts them) to
  - face-api's FaceRecognitionNet.forwardInput on tfjs's CPU backend in Node
    (tfjs_reference.mjs), which normalises with (rgb - mean) / 255 itself, and
  - the ONNX model in onnxruntime, given the same (rgb - mean) / 255 tensor,
and prints the largest absolute difference between the embeddings. Then, for the photos,
the distances with face-api's /255 beside dlib's /256 (the manifest's normalisation).

    verify_conversion.py --face-api PACKAGE_DIR [--models DIR] [--photos JPG...]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

import dlib_resnet_to_onnx
import reference_pipeline as rp

HERE = Path(__file__).resolve().parent
FACE_API_MEAN = np.array([122.782, 117.001, 104.298], np.float32)


def tfjs_reference(face_api: Path, chips: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """face-api's embeddings of the chips, and every weight as tfjs decoded it (flat)."""
    with tempfile.TemporaryDirectory(prefix="haul-verify-") as scratch:
        inputs, outputs = Path(scratch) / "in.f32", Path(scratch) / "out.f32"
        weights = Path(scratch) / "weights.f32"
        chips.astype("<f4").tofile(inputs)
        subprocess.run(
            [
                "node",
                str(HERE / "tfjs_reference.mjs"),
                str(face_api),
                str(inputs),
                str(outputs),
                str(weights),
            ],
            check=True,
        )
        return np.fromfile(outputs, "<f4").reshape(len(chips), -1), np.fromfile(weights, "<f4")


def onnx_embeddings(embedder: rp.Embedder, chips: np.ndarray, divisor: float) -> np.ndarray:
    x = (chips.astype(np.float32) - FACE_API_MEAN) / np.float32(divisor)
    x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    name = embedder.spec["input"]["name"]
    return np.concatenate(
        [embedder.session.run(None, {name: x[i : i + 1]})[0] for i in range(len(x))]
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--face-api",
        type=Path,
        required=True,
        help="the unpacked npm package @vladmandic/face-api@1.7.15",
    )
    parser.add_argument("--models", type=Path, default=rp.default_models_dir())
    parser.add_argument("--manifest", type=Path, default=rp.DEFAULT_MANIFEST)
    parser.add_argument("--photos", type=Path, nargs="*", default=[])
    parser.add_argument("--random", type=int, default=4, help="how many random inputs")
    args = parser.parse_args()

    pipeline = rp.Pipeline(args.models, args.manifest)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    if not np.allclose(manifest["embedder"]["input"]["mean"], FACE_API_MEAN):
        raise SystemExit("the manifest's mean is not face-api's")

    rng = np.random.default_rng(20240514)
    chips = [rng.uniform(0, 255, (150, 150, 3)).astype(np.float32) for _ in range(args.random)]
    labels = [f"random {i}" for i in range(args.random)]
    for photo in args.photos:
        with Image.open(photo) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        faces = pipeline.detector.detect(image)
        if not faces:
            raise SystemExit(f"{photo}: no face found")
        face = max(faces, key=lambda f: f.box[2] * f.box[3])
        chips.append(pipeline.embedder.chip(image, face.landmarks).astype(np.float32))
        labels.append(photo.stem)
    chips_a = np.stack(chips)

    reference, tfjs_weights = tfjs_reference(args.face_api, chips_a)
    ours, _ = dlib_resnet_to_onnx.read_tfjs_weights(
        args.face_api / "model/face_recognition_model-weights_manifest.json"
    )
    ours_flat = np.concatenate([w.ravel() for w in ours.values()]).astype("<f4")
    identical = ours_flat.tobytes() == tfjs_weights.tobytes()
    print(
        f"dequantised weights: {len(ours_flat)} floats, "
        f"{'bit-identical to' if identical else 'DIFFERENT from'} tfjs's decodeWeights"
    )

    converted = onnx_embeddings(pipeline.embedder, chips_a, 255.0)
    print("face-api TF.js (cpu) vs ONNX in onnxruntime, same input ((rgb - mean) / 255):")
    for label, a, b in zip(labels, reference, converted, strict=True):
        print(
            f"  {label:>10}: max |diff| {np.abs(a - b).max():.2e}"
            f"  (|embedding| {np.linalg.norm(a):.3f})"
        )
    worst = float(np.abs(reference - converted).max())
    print(f"  overall max |diff| {worst:.2e}")

    if len(args.photos) > 1:
        dlib = onnx_embeddings(pipeline.embedder, chips_a, 256.0)[args.random :]
        face_api = converted[args.random :]
        print("\ndistances, face-api's /255 beside dlib's /256:")
        for (i, a), (j, b) in itertools.combinations(enumerate(labels[args.random :]), 2):
            print(
                f"  {a:>8} - {b:<8} {rp.distance(face_api[i], face_api[j]):.4f}  "
                f"{rp.distance(dlib[i], dlib[j]):.4f}"
            )
    return 0 if identical and worst < 1e-4 else 1


if __name__ == "__main__":
    sys.exit(main())
