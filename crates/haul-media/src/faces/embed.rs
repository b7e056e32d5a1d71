//! The embedder: an aligned chip in, the manifest's vector out.

use std::sync::Arc;

use tract_onnx::prelude::*;

use super::FaceError;
use super::manifest::EmbedderSpec;

pub struct Embedder {
    spec: EmbedderSpec,
    plan: Arc<TypedRunnableModel>,
}

impl Embedder {
    /// The model's own output is the embedding.
    pub fn new(spec: &EmbedderSpec, model: &[u8]) -> Result<Self, FaceError> {
        let [width, height] = spec.input.size;
        let plan = tract_onnx::onnx()
            .model_for_read(&mut &model[..])
            .map(unique_node_names)
            .and_then(|m| {
                m.with_input_fact(0, f32::fact([1, 3, height as usize, width as usize]).into())
            })
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| FaceError::Model(format!("the embedder cannot be loaded: {e:#}")))?;
        Ok(Self {
            spec: spec.clone(),
            plan,
        })
    }

    pub fn spec(&self) -> &EmbedderSpec {
        &self.spec
    }

    /// The embedding of one chip given as the model's normalised NCHW input.
    pub fn embed(&self, chip: &[f32]) -> Result<Vec<f32>, FaceError> {
        let [width, height] = self.spec.input.size;
        let input = Tensor::from_shape(&[1, 3, height as usize, width as usize], chip)
            .map_err(|e| FaceError::Model(format!("embedder input: {e}")))?;
        let outputs = self
            .plan
            .run(tvec!(input.into()))
            .map_err(|e| FaceError::Model(format!("the embedder failed: {e:#}")))?;
        let vector = outputs
            .first()
            .ok_or_else(|| FaceError::Model("the embedder gave no output".into()))?
            .try_as_plain_ram()
            .and_then(|view| view.as_slice::<f32>())
            .map_err(|e| FaceError::Model(format!("embedder output: {e}")))?;
        if vector.len() != self.spec.output.dimension || vector.iter().any(|v| !v.is_finite()) {
            return Err(FaceError::Model(format!(
                "the embedder gave {} values, not {} finite ones",
                vector.len(),
                self.spec.output.dimension
            )));
        }
        let mut vector = vector.to_vec();
        if self.spec.distance.normalise_embeddings {
            let norm = vector.iter().map(|v| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                vector.iter_mut().for_each(|v| *v /= norm);
            }
        }
        Ok(vector)
    }
}

/// ONNX keeps nodes and weights in separate namespaces, tract in one: the
/// converted dlib model has a weight and a node both named `fc`, which tract's
/// graph checks refuse. Later duplicates get their node id appended.
fn unique_node_names(mut model: InferenceModel) -> InferenceModel {
    let mut seen = std::collections::HashSet::new();
    for node in model.nodes_mut() {
        if !seen.insert(node.name.clone()) {
            node.name = format!("{}#{}", node.name, node.id);
            seen.insert(node.name.clone());
        }
    }
    model
}

/// Euclidean distance between two embeddings (the manifest's metric).
pub fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f32>()
        .sqrt()
}
