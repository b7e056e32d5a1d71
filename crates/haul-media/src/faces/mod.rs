//! Faces, offline on the CPU with tract: detection (YuNet), five-point alignment to
//! the embedder's template and the embedding (dlib's ResNet), everything about the
//! models read from the manifest. A photo is decoded once, at reduced scale where
//! the format allows; the detector runs at the photo's aspect ratio; the chips are
//! sampled straight into the embedder's input.

mod align;
mod detect;
mod embed;
mod manifest;
mod max_pool;
mod model_files;

use std::path::Path;
use std::time::{Duration, Instant};

use image::{DynamicImage, RgbImage};

pub use align::similarity;
pub use detect::Detection;
pub use embed::distance;
pub use manifest::{Manifest, ModelFile};
pub use model_files::{check, install_bytes, install_from_dir, missing, read_verified};

use crate::{DecodeLimits, MediaError};

#[derive(Debug, thiserror::Error)]
pub enum FaceError {
    #[error("the face model manifest is not usable: {0}")]
    Manifest(String),
    #[error("the face model {file} is not installed in {dir}")]
    ModelMissing { file: String, dir: String },
    #[error(
        "{path} is not the pinned model ({found}; the manifest wants {wanted}): refused, nothing was loaded"
    )]
    ModelChecksum {
        path: String,
        found: String,
        wanted: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Model(String),
    #[error(transparent)]
    Media(#[from] MediaError),
}

/// How photos are analysed.
#[derive(Clone, Copy, Debug)]
pub struct FaceOptions {
    /// The detector input's longer side (a multiple of 32). 640, the model's own
    /// size, finds faces down to about 1/50 of the photo's longer side.
    pub detector_side: u32,
    /// Faces whose shorter side is under this many pixels of the original photo
    /// are not kept: too small to recognise.
    pub min_face_pixels: f32,
    /// JPEGs are decoded at the smallest DCT scale whose longer side is at least
    /// this: enough for the detector and for sharp chips of all but tiny faces.
    pub decode_side: u16,
}

impl Default for FaceOptions {
    fn default() -> Self {
        Self {
            detector_side: 640,
            min_face_pixels: 24.0,
            decode_side: 960,
        }
    }
}

/// A face found in a photo. Coordinates are fractions of the photo's width and
/// height as displayed (EXIF orientation applied), so they hold at any size.
#[derive(Clone, Debug)]
pub struct FoundFace {
    /// x, y, width, height.
    pub bbox: [f32; 4],
    pub landmarks: [[f32; 2]; 5],
    pub score: f32,
    /// 0–1: detection score, size and how frontal the face is; the best faces
    /// make a person's cover.
    pub quality: f32,
    pub embedding: Vec<f32>,
    /// A square JPEG crop around the face for the People page.
    pub crop: Vec<u8>,
}

/// Where the time of one photo went.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    pub decode: Duration,
    pub detect: Duration,
    pub embed: Duration,
}

#[derive(Clone, Debug)]
pub struct PhotoFaces {
    /// The photo's size as displayed.
    pub width: u32,
    pub height: u32,
    pub faces: Vec<FoundFace>,
    pub timings: Timings,
}

/// Side of the face crops kept for the People page.
pub const CROP_SIDE: u32 = 160;

/// Both models, loaded and planned; shareable across threads.
pub struct FaceAnalyzer {
    detector: detect::Detector,
    embedder: embed::Embedder,
    template: Vec<[f32; 2]>,
    options: FaceOptions,
    model_id: String,
}

impl FaceAnalyzer {
    /// Loads the manifest's models from `dir`, each checked against its sha256
    /// before it is parsed.
    pub fn load(dir: &Path, manifest: &Manifest, options: FaceOptions) -> Result<Self, FaceError> {
        let detector_bytes = read_verified(dir, &manifest.detector.model)?;
        let embedder_bytes = read_verified(dir, &manifest.embedder.model)?;
        let detector =
            detect::Detector::new(&manifest.detector, &detector_bytes, options.detector_side)?;
        let embedder = embed::Embedder::new(&manifest.embedder, &embedder_bytes)?;
        Ok(Self {
            detector,
            embedder,
            template: manifest.embedder.alignment.template.clone(),
            options,
            model_id: manifest.model_id(),
        })
    }

    /// Names the model pair: faces found with another pair are not comparable.
    pub fn model_id(&self) -> &str {
        &self.model_id
    }

