//! Face detection with YuNet as the manifest describes it: the photo scaled so its
//! longer side is the detector's side, the shorter side padded only up to the next
//! multiple of the model's stride (a 4:3 photo runs at 640×480, not 640×640), the
//! per-stride outputs decoded, thresholded and suppressed.
//!
//! tract plans are made for fixed shapes, so one plan is kept per input shape; photos
//! come in a handful of aspect ratios, so there are few.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use image::RgbImage;
use tract_onnx::prelude::*;

use super::FaceError;
use super::manifest::{ColourOrder, DetectorSpec};

type Plan = Arc<TypedRunnableModel>;

/// Plans beyond this many shapes are not kept (a library of odd sizes would
/// otherwise grow the cache without end); the shape is planned again when needed.
const MAX_PLANS: usize = 24;

/// A face as the detector sees it, in the pixels of the image it was given.
#[derive(Clone, Debug, PartialEq)]
pub struct Detection {
    /// x, y, width, height.
    pub bbox: [f32; 4],
    pub score: f32,
    /// In the manifest's landmark order.
    pub landmarks: [[f32; 2]; 5],
}

pub struct Detector {
    spec: DetectorSpec,
    source: Source,
    side: u32,
    multiple: u32,
    plans: Mutex<HashMap<(u32, u32), Plan>>,
}

/// What a shape's plan is made from.
enum Source {
    /// The model typed and decluttered once with a symbolic input height and
    /// width: planning a shape only substitutes the two and optimises (about
    /// 18 ms for YuNet, against 55 from the file).
    Symbolic(TypedModel),
    /// A model tract cannot type at a symbolic size (a reshape pinned to one
    /// size, say): each shape is planned from the file.
    File {
        bytes: Vec<u8>,
        outputs: Vec<String>,
    },
}

/// The symbols of a symbolic input's height and width.
const HEIGHT: &str = "height";
const WIDTH: &str = "width";

/// The detector typed and decluttered at `size` (height, width), or at the
/// symbolic size [`HEIGHT`] × [`WIDTH`] when `None`, its max pools on Haul's
/// kernel.
fn typed(
    bytes: &[u8],
    outputs: &[String],
    size: Option<(usize, usize)>,
) -> TractResult<TypedModel> {
    // The file pins its intermediate shapes to its default size: drop them so
    // tract infers them for the one asked for.
    let mut model = tract_onnx::onnx()
        .with_ignore_value_info(true)
        .with_ignore_output_shapes(true)
        .model_for_read(&mut &bytes[..])?;
    let shape = match size {
        Some((height, width)) => [1, 3, height, width].map(|d| d.to_dim()),
        None => [
            1.to_dim(),
            3.to_dim(),
            model.sym(HEIGHT).to_dim(),
            model.sym(WIDTH).to_dim(),
        ],
    };
    model = model
        .with_input_fact(0, f32::fact(&shape).into())?
        .with_outputs_by_name(outputs)?;
    let mut model = model.into_typed()?.into_decluttered()?;
    let replaced = super::max_pool::replace_max_pools(&mut model)?;
    tracing::debug!(replaced, "detector: 2×2 max pools run on Haul's kernel");
    Ok(model)
}

impl Detector {
    /// `side` is the input's longer side, a multiple of the model's stride
    /// multiple; `model` the verified ONNX file.
    pub fn new(spec: &DetectorSpec, model: &[u8], side: u32) -> Result<Self, FaceError> {
        let multiple = spec
            .input
            .size_multiple
            .unwrap_or_else(|| spec.output.strides.iter().copied().max().unwrap_or(32));
        if side == 0 || !side.is_multiple_of(multiple) {
            return Err(FaceError::Manifest(format!(
                "the detector's input side {side} is not a multiple of {multiple}"
            )));
        }
        let tensors = &spec.output.tensors;
        let outputs: Vec<String> = spec
            .output
            .strides
            .iter()
            .flat_map(|stride| {
                [&tensors.cls, &tensors.obj, &tensors.bbox, &tensors.kps]
                    .map(|name| name.replace("{stride}", &stride.to_string()))
            })
            .collect();
        let source = match typed(model, &outputs, None) {
            Ok(typed) => Source::Symbolic(typed),
            Err(e) => {
                tracing::debug!("detector: planned per shape ({e:#})");
                Source::File {
                    bytes: model.to_vec(),
                    outputs,
                }
            }
        };
        let detector = Self {
            spec: spec.clone(),
            source,
            side,
            multiple,
            plans: Mutex::new(HashMap::new()),
        };
        // Plan the two commonest shapes now: a broken model fails here, not later.
        detector.plan(side, side * 3 / 4 / multiple * multiple)?;
        Ok(detector)
    }

