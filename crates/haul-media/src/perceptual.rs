//! A 64-bit perceptual hash (DCT + median, pHash's recipe, through image_hasher)
//! of an image and of its mirror image, so a mirrored copy is found by looking up
//! either hash.

use std::path::Path;

use image::DynamicImage;
use image::imageops::{self, FilterType};
use image_hasher::{HashAlg, Hasher, HasherConfig};

use crate::decode::{DecodeLimits, decode_bytes, read_limited};
use crate::error::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PerceptualHash {
    pub hash: u64,
    /// The hash of the image flipped left to right.
    pub mirrored: u64,
}

/// The side images are shrunk to before hashing: plenty for an 8×8 DCT hash and
/// cheap to flip.
const HASH_INPUT_SIDE: u32 = 64;

/// What JPEG decoding at reduced scale must still cover.
const DECODE_SIDE: u16 = 128;

thread_local! {
    // Planning the DCT costs more than hashing a small image: one per thread.
    static HASHER: Hasher<[u8; 8]> = HasherConfig::with_bytes_type::<[u8; 8]>()
        .hash_size(8, 8)
        .hash_alg(HashAlg::Median)
        .preproc_dct()
        .to_hasher();
}

fn hash_gray(image: &image::GrayImage) -> u64 {
    HASHER.with(|hasher| {
        let hash = hasher.hash_image(image);
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(hash.as_bytes());
        u64::from_be_bytes(bytes)
    })
}

/// Hashes an image already in memory.
pub fn perceptual_hash_of(image: &DynamicImage) -> PerceptualHash {
    let gray = image.to_luma8();
    let small = imageops::resize(
        &gray,
        HASH_INPUT_SIDE,
        HASH_INPUT_SIDE,
        FilterType::Triangle,
    );
    let mirrored = imageops::flip_horizontal(&small);
    PerceptualHash {
        hash: hash_gray(&small),
        mirrored: hash_gray(&mirrored),
    }
}

/// Reads `path`, decodes it at reduced scale where it can and hashes it.
pub fn perceptual_hash(path: &Path, limits: &DecodeLimits) -> Result<PerceptualHash> {
    perceptual_hash_bytes(path, &read_limited(path, limits)?, limits)
}

/// Hashes an image file's bytes already in memory (`path` names it in errors).
pub fn perceptual_hash_bytes(
    path: &Path,
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<PerceptualHash> {
    let image = decode_bytes(path, bytes, DECODE_SIDE, limits)?;
    Ok(perceptual_hash_of(&image))
}

/// Bits that differ.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tests::{blocks, picture, write_jpeg};

    #[test]
    fn resized_recompressed_and_mirrored_copies_stay_close() {
        let dir = tempfile::tempdir().unwrap();
        let limits = DecodeLimits::default();
        let original = blocks(1200, 900, 3);
        let a = dir.path().join("a.jpg");
        write_jpeg(&a, &original, 92);
        let half = imageops::resize(&original, 600, 450, FilterType::Lanczos3);
        let b = dir.path().join("b.jpg");
        write_jpeg(&b, &half, 60);
        let flipped = imageops::flip_horizontal(&original);
        let c = dir.path().join("c.jpg");
        write_jpeg(&c, &flipped, 85);
        let other = dir.path().join("d.jpg");
        write_jpeg(&other, &blocks(1200, 900, 11), 92);
        let smooth = dir.path().join("e.jpg");
        write_jpeg(&smooth, &picture(1200, 900, 4), 92);

        let ha = perceptual_hash(&a, &limits).unwrap();
        let hb = perceptual_hash(&b, &limits).unwrap();
        let hc = perceptual_hash(&c, &limits).unwrap();
        let hd = perceptual_hash(&other, &limits).unwrap();
        assert!(
            distance(ha.hash, hb.hash) <= 4,
            "{}",
            distance(ha.hash, hb.hash)
        );
        assert!(
            distance(ha.mirrored, hc.hash) <= 4,
            "{}",
            distance(ha.mirrored, hc.hash)
        );
        assert!(
            distance(ha.hash, hd.hash) > 12,
            "{}",
            distance(ha.hash, hd.hash)
        );
        let he = perceptual_hash(&smooth, &limits).unwrap();
        assert!(
            distance(ha.hash, he.hash) > 12,
            "{}",
            distance(ha.hash, he.hash)
        );
    }
}
