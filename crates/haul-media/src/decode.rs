//! Decoding under limits: the file's size, its declared pixel count and the
//! decoder's allocations are checked before any pixel buffer exists, so a
//! decompression bomb, a truncated file or a lying extension gives an error,
//! never a panic or an exhausted memory. JPEGs are decoded at the smallest DCT
//! scale (1/8, 1/4, 1/2) that still covers the size asked for.

use std::io::{Cursor, Read};
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::error::{MediaError, Result};

/// What a decode may cost.
#[derive(Clone, Copy, Debug)]
pub struct DecodeLimits {
    /// Larger files are not decoded at all.
    pub max_file_bytes: u64,
    /// Pixels of the decoded (scaled) image.
    pub max_pixels: u64,
    /// Width or height a non-JPEG may declare.
    pub max_side: u32,
    /// What the decoder may allocate at once.
    pub max_alloc: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        Self {
            // Read into memory whole, once: larger images are not previewed.
            max_file_bytes: 128 << 20,
            // 8K photos and panoramas; 256 MiB as RGBA at most.
            max_pixels: 64_000_000,
            max_side: 32_768,
            max_alloc: 320 << 20,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dimensions {
    pub width: u32,
    pub height: u32,
}

/// The file's bytes, if it is not larger than the limit allows: images are read
/// once and hashed, sniffed and decoded from memory.
pub fn read_limited(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(|e| MediaError::io(path, e))?;
    let size = file.metadata().map_err(|e| MediaError::io(path, e))?.len();
    if size > limits.max_file_bytes {
        return Err(MediaError::limit(
            path,
            format!(
                "the file is {size} bytes; Haul decodes images up to {} bytes",
                limits.max_file_bytes
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limits.max_file_bytes)
        .read_to_end(&mut bytes)
        .map_err(|e| MediaError::io(path, e))?;
    Ok(bytes)
}

fn reader<'a>(
    path: &Path,
    bytes: &'a [u8],
    limits: &DecodeLimits,
) -> Result<ImageReader<Cursor<&'a [u8]>>> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::io(path, e))?;
    let mut image_limits = image::Limits::default();
    image_limits.max_image_width = Some(limits.max_side);
    image_limits.max_image_height = Some(limits.max_side);
    image_limits.max_alloc = Some(limits.max_alloc);
    reader.limits(image_limits);
    if reader.format().is_none() {
        return Err(MediaError::unsupported(path, "not an image Haul can read"));
    }
    Ok(reader)
}

fn map_image_error(path: &Path, error: image::ImageError) -> MediaError {
    use image::ImageError;
    match error {
        ImageError::Limits(limit) => {
            MediaError::limit(path, format!("too large to decode: {limit}"))
        }
        ImageError::Unsupported(why) => MediaError::unsupported(path, why.to_string()),
        ImageError::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            MediaError::corrupt(path, "truncated")
        }
        ImageError::IoError(e) => MediaError::io(path, e),
        other => MediaError::corrupt(path, other.to_string()),
    }
}

/// Width and height from the header of an image file's bytes (`path` names it
/// in errors).
pub fn dimensions(path: &Path, bytes: &[u8]) -> Result<Dimensions> {
    let limits = DecodeLimits::default();
    let (width, height) = reader(path, bytes, &limits)?
        .into_dimensions()
        .map_err(|e| map_image_error(path, e))?;
    Ok(Dimensions { width, height })
}

/// Reads `path` (within the limits) and decodes it as [`decode_bytes`] does.
pub fn decode_reduced(path: &Path, min_side: u16, limits: &DecodeLimits) -> Result<DynamicImage> {
    decode_bytes(path, &read_limited(path, limits)?, min_side, limits)
}

/// Decodes an image file's bytes so that its longer side is at least `min_side`
/// where the format can decode at a reduced scale (JPEG), in full otherwise;
/// EXIF orientation applied.
pub fn decode_bytes(
    path: &Path,
    bytes: &[u8],
    min_side: u16,
    limits: &DecodeLimits,
) -> Result<DynamicImage> {
    let reader = reader(path, bytes, limits)?;
    if reader.format() == Some(ImageFormat::Jpeg) {
        let orientation = reader
            .into_decoder()
            .and_then(|mut decoder| decoder.orientation())
            .map_err(|e| map_image_error(path, e))?;
        let mut image = decode_jpeg_scaled(path, bytes, min_side, limits)?;
        image.apply_orientation(orientation);
        return Ok(image);
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| map_image_error(path, e))?;
    let (width, height) = decoder.dimensions();
    check_pixels(path, width, height, limits)?;
    let orientation = decoder
        .orientation()
        .map_err(|e| map_image_error(path, e))?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| map_image_error(path, e))?;
    image.apply_orientation(orientation);
    Ok(image)
}

fn check_pixels(path: &Path, width: u32, height: u32, limits: &DecodeLimits) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return Err(MediaError::limit(
            path,
            format!(
                "{width}×{height} pixels is more than Haul decodes ({} million)",
                limits.max_pixels / 1_000_000
            ),
        ));
    }
    if pixels == 0 {
        return Err(MediaError::corrupt(path, "the image has no pixels"));
    }
    Ok(())
}