    /// The input shape for an image: (scale, input width, input height, scaled
    /// width, scaled height).
    fn shape(&self, width: u32, height: u32) -> (f32, u32, u32, u32, u32) {
        let scale = self.side as f32 / width.max(height) as f32;
        let scaled = |v: u32| ((v as f32 * scale).round() as u32).clamp(1, self.side);
        let (w, h) = (scaled(width), scaled(height));
        let padded = |v: u32| v.div_ceil(self.multiple) * self.multiple;
        (scale, padded(w), padded(h), w, h)
    }

    fn plan(&self, width: u32, height: u32) -> Result<Plan, FaceError> {
        let key = (width, height);
        if let Some(plan) = self.plans.lock().map_err(|_| poisoned())?.get(&key) {
            return Ok(plan.clone());
        }
        let (h, w) = (height as usize, width as usize);
        let plan = match &self.source {
            // The symbols are the model's own: `sym` finds them by name.
            Source::Symbolic(model) => model.set_symbols(&HashMap::from([
                (model.sym(HEIGHT), h.to_dim()),
                (model.sym(WIDTH), w.to_dim()),
            ])),
            Source::File { bytes, outputs } => typed(bytes, outputs, Some((h, w))),
        }
        .and_then(|model| model.into_optimized())
        .and_then(|model| model.into_runnable())
        .map_err(|e| {
            FaceError::Model(format!(
                "the detector cannot run at {width}×{height}: {e:#}"
            ))
        })?;
        let mut plans = self.plans.lock().map_err(|_| poisoned())?;
        if plans.len() >= MAX_PLANS {
            plans.clear();
        }
        plans.insert(key, plan.clone());
        Ok(plan)
    }

    /// The faces in `image`, best first, in its pixels.
    pub fn detect(&self, image: &RgbImage) -> Result<Vec<Detection>, FaceError> {
        let (scale, in_w, in_h, w, h) = self.shape(image.width(), image.height());
        let plan = self.plan(in_w, in_h)?;
        let input = self.input_tensor(image, in_w, in_h, w, h)?;
        let outputs = plan
            .run(tvec!(input.into()))
            .map_err(|e| FaceError::Model(format!("the detector failed: {e:#}")))?;
        let mut found = self.decode(&outputs, in_w, in_h)?;
        found = suppress(found, self.spec.output.nms_iou);
        for face in &mut found {
            for v in &mut face.bbox {
                *v /= scale;
            }
            for point in &mut face.landmarks {
                point[0] /= scale;
                point[1] /= scale;
            }
        }
        Ok(found)
    }

    /// NCHW, normalised, written straight from the scaled image; the padding is
    /// what a zero pixel normalises to.
    fn input_tensor(
        &self,
        image: &RgbImage,
        in_w: u32,
        in_h: u32,
        w: u32,
        h: u32,
    ) -> Result<Tensor, FaceError> {
        let scaled = if (w, h) == image.dimensions() {
            std::borrow::Cow::Borrowed(image)
        } else {
            std::borrow::Cow::Owned(
                crate::resize::resize_rgb(image, None, w, h).map_err(FaceError::Model)?,
            )
        };
        let input = &self.spec.input;
        let plane = (in_w * in_h) as usize;
        let mut data = vec![0f32; 3 * plane];
        for c in 0..3 {
            let pad = -input.mean[c] / input.std[c];
            data[c * plane..(c + 1) * plane].fill(pad);
        }
        let order: [usize; 3] = match input.colour_order {
            ColourOrder::Rgb => [0, 1, 2],
            ColourOrder::Bgr => [2, 1, 0],
        };
        for (y, row) in scaled.rows().enumerate() {
            for (x, pixel) in row.enumerate() {
                let at = y * in_w as usize + x;
                for (c, &source) in order.iter().enumerate() {
                    data[c * plane + at] =
                        (f32::from(pixel.0[source]) - input.mean[c]) / input.std[c];
                }
            }
        }
        Tensor::from_shape(&[1, 3, in_h as usize, in_w as usize], &data)
            .map_err(|e| FaceError::Model(format!("detector input: {e}")))
    }

