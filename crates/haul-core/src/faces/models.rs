//! The face models in the data folder: installed from a folder, or fetched from
//! the manifest's address (a setting) on first use, always checked against the
//! manifest's sha256 before they are kept or loaded.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use haul_media::faces::{FaceAnalyzer, FaceError, FaceOptions, Manifest, ModelFile};

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

pub(crate) fn models_dir(shared: &Shared) -> PathBuf {
    shared.data_dir.join("models")
}

pub(crate) fn manifest() -> Result<Manifest> {
    Manifest::embedded().map_err(face_error)
}

pub(crate) fn face_error(error: FaceError) -> Error {
    let code = match error {
        FaceError::Media(media) => return Error::from(media),
        FaceError::Io { ref source, .. } => {
            return Error::from_io("Cannot read a face model", source);
        }
        FaceError::ModelMissing { .. } => ErrorCode::ModelUnavailable,
        FaceError::ModelChecksum { .. } | FaceError::Manifest(_) | FaceError::Model(_) => {
            ErrorCode::ModelRefused
        }
    };
    Error::new(code, error.to_string())
}

/// File names of the models the data folder lacks. Once the models are loaded
/// (checked by sha256 then) nothing is read again; before, the check hashes them
/// on the faces' pool, never on the runtime.
pub(crate) async fn missing_models(shared: &Arc<Shared>) -> Result<Vec<String>> {
    if shared.faces.analyzer.lock().await.is_some() {
        return Ok(Vec::new());
    }
    let dir = models_dir(shared);
    let manifest = manifest()?;
    Ok(shared
        .faces
        .pool
        .run(move || Ok(haul_media::faces::missing(&dir, &manifest)))
        .await?
        .into_iter()
        .map(|m| m.file)
        .collect())
}

/// Installs the manifest's models from `from` (each checked first).
pub(crate) async fn install_from(shared: &Arc<Shared>, from: &Path) -> Result<Vec<PathBuf>> {
    let to = models_dir(shared);
    let from = from.to_path_buf();
    let manifest = manifest()?;
    shared
        .media
        .run(move || Ok(haul_media::faces::install_from_dir(&from, &to, &manifest)))
        .await?
        .map_err(face_error)
}

/// The address a model is fetched from: the manifest's, or the same file name
/// under the `faces.modelsUrl` setting.
fn model_url(shared: &Shared, spec: &ModelFile) -> String {
    match shared.settings().faces.models_url.as_deref().map(str::trim) {
        Some(base) if !base.is_empty() => format!("{}/{}", base.trim_end_matches('/'), spec.file),
        _ => spec.url.clone(),
    }
}

/// Fetches the models the data folder lacks; nothing unverified is kept.
pub(crate) async fn fetch_missing(shared: &Arc<Shared>) -> Result<()> {
    let dir = models_dir(shared);
    let manifest = manifest()?;
    let missing = {
        let dir = dir.clone();
        let manifest = manifest.clone();
        shared
            .media
            .run(move || Ok(haul_media::faces::missing(&dir, &manifest)))
            .await?
    };
    for spec in missing {
        let url = model_url(shared, &spec);
        tracing::info!(model = %spec.id, %url, "fetching a face model");
        let unavailable = |why: String| {
            Error::new(
                ErrorCode::ModelUnavailable,
                format!(
                    "The face model {} could not be fetched from {url}: {why}. Install it from a folder with `haul faces models install DIR`.",
                    spec.file
                ),
            )
        };
        let response = shared
            .client
            .get(&url)
            .send()
            .await
            .map_err(|e| unavailable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(unavailable(format!("HTTP {}", response.status())));
        }
        let mut bytes = Vec::new();
        let mut body = response.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|e| unavailable(e.to_string()))?;
            if (bytes.len() + chunk.len()) as u64 > spec.size {
                return Err(unavailable(format!(
                    "the server sent more than the {} bytes pinned",
                    spec.size
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        let dir = dir.clone();
        shared
            .media
            .run(move || {
                Ok(haul_media::faces::check(Path::new(&url), &bytes, &spec)
                    .and_then(|()| haul_media::faces::install_bytes(&dir, &spec, &bytes)))
            })
            .await?
            .map_err(face_error)?;
    }
    Ok(())
}

/// Loads both models from the data folder (checked before parsing).
pub(crate) async fn load(shared: &Arc<Shared>) -> Result<Arc<FaceAnalyzer>> {
    let dir = models_dir(shared);
    let manifest = manifest()?;
    let options = FaceOptions {
        detector_side: shared.settings().faces.detector_side,
        ..FaceOptions::default()
    };
    let analyzer = shared
        .media
        .run(move || Ok(FaceAnalyzer::load(&dir, &manifest, options)))
        .await?
        .map_err(face_error)?;
    Ok(Arc::new(analyzer))
}
