//! BLAKE3 of a whole file, streaming: memory-mapped and hashed on the current
//! rayon pool's threads for large files, read in 64 KiB steps for small ones.

use std::path::Path;

use crate::error::{MediaError, Result};

/// A file's BLAKE3 (32 bytes) and the size that was hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContentHash {
    pub hash: [u8; 32],
    pub size: u64,
}

impl ContentHash {
    pub fn to_hex(&self) -> String {
        blake3::Hash::from_bytes(self.hash).to_hex().to_string()
    }
}

/// Hashes `path`. Run it inside a [`crate::MediaPool`] so the multi-threaded part
/// stays within the pool's threads.
pub fn hash_file(path: &Path) -> Result<ContentHash> {
    let mut hasher = blake3::Hasher::new();
    // update_mmap_rayon falls back to reading for small files and for files
    // that cannot be mapped (pipes, some network file systems).
    hasher
        .update_mmap_rayon(path)
        .map_err(|e| MediaError::io(path, e))?;
    Ok(ContentHash {
        hash: *hasher.finalize().as_bytes(),
        size: hasher.count(),
    })
}

/// Hashes bytes already in memory (an image read once for all its work).
pub fn hash_bytes(bytes: &[u8]) -> ContentHash {
    let mut hasher = blake3::Hasher::new();
    hasher.update_rayon(bytes);
    ContentHash {
        hash: *hasher.finalize().as_bytes(),
        size: bytes.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_hash_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.bin");
        let bytes: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let hashed = hash_file(&path).unwrap();
        assert_eq!(hashed.size, bytes.len() as u64);
        assert_eq!(hashed.to_hex(), blake3::hash(&bytes).to_hex().to_string());
        assert_eq!(hash_bytes(&bytes), hashed);
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let error = hash_file(Path::new("/nonexistent/haul/file")).unwrap_err();
        assert!(matches!(error, MediaError::Io { .. }), "{error}");
    }
}