    fn decode(
        &self,
        outputs: &[TValue],
        in_w: u32,
        in_h: u32,
    ) -> Result<Vec<Detection>, FaceError> {
        let threshold = self.spec.output.score_threshold;
        let mut found = Vec::new();
        for (i, &stride) in self.spec.output.strides.iter().enumerate() {
            let tensor = |k: usize| -> Result<&[f32], FaceError> {
                outputs
                    .get(4 * i + k)
                    .ok_or_else(|| FaceError::Model("the detector gave too few outputs".into()))?
                    .try_as_plain_ram()
                    .and_then(|view| view.as_slice::<f32>())
                    .map_err(|e| FaceError::Model(format!("detector output: {e}")))
            };
            let (cls, obj, bbox, kps) = (tensor(0)?, tensor(1)?, tensor(2)?, tensor(3)?);
            let cols = (in_w / stride) as usize;
            let cells = cols * (in_h / stride) as usize;
            if cls.len() < cells
                || obj.len() < cells
                || bbox.len() < 4 * cells
                || kps.len() < 10 * cells
            {
                return Err(FaceError::Model(format!(
                    "the detector's stride-{stride} outputs are not the manifest's layout"
                )));
            }
            let s = stride as f32;
            for cell in 0..cells {
                let score = (cls[cell].clamp(0.0, 1.0) * obj[cell].clamp(0.0, 1.0)).sqrt();
                // NaN scores (a broken model) are dropped with the low ones.
                if score.is_nan() || score < threshold {
                    continue;
                }
                let (col, row) = ((cell % cols) as f32, (cell / cols) as f32);
                let b = &bbox[4 * cell..4 * cell + 4];
                let (cx, cy) = ((col + b[0]) * s, (row + b[1]) * s);
                let (w, h) = (b[2].exp() * s, b[3].exp() * s);
                if !(w.is_finite() && h.is_finite()) {
                    continue;
                }
                let k = &kps[10 * cell..10 * cell + 10];
                let landmarks =
                    std::array::from_fn(|p| [(col + k[2 * p]) * s, (row + k[2 * p + 1]) * s]);
                found.push(Detection {
                    bbox: [cx - w / 2.0, cy - h / 2.0, w, h],
                    score,
                    landmarks,
                });
            }
        }
        Ok(found)
    }
}

fn poisoned() -> FaceError {
    FaceError::Model("a detector thread panicked".into())
}

fn iou(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let w = (a[0] + a[2]).min(b[0] + b[2]) - a[0].max(b[0]);
    let h = (a[1] + a[3]).min(b[1] + b[3]) - a[1].max(b[1]);
    if w <= 0.0 || h <= 0.0 {
        return 0.0;
    }
    let inter = w * h;
    inter / (a[2] * a[3] + b[2] * b[3] - inter)
}

/// Greedy non-maximum suppression: best first, dropping what overlaps a kept face
/// by more than `threshold`.
fn suppress(mut found: Vec<Detection>, threshold: f32) -> Vec<Detection> {
    found.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Detection> = Vec::new();
    for face in found {
        if kept.iter().all(|k| iou(&k.bbox, &face.bbox) <= threshold) {
            kept.push(face);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(x: f32, score: f32) -> Detection {
        Detection {
            bbox: [x, 0.0, 10.0, 10.0],
            score,
            landmarks: [[0.0; 2]; 5],
        }
    }

    #[test]
    fn overlapping_boxes_keep_the_best_one() {
        let kept = suppress(vec![face(0.0, 0.7), face(1.0, 0.9), face(50.0, 0.8)], 0.3);
        let scores: Vec<f32> = kept.iter().map(|f| f.score).collect();
        assert_eq!(scores, [0.9, 0.8]);
        assert_eq!(iou(&[0.0, 0.0, 2.0, 2.0], &[1.0, 1.0, 2.0, 2.0]), 1.0 / 7.0);
    }
}
