//! Checksums of finished files.

use std::io::Read;
use std::path::Path;

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use crate::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashAlgorithm {
    Sha256,
    Sha1,
    Md5,
}

impl HashAlgorithm {
    fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha1 => 40,
            Self::Md5 => 32,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA-256",
            Self::Sha1 => "SHA-1",
            Self::Md5 => "MD5",
        }
    }
}

/// The hash a finished file must have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedHash {
    pub algorithm: HashAlgorithm,
    /// Lowercase hex.
    pub hex: String,
}

impl ExpectedHash {
    pub fn parse(algorithm: HashAlgorithm, hex: &str) -> Result<Self, Error> {
        let hex = hex.trim().to_ascii_lowercase();
        if hex.len() != algorithm.hex_len() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::InvalidHash {
                algorithm: algorithm.name(),
                given: hex,
            });
        }
        Ok(Self { algorithm, hex })
    }
}

/// Hashes the file off the async runtime and compares.
pub(crate) async fn verify(path: &Path, expected: &ExpectedHash) -> Result<(), Error> {
    let path_buf = path.to_path_buf();
    let algorithm = expected.algorithm;
    let actual = tokio::task::spawn_blocking(move || hash_file(&path_buf, algorithm))
        .await
        .map_err(|e| Error::io("checksum worker stopped", std::io::Error::other(e)))?
        .map_err(|e| Error::io(format!("cannot read {}", path.display()), e))?;
    if actual == expected.hex {
        Ok(())
    } else {
        Err(Error::ChecksumMismatch {
            algorithm: algorithm.name(),
            expected: expected.hex.clone(),
            actual,
        })
    }
}

fn hash_file(path: &Path, algorithm: HashAlgorithm) -> std::io::Result<String> {
    fn digest<D: Digest>(mut file: std::fs::File) -> std::io::Result<String> {
        let mut hasher = D::new();
        let mut buffer = vec![0u8; 1 << 20];
        loop {
            let read = file.read(&mut buffer)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        Ok(hex::encode(hasher.finalize()))
    }
    let file = std::fs::File::open(path)?;
    match algorithm {
        HashAlgorithm::Sha256 => digest::<Sha256>(file),
        HashAlgorithm::Sha1 => digest::<Sha1>(file),
        HashAlgorithm::Md5 => digest::<Md5>(file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn known_digests_match_and_others_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("abc");
        std::fs::write(&path, b"abc").unwrap();
        let sha256 = ExpectedHash::parse(
            HashAlgorithm::Sha256,
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        )
        .unwrap();
        verify(&path, &sha256).await.unwrap();
        let md5 =
            ExpectedHash::parse(HashAlgorithm::Md5, "900150983cd24fb0d6963f7d28e17f72").unwrap();
        verify(&path, &md5).await.unwrap();
        let wrong = ExpectedHash::parse(HashAlgorithm::Sha1, &"0".repeat(40)).unwrap();
        let error = verify(&path, &wrong).await.unwrap_err();
        assert!(
            error
                .to_string()
                .contains("a9993e364706816aba3e25717850c26c9cd0d89d"),
            "{error}"
        );
        assert!(ExpectedHash::parse(HashAlgorithm::Sha256, "xyz").is_err());
    }
}