    /// The distance under which two faces are the same person, per the manifest.
    pub fn same_person_threshold(&self) -> f32 {
        self.embedder.spec().distance.threshold
    }

    /// Decodes the photo at `path` (within `limits`) and analyses it.
    pub fn analyze_file(
        &self,
        path: &Path,
        limits: &DecodeLimits,
    ) -> Result<PhotoFaces, FaceError> {
        let started = Instant::now();
        let bytes = crate::read_limited(path, limits)?;
        let original = crate::dimensions(path, &bytes)?;
        let image = crate::decode_bytes(path, &bytes, self.options.decode_side, limits)?;
        drop(bytes);
        let decoded_long = image.width().max(image.height()).max(1);
        let scale_to_original = original.width.max(original.height) as f32 / decoded_long as f32;
        let decode = started.elapsed();
        let mut result = self.analyze(&image, scale_to_original.max(1.0))?;
        result.timings.decode = decode;
        // The displayed size: the decoded image's orientation at the original scale.
        result.width = (image.width() as f32 * scale_to_original).round() as u32;
        result.height = (image.height() as f32 * scale_to_original).round() as u32;
        Ok(result)
    }

    /// Analyses a decoded image; `scale_to_original` is how much larger the
    /// original photo is (for the minimum face size).
    pub fn analyze(
        &self,
        image: &DynamicImage,
        scale_to_original: f32,
    ) -> Result<PhotoFaces, FaceError> {
        let rgb: std::borrow::Cow<'_, RgbImage> = match image {
            DynamicImage::ImageRgb8(rgb) => std::borrow::Cow::Borrowed(rgb),
            other => std::borrow::Cow::Owned(other.to_rgb8()),
        };
        let (width, height) = rgb.dimensions();
        let mut timings = Timings::default();
        let started = Instant::now();
        let detections = self.detector.detect(&rgb)?;
        timings.detect = started.elapsed();
        let started = Instant::now();
        let mut faces = Vec::new();
        for detection in detections {
            let short = detection.bbox[2].min(detection.bbox[3]) * scale_to_original;
            if short < self.options.min_face_pixels {
                continue;
            }
            let forward = similarity(&detection.landmarks, &self.template);
            let chip = align::chip_input(&rgb, forward, &self.embedder.spec().input);
            let embedding = self.embedder.embed(&chip)?;
            let crop = face_crop(&rgb, &detection.bbox)?;
            let (w, h) = (width as f32, height as f32);
            let [x, y, bw, bh] = detection.bbox;
            faces.push(FoundFace {
                bbox: [x / w, y / h, bw / w, bh / h],
                landmarks: detection.landmarks.map(|[px, py]| [px / w, py / h]),
                score: detection.score,
                quality: quality(&detection, short),
                embedding,
                crop,
            });
        }
        timings.embed = started.elapsed();
        Ok(PhotoFaces {
            width,
            height,
            faces,
            timings,
        })
    }
}

/// Detection score × size (full at 96 px) × how frontal (the nose between the eyes).
fn quality(face: &Detection, short_side_pixels: f32) -> f32 {
    let [left, right, nose, ..] = face.landmarks;
    let eyes = (right[0] - left[0]).abs().max(1.0);
    let off_centre = ((nose[0] - (left[0] + right[0]) / 2.0).abs() / eyes).min(1.0);
    let size = (short_side_pixels / 96.0).min(1.0);
    (face.score.clamp(0.0, 1.0) * size * (1.0 - off_centre)).clamp(0.0, 1.0)
}

/// A square crop around the face with a margin, CROP_SIDE pixels, as JPEG.
fn face_crop(image: &RgbImage, bbox: &[f32; 4]) -> Result<Vec<u8>, FaceError> {
    let [x, y, w, h] = bbox.map(f64::from);
    let side = (w.max(h) * 1.5).max(1.0);
    let (cx, cy) = (x + w / 2.0, y + h / 2.0);
    let (width, height) = (f64::from(image.width()), f64::from(image.height()));
    let left = (cx - side / 2.0).clamp(0.0, width - 1.0).floor();
    let top = (cy - side / 2.0).clamp(0.0, height - 1.0).floor();
    let region = [left, top, side.min(width - left), side.min(height - top)];
    let scaled = crate::resize::resize_rgb(image, Some(region), CROP_SIDE, CROP_SIDE)
        .map_err(FaceError::Model)?;
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&scaled)
        .map_err(|e| FaceError::Model(format!("cannot encode a face crop: {e}")))?;
    Ok(out)
}
