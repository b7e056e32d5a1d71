#!/usr/bin/env python3
"""Haul's face pipeline in Python with onnxruntime: decode, detect (YuNet), align (five
points to the embedder's template), embed (dlib ResNet). Everything model-specific comes
from Haul's model manifest (crates/haul-media/models/manifest.json), as in the Rust code.

It is the reference the Rust pipeline is checked against and the peer `cargo xtask bench
faces` measures it beside: `--threads N` runs N photos at a time, each inference on one
onnxruntime thread (sessions are shared; onnxruntime and Pillow release the GIL).

    reference_pipeline.py [--models DIR] [--threads N] [--json] PHOTO...

prints each photo's faces (box, score, landmarks) and, with two or more photos, the
Euclidean distances between the photos' largest faces; `--json` prints one JSON object
per photo instead (with the embeddings). Needs numpy, onnxruntime and Pillow
(tools/models/requirements-pipeline.txt).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image, ImageOps

REPO = Path(__file__).resolve().parents[2]
DEFAULT_MANIFEST = REPO / "crates/haul-media/models/manifest.json"


def default_models_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    target = Path(target) if target else Path.home() / ".cache/haul/target"
    return target / "models"


@dataclass
class Face:
    box: tuple[float, float, float, float]  # x, y, width, height in the photo's pixels
    score: float
    landmarks: np.ndarray  # 5 x 2, in the manifest's landmark order
    embedding: np.ndarray | None = None


@dataclass
class PhotoResult:
    path: str
    width: int
    height: int
    faces: list[Face] = field(default_factory=list)
    seconds: float = 0.0
    decode_seconds: float = 0.0
    detect_seconds: float = 0.0
    embed_seconds: float = 0.0


def _session(model: bytes, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def _load_verified(path: Path, spec: dict) -> bytes:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != spec["sha256"]:
        raise SystemExit(f"{path}: sha256 {digest}, the manifest wants {spec['sha256']}")
    return data


class Detector:
    """YuNet: an image scaled to fit `size` (aspect kept), padded right and bottom with
    zeros; the per-stride outputs decoded, thresholded and suppressed (NMS)."""

    def __init__(self, spec: dict, model: bytes, size: int | None, threads: int):
        self.spec = spec
        inputs = spec["input"]
        self.size = size or inputs["size"][0]
        if self.size % inputs["size_multiple"]:
            raise SystemExit(
                f"detector size {self.size} is not a multiple of {inputs['size_multiple']}"
            )
        if [self.size, self.size] != inputs["size"]:
            model = _with_input_size(model, inputs["name"], self.size)
        self.session = _session(model, threads)
        self.bgr = inputs["colour_order"] == "BGR"
        self.mean = np.array(inputs["mean"], np.float32)
        self.std = np.array(inputs["std"], np.float32)
        out = spec["output"]
        if out["layout"] != "yunet":
            raise SystemExit(f"unknown detector output layout {out['layout']}")
        self.strides = out["strides"]
        self.names = [
            [out["tensors"][kind].format(stride=s) for kind in ("cls", "obj", "bbox", "kps")]
            for s in self.strides
        ]
        self.score_threshold = out["score_threshold"]
        self.nms_iou = out["nms_iou"]

    def detect(self, image: Image.Image, min_face: float = 0.0) -> list[Face]:
        scale = self.size / max(image.width, image.height)
        width = max(1, round(image.width * scale))
        height = max(1, round(image.height * scale))
        resized = np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), np.float32)
        canvas = np.zeros((self.size, self.size, 3), np.float32)
        canvas[:height, :width] = resized
        if self.bgr:
            canvas = canvas[:, :, ::-1]
        canvas = (canvas - self.mean) / self.std  # the manifest lists them in the model's order
        tensor = np.ascontiguousarray(canvas.transpose(2, 0, 1)[None])
        outputs = self.session.run(
            [n for names in self.names for n in names], {self.spec["input"]["name"]: tensor}
        )
        boxes, scores, points = [], [], []
        for i, stride in enumerate(self.strides):
            cls, obj, bbox, kps = (o[0] for o in outputs[4 * i : 4 * i + 4])
            score = np.sqrt(np.clip(cls[:, 0], 0, 1) * np.clip(obj[:, 0], 0, 1))
            keep = np.nonzero(score >= self.score_threshold)[0]
            if keep.size == 0:
                continue
            cols = self.size // stride
            col, row = (keep % cols).astype(np.float32), (keep // cols).astype(np.float32)
            cx = (col + bbox[keep, 0]) * stride
            cy = (row + bbox[keep, 1]) * stride
            w = np.exp(bbox[keep, 2]) * stride
            h = np.exp(bbox[keep, 3]) * stride
            boxes.append(np.stack([cx - w / 2, cy - h / 2, w, h], 1))
            scores.append(score[keep])
            k = kps[keep].reshape(-1, 5, 2)
            points.append(
                np.stack(
                    [(col[:, None] + k[:, :, 0]) * stride, (row[:, None] + k[:, :, 1]) * stride], 2
                )
            )
        if not boxes:
            return []
        boxes_a, scores_a, points_a = (
            np.concatenate(boxes),
            np.concatenate(scores),
            np.concatenate(points),
        )
        faces = []
        for i in _nms(boxes_a, scores_a, self.nms_iou):
            box = boxes_a[i] / scale
            if min(box[2], box[3]) < min_face:
                continue
            faces.append(
                Face(tuple(float(v) for v in box), float(scores_a[i]), points_a[i] / scale)
            )
        return faces


def _with_input_size(model: bytes, input_name: str, size: int) -> bytes:
    """The model with its input resized and its stored intermediate shapes (pinned to the
    original size) dropped, so the runtime infers them again."""
    proto = onnx.load_from_string(model)
    for value in proto.graph.input:
        if value.name == input_name:
            dims = value.type.tensor_type.shape.dim
            dims[2].dim_value = size
            dims[3].dim_value = size
    del proto.graph.value_info[:]
    for value in proto.graph.output:
        value.type.tensor_type.ClearField("shape")
    return proto.SerializeToString()


def _nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> list[int]:
    order = np.argsort(-scores, kind="stable")
    x1, y1 = boxes[:, 0], boxes[:, 1]
    x2, y2 = x1 + boxes[:, 2], y1 + boxes[:, 3]
    areas = boxes[:, 2] * boxes[:, 3]
    kept: list[int] = []
    while order.size:
        i = int(order[0])
        kept.append(i)
        rest = order[1:]
        iw = np.clip(np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]), 0, None)
        ih = np.clip(np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]), 0, None)
        inter = iw * ih
        iou = inter / (areas[i] + areas[rest] - inter)
        order = rest[iou <= iou_threshold]
    return kept


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """The 2x3 similarity (rotation, uniform scale, translation; no reflection) that maps
    `src` points onto `dst` points with the least squared error (Umeyama, 1991)."""
    src, dst = src.astype(np.float64), dst.astype(np.float64)
    src_mean, dst_mean = src.mean(0), dst.mean(0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    covariance = dst_c.T @ src_c / len(src)
    u, sigma, vt = np.linalg.svd(covariance)
    d = np.eye(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        d[1, 1] = -1
    rotation = u @ d @ vt
    scale = np.trace(np.diag(sigma) @ d) / (src_c**2).sum(1).mean()
    matrix = np.zeros((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


class Embedder:
    """dlib's ResNet on a chip aligned to the manifest's template."""

    def __init__(self, spec: dict, model: bytes, threads: int):
        self.spec = spec
        self.session = _session(model, threads)
        inputs = spec["input"]
        if inputs["colour_order"] != "RGB":
            raise SystemExit("the embedder must take RGB")
        self.mean = np.array(inputs["mean"], np.float32)
        self.std = np.array(inputs["std"], np.float32)
        alignment = spec["alignment"]
        if alignment["transform"] != "similarity_least_squares":
            raise SystemExit(f"unknown alignment {alignment['transform']}")
        self.size = tuple(alignment["size"])
        self.template = np.array(alignment["template"], np.float64)

    def chip(self, image: Image.Image, landmarks: np.ndarray) -> np.ndarray:
        """The aligned RGB chip, H x W x 3 uint8. Coordinates have pixel centres on
        integers (as dlib and OpenCV); Pillow puts them at +0.5, hence the shifts."""
        forward = np.vstack([similarity_transform(landmarks, self.template), [0, 0, 1]])
        shift = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1]])
        unshift = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1]])
        inverse = shift @ np.linalg.inv(forward) @ unshift  # chip (Pillow) -> photo (Pillow)
        chip = image.transform(
            self.size,
            Image.Transform.AFFINE,
            tuple(inverse[:2].ravel()),
            resample=Image.Resampling.BILINEAR,
        )
        return np.asarray(chip)

    def embed(self, chips: np.ndarray) -> np.ndarray:
        """Embeddings of N x H x W x 3 RGB chips (0-255): N x 128."""
        x = (chips.astype(np.float32) - self.mean) / self.std
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
        name = self.spec["input"]["name"]
        return np.concatenate(
            [self.session.run(None, {name: x[i : i + 1]})[0] for i in range(len(x))]
        )


class Pipeline:
    def __init__(
        self,
        models_dir: Path,
        manifest_path: Path = DEFAULT_MANIFEST,
        detector_size: int | None = None,
        threads_per_model: int = 1,
    ):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        det, emb = manifest["detector"], manifest["embedder"]
        self.detector = Detector(
            det, _load_verified(models_dir / det["file"], det), detector_size, threads_per_model
        )
        self.embedder = Embedder(
            emb, _load_verified(models_dir / emb["file"], emb), threads_per_model
        )
        if det["landmarks"] != emb["alignment"]["landmarks"]:
            raise SystemExit("the detector's landmarks are not the ones the embedder aligns by")

    def run(self, path: Path, min_face: float = 0.0) -> PhotoResult:
        started = time.perf_counter()
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        result = PhotoResult(str(path), image.width, image.height)
        decoded = time.perf_counter()
        result.faces = self.detector.detect(image, min_face)
        detected = time.perf_counter()
        if result.faces:
            chips = np.stack([self.embedder.chip(image, f.landmarks) for f in result.faces])
            for face, embedding in zip(result.faces, self.embedder.embed(chips), strict=True):
                face.embedding = embedding
        result.seconds = time.perf_counter() - started
        result.decode_seconds = decoded - started
        result.detect_seconds = detected - decoded
        result.embed_seconds = result.seconds - (detected - started)
        return result


def distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a.astype(np.float64) - b.astype(np.float64)))


def _largest(result: PhotoResult) -> Face | None:
    return max(result.faces, key=lambda f: f.box[2] * f.box[3], default=None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("photos", nargs="+", type=Path)
    parser.add_argument(
        "--models",
        type=Path,
        default=default_models_dir(),
        help="folder holding the manifest's model files (default: $CARGO_TARGET_DIR/models)",
    )
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--threads", type=int, default=1, help="photos processed at once")
    parser.add_argument("--detector-size", type=int, help="detector input side (multiple of 32)")
    parser.add_argument("--min-face", type=float, default=0.0, help="smallest face side, pixels")
    parser.add_argument("--json", action="store_true", help="one JSON object per photo")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="one JSON line of totals (as Haul's faces_bench prints) instead",
    )
    args = parser.parse_args()

    pipeline = Pipeline(args.models, args.manifest, args.detector_size)
    pipeline.run(args.photos[0], args.min_face)  # warm-up outside the clock, as Haul's
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.threads)) as pool:
        results = list(pool.map(lambda p: pipeline.run(p, args.min_face), args.photos))
    elapsed = time.perf_counter() - started

    if args.summary:
        import resource

        n = len(results)
        faces = sum(len(r.faces) for r in results)
        print(
            json.dumps(
                {
                    "photos": n,
                    "faces": faces,
                    "seconds": round(elapsed, 3),
                    "photos_per_s": round(n / elapsed, 2),
                    "decode_ms": round(sum(r.decode_seconds for r in results) * 1000 / n, 2),
                    "detect_ms": round(sum(r.detect_seconds for r in results) * 1000 / n, 2),
                    "embed_ms_per_face": round(
                        sum(r.embed_seconds for r in results) * 1000 / max(faces, 1), 2
                    ),
                    "peak_mib": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                    "detector_side": pipeline.detector.size,
                }
            )
        )
        return 0

    if args.json:
        for r in results:
            print(
                json.dumps(
                    {
                        "path": r.path,
                        "width": r.width,
                        "height": r.height,
                        "seconds": r.seconds,
                        "faces": [
                            {
                                "box": [round(v, 2) for v in f.box],
                                "score": round(f.score, 4),
                                "landmarks": np.round(f.landmarks, 2).tolist(),
                                "embedding": [float(v) for v in f.embedding],
                            }
                            for f in r.faces
                        ],
                    }
                )
            )
        return 0

    for r in results:
        print(f"{r.path}: {r.width}x{r.height}, {len(r.faces)} face(s), {r.seconds * 1000:.1f} ms")
        for f in r.faces:
            x, y, w, h = f.box
            points = " ".join(f"({px:.0f},{py:.0f})" for px, py in f.landmarks)
            print(f"  box ({x:.0f},{y:.0f}) {w:.0f}x{h:.0f}  score {f.score:.3f}  {points}")
    largest = [(Path(r.path).stem, _largest(r)) for r in results]
    largest = [(name, f) for name, f in largest if f is not None]
    if len(largest) > 1:
        print("\nEuclidean distance between the photos' largest faces:")
        width = max(len(name) for name, _ in largest)
        print(" " * width + "".join(f"  {name:>{width}}" for name, _ in largest))
        for name, face in largest:
            cells = "".join(
                f"  {distance(face.embedding, other.embedding):>{width}.3f}" for _, other in largest
            )
            print(f"{name:>{width}}{cells}")
    print(
        f"\n{len(results)} photos in {elapsed:.2f} s ({len(results) / elapsed:.1f} photos/s, "
        f"{args.threads} thread(s))",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
