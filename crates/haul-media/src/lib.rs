//! Haul's media work: what a library file is (its kind sniffed from the content),
//! its BLAKE3 content hash, its perceptual hash and the index that finds near
//! duplicates, thumbnails decoded under strict limits, and the faces in photos.
//!
//! Everything here is synchronous CPU or file work: callers run it on a
//! [`MediaPool`], never on the async runtime. It knows nothing of the database,
//! the library's records or the UI, and it never writes outside the paths it is
//! given.

mod content_hash;
mod decode;
mod error;
pub mod faces;
mod near_index;
mod perceptual;
mod pool;
mod resize;
mod sniff;
mod thumbnail;

pub use content_hash::{ContentHash, hash_bytes, hash_file};
pub use decode::{
    DecodeLimits, Dimensions, decode_bytes, decode_reduced, dimensions, read_limited,
};
pub use error::{MediaError, Result};
pub use near_index::NearIndex;
pub use perceptual::{
    PerceptualHash, distance, perceptual_hash, perceptual_hash_bytes, perceptual_hash_of,
};
pub use pool::MediaPool;
pub use sniff::{MediaKind, Sniffed, sniff, sniff_file};
pub use thumbnail::{THUMBNAIL_SIDE, find_ffmpeg, image_thumbnail, thumbnail_of, video_thumbnail};
