//! The face model manifest (`models/manifest.json`): which files, their checksums,
//! and how to feed and read each model. Embedded in the binary so the pins ship with
//! it; nothing about the models is hard-coded elsewhere.

use serde::Deserialize;

use super::FaceError;

const EMBEDDED: &str = include_str!("../../models/manifest.json");

#[derive(Clone, Debug, Deserialize)]
pub struct Manifest {
    pub schema: u32,
    pub detector: DetectorSpec,
    pub embedder: EmbedderSpec,
}

/// A model file as the manifest pins it.
#[derive(Clone, Debug, Deserialize)]
pub struct ModelFile {
    pub id: String,
    pub file: String,
    pub sha256: String,
    pub size: u64,
    pub url: String,
    pub licence: String,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
pub enum ColourOrder {
    #[serde(rename = "RGB")]
    Rgb,
    #[serde(rename = "BGR")]
    Bgr,
}

#[derive(Clone, Debug, Deserialize)]
pub struct InputSpec {
    pub name: String,
    pub layout: String,
    /// [width, height]
    pub size: [u32; 2],
    #[serde(default)]
    pub size_multiple: Option<u32>,
    pub colour_order: ColourOrder,
    /// Per channel, in the model's colour order: the model takes (pixel - mean) / std.
    pub mean: [f32; 3],
    pub std: [f32; 3],
}

#[derive(Clone, Debug, Deserialize)]
pub struct DetectorSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    pub input: InputSpec,
    pub output: DetectorOutput,
    pub landmarks: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DetectorOutput {
    pub layout: String,
    pub strides: Vec<u32>,
    pub tensors: YunetTensors,
    pub score_threshold: f32,
    pub nms_iou: f32,
}

/// Output tensor names with `{stride}` in place of the stride.
#[derive(Clone, Debug, Deserialize)]
pub struct YunetTensors {
    pub cls: String,
    pub obj: String,
    pub bbox: String,
    pub kps: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EmbedderSpec {
    #[serde(flatten)]
    pub model: ModelFile,
    pub input: InputSpec,
    pub output: EmbedderOutput,
    pub alignment: Alignment,
    pub distance: DistanceSpec,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EmbedderOutput {
    pub name: String,
    pub dimension: usize,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Alignment {
    pub transform: String,
    pub size: [u32; 2],
    pub landmarks: Vec<String>,
    pub template: Vec<[f32; 2]>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct DistanceSpec {
    pub metric: String,
    pub normalise_embeddings: bool,
    pub threshold: f32,
}

impl Manifest {
    /// The manifest this build of Haul was made with.
    pub fn embedded() -> Result<Self, FaceError> {
        Self::parse(EMBEDDED)
    }

    /// Reads and checks a manifest: only layouts this code knows how to run pass.
    pub fn parse(text: &str) -> Result<Self, FaceError> {
        let manifest: Manifest = serde_json::from_str(text)
            .map_err(|e| FaceError::Manifest(format!("cannot read the manifest: {e}")))?;
        manifest.check()?;
        Ok(manifest)
    }

    fn check(&self) -> Result<(), FaceError> {
        let bad = |what: String| Err(FaceError::Manifest(what));
        if self.schema != 1 {
            return bad(format!("manifest schema {} is not 1", self.schema));
        }
        let detector = &self.detector;
        if detector.output.layout != "yunet" {
            return bad(format!(
                "unknown detector output layout {:?}",
                detector.output.layout
            ));
        }
        if detector.output.strides.is_empty() || detector.output.strides.contains(&0) {
            return bad("the detector's strides must be positive".into());
        }
        if detector.landmarks.len() != 5 {
            return bad("the detector must give five landmarks".into());
        }
        let alignment = &self.embedder.alignment;
        if alignment.transform != "similarity_least_squares" {
            return bad(format!("unknown alignment {:?}", alignment.transform));
        }
        if alignment.landmarks != detector.landmarks || alignment.template.len() != 5 {
            return bad("the embedder must align by the five landmarks the detector gives".into());
        }
        if self.embedder.distance.metric != "euclidean" {
            return bad(format!(
                "unknown distance {:?}",
                self.embedder.distance.metric
            ));
        }
        for input in [&detector.input, &self.embedder.input] {
            if input.layout != "NCHW" {
                return bad(format!("unknown input layout {:?}", input.layout));
            }
            if input.std.contains(&0.0) || input.size.contains(&0) {
                return bad(format!("input {:?}: zero size or std", input.name));
            }
        }
        if self.embedder.input.size != alignment.size {
            return bad("the embedder's input is not the aligned chip's size".into());
        }
        Ok(())
    }

    /// Names the model pair: faces found with another pair are not comparable.
    pub fn model_id(&self) -> String {
        format!("{}+{}", self.detector.model.id, self.embedder.model.id)
    }

    pub fn models(&self) -> [&ModelFile; 2] {
        [&self.detector.model, &self.embedder.model]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_manifest_is_one_this_code_runs() {
        let manifest = Manifest::embedded().unwrap();
        assert_eq!(manifest.detector.input.colour_order, ColourOrder::Bgr);
        assert_eq!(manifest.embedder.output.dimension, 128);
        assert_eq!(manifest.embedder.alignment.template.len(), 5);
    }

    #[test]
    fn an_unknown_layout_is_refused() {
        let text = EMBEDDED.replace("\"yunet\"", "\"retinaface\"");
        assert!(matches!(
            Manifest::parse(&text),
            Err(FaceError::Manifest(_))
        ));
    }
}