/// The end-of-image marker must be near the end: a JPEG cut short decodes
/// "successfully" into grey rows otherwise.
fn check_jpeg_complete(path: &Path, bytes: &[u8]) -> Result<()> {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    if tail.windows(2).any(|pair| pair == [0xFF, 0xD9]) {
        Ok(())
    } else {
        Err(MediaError::corrupt(
            path,
            "truncated: the JPEG has no end marker",
        ))
    }
}

fn decode_jpeg_scaled(
    path: &Path,
    bytes: &[u8],
    min_side: u16,
    limits: &DecodeLimits,
) -> Result<DynamicImage> {
    check_jpeg_complete(path, bytes)?;
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let corrupt = |e: jpeg_decoder::Error| match e {
        jpeg_decoder::Error::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            MediaError::corrupt(path, "truncated")
        }
        jpeg_decoder::Error::Io(io) => MediaError::io(path, io),
        jpeg_decoder::Error::Unsupported(what) => {
            MediaError::unsupported(path, format!("unsupported JPEG: {what:?}"))
        }
        other => MediaError::corrupt(path, other.to_string()),
    };
    decoder.read_info().map_err(corrupt)?;
    let (width, height) = decoder.scale(min_side, min_side).map_err(corrupt)?;
    check_pixels(path, width.into(), height.into(), limits)?;
    let max_buffer = usize::try_from(limits.max_alloc).unwrap_or(usize::MAX);
    decoder.set_max_decoding_buffer_size(max_buffer);
    let pixels = decoder.decode().map_err(corrupt)?;
    let info = decoder
        .info()
        .ok_or_else(|| MediaError::corrupt(path, "no JPEG header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let wrong_size = || MediaError::corrupt(path, "the decoded size does not match the header");
    use jpeg_decoder::PixelFormat;
    let image = match info.pixel_format {
        PixelFormat::L8 => DynamicImage::ImageLuma8(
            image::GrayImage::from_raw(w, h, pixels).ok_or_else(wrong_size)?,
        ),
        PixelFormat::L16 => {
            // Big-endian samples: the high byte is enough for previews and hashes.
            let high: Vec<u8> = pixels.chunks_exact(2).map(|pair| pair[0]).collect();
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, high).ok_or_else(wrong_size)?)
        }
        PixelFormat::RGB24 => {
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, pixels).ok_or_else(wrong_size)?)
        }
        PixelFormat::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|cmyk| {
                    let k = u16::from(cmyk[3]);
                    // Adobe JPEGs store inverted CMYK: the decoder hands back
                    // values where 255 means no ink.
                    [cmyk[0], cmyk[1], cmyk[2]].map(|c| ((u16::from(c) * k) / 255) as u8)
                })
                .collect();
            DynamicImage::ImageRgb8(image::RgbImage::from_raw(w, h, rgb).ok_or_else(wrong_size)?)
        }
    };
    Ok(image)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    /// A smooth synthetic "photo" with some structure.
    pub(crate) fn picture(width: u32, height: u32, seed: u32) -> RgbImage {
        RgbImage::from_fn(width, height, |x, y| {
            let fx = x as f32 / width as f32;
            let fy = y as f32 / height as f32;
            let s = seed as f32;
            let r = (128.0 + 120.0 * (fx * 6.0 + s).sin() * (fy * 3.0).cos()) as u8;
            let g = (128.0 + 120.0 * (fy * 5.0 - s).sin()) as u8;
            let b = (128.0 + 120.0 * ((fx + fy) * 4.0 + s * 2.0).cos()) as u8;
            image::Rgb([r, g, b])
        })
    }

    /// Random coloured blocks: nothing like [`picture`].
    pub(crate) fn blocks(width: u32, height: u32, seed: u64) -> RgbImage {
        let cell = |x: u32, y: u32| {
            let mut v = seed ^ (u64::from(x / 97) << 32) ^ u64::from(y / 83);
            v = v.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            v ^= v >> 31;
            v.to_le_bytes()
        };
        RgbImage::from_fn(width, height, |x, y| {
            let c = cell(x, y);
            image::Rgb([c[0], c[1], c[2]])
        })
    }

    pub(crate) fn write_jpeg(path: &Path, image: &RgbImage, quality: u8) {
        let file = std::fs::File::create(path).unwrap();
        image::codecs::jpeg::JpegEncoder::new_with_quality(file, quality)
            .write_image(
                image,
                image.width(),
                image.height(),
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
    }

    /// A PNG whose header declares `width`×`height` and holds almost no data.
    pub(crate) fn png_bomb(path: &Path, width: u32, height: u32) {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]);
        bytes.extend(13u32.to_be_bytes());
        bytes.extend(&ihdr);
        bytes.extend(crc32(&ihdr).to_be_bytes());
        bytes.extend(0u32.to_be_bytes());
        bytes.extend(b"IEND");
        bytes.extend(crc32(b"IEND").to_be_bytes());
        std::fs::write(path, bytes).unwrap();
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in data {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn a_jpeg_decodes_at_reduced_scale() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.jpg");
        write_jpeg(&path, &picture(1600, 1200, 1), 90);
        let image = decode_reduced(&path, 200, &DecodeLimits::default()).unwrap();
        assert_eq!((image.width(), image.height()), (200, 150));
        assert_eq!(
            dimensions(&path, &std::fs::read(&path).unwrap()).unwrap(),
            Dimensions {
                width: 1600,
                height: 1200
            }
        );
    }

    #[test]
    fn hostile_files_give_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let limits = DecodeLimits::default();
        let bomb = dir.path().join("bomb.png");
        png_bomb(&bomb, 100_000, 100_000);
        let error = decode_reduced(&bomb, 64, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Limit { .. }), "{error}");

        let jpeg = dir.path().join("whole.jpg");
        write_jpeg(&jpeg, &picture(640, 480, 2), 85);
        let bytes = std::fs::read(&jpeg).unwrap();
        let truncated = dir.path().join("truncated.jpg");
        std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
        let error = decode_reduced(&truncated, 64, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Corrupt { .. }), "{error}");

        let text = dir.path().join("text.jpg");
        std::fs::write(&text, "this is not a photo at all\n").unwrap();
        let error = decode_reduced(&text, 64, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Unsupported { .. }), "{error}");

        let empty = dir.path().join("empty.png");
        std::fs::write(&empty, b"").unwrap();
        assert!(decode_reduced(&empty, 64, &limits).is_err());
    }
}
