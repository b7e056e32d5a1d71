//! Model files on disk: found, checked against the manifest's size and sha256 before
//! a byte of them is parsed, and installed from a folder (offline machines, tests)
//! without ever leaving a half-copied file under the final name.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::FaceError;
use super::manifest::{Manifest, ModelFile};

/// The bytes of `dir/<file>` when they are exactly what `spec` pins.
pub fn read_verified(dir: &Path, spec: &ModelFile) -> Result<Vec<u8>, FaceError> {
    let path = dir.join(&spec.file);
    let file = std::fs::File::open(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => FaceError::ModelMissing {
            file: spec.file.clone(),
            dir: dir.display().to_string(),
        },
        _ => FaceError::Io {
            path: path.display().to_string(),
            source: e,
        },
    })?;
    // One byte more than pinned is enough to know the file is wrong: never read
    // an arbitrarily large file into memory.
    let mut bytes = Vec::with_capacity(usize::try_from(spec.size).unwrap_or(0));
    file.take(spec.size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| FaceError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
    check(&path, &bytes, spec)?;
    Ok(bytes)
}

/// Whether `bytes` are the file `spec` pins (`path` names it in the error).
pub fn check(path: &Path, bytes: &[u8], spec: &ModelFile) -> Result<(), FaceError> {
    let digest = hex::encode(Sha256::digest(bytes));
    if bytes.len() as u64 != spec.size || !digest.eq_ignore_ascii_case(&spec.sha256) {
        return Err(FaceError::ModelChecksum {
            path: path.display().to_string(),
            found: format!("{} bytes, sha256 {digest}", bytes.len()),
            wanted: format!("{} bytes, sha256 {}", spec.size, spec.sha256),
        });
    }
    Ok(())
}

/// The manifest's models that `dir` lacks or holds in another version.
pub fn missing(dir: &Path, manifest: &Manifest) -> Vec<ModelFile> {
    manifest
        .models()
        .into_iter()
        .filter(|spec| {
            // Size first: a cheap answer for the common cases (absent, other file).
            std::fs::metadata(dir.join(&spec.file))
                .map(|m| m.len())
                .ok()
                != Some(spec.size)
                || read_verified(dir, spec).is_err()
        })
        .cloned()
        .collect()
}

/// Writes `bytes` (already checked) as `dir/<file>`: to a temporary name, synced,
/// then renamed, so a crash leaves either the old state or the whole file.
pub fn install_bytes(dir: &Path, spec: &ModelFile, bytes: &[u8]) -> Result<PathBuf, FaceError> {
    let io = |path: &Path, source| FaceError::Io {
        path: path.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let target = dir.join(&spec.file);
    let partial = dir.join(format!("{}.part", spec.file));
    let mut out = std::fs::File::create(&partial).map_err(|e| io(&partial, e))?;
    out.write_all(bytes)
        .and_then(|()| out.sync_all())
        .map_err(|e| io(&partial, e))?;
    drop(out);
    std::fs::rename(&partial, &target).map_err(|e| io(&target, e))?;
    Ok(target)
}

/// Installs every model of the manifest from `from` into `to`, checking each before
/// anything is written; on a refusal nothing of that model is installed.
pub fn install_from_dir(
    from: &Path,
    to: &Path,
    manifest: &Manifest,
) -> Result<Vec<PathBuf>, FaceError> {
    let mut verified = Vec::new();
    for spec in manifest.models() {
        verified.push((spec, read_verified(from, spec)?));
    }
    verified
        .into_iter()
        .map(|(spec, bytes)| install_bytes(to, spec, &bytes))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(bytes: &[u8]) -> ModelFile {
        ModelFile {
            id: "test".into(),
            file: "model.onnx".into(),
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as u64,
            url: String::new(),
            licence: String::new(),
        }
    }

    #[test]
    fn a_file_is_read_only_when_its_checksum_matches() {
        let dir = tempfile::tempdir().unwrap();
        let spec = spec(b"the model");
        assert!(matches!(
            read_verified(dir.path(), &spec),
            Err(FaceError::ModelMissing { .. })
        ));
        std::fs::write(dir.path().join("model.onnx"), b"the modem").unwrap();
        let refused = read_verified(dir.path(), &spec).unwrap_err();
        assert!(matches!(refused, FaceError::ModelChecksum { .. }));
        assert!(refused.to_string().contains("sha256"), "{refused}");
        std::fs::write(dir.path().join("model.onnx"), b"the model and more").unwrap();
        assert!(read_verified(dir.path(), &spec).is_err());
        install_bytes(dir.path(), &spec, b"the model").unwrap();
        assert_eq!(read_verified(dir.path(), &spec).unwrap(), b"the model");
        assert!(!dir.path().join("model.onnx.part").exists());
    }
}
