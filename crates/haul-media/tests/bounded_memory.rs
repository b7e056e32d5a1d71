//! Hostile images against the decoder, measured: a deflate bomb (400 MB of pixels
//! in a 400 KB PNG), a PNG and a JPEG whose headers declare billions of pixels, a
//! truncated JPEG and a text file named `.jpg` all give typed errors, and the
//! process's peak memory grows by less than 64 MiB. One test in its own binary,
//! so nothing else runs beside it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::Path;

use haul_media::{DecodeLimits, MediaError, decode_reduced, image_thumbnail, perceptual_hash};

/// Peak resident memory of this process (VmHWM), in KiB.
#[cfg(target_os = "linux")]
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn deflate_bomb(path: &Path, side: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header().unwrap();
    let mut stream = writer.stream_writer().unwrap();
    let row = vec![0u8; side as usize];
    for _ in 0..side {
        stream.write_all(&row).unwrap();
    }
    stream.finish().unwrap();
}

fn huge_jpeg_header(path: &Path) {
    // A real 16×16 JPEG whose frame header is patched to declare 65000×65000.
    let mut jpeg = Vec::new();
    let pixels = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 40, 40]));
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
        .encode_image(&pixels)
        .unwrap();
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&65000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&65000u16.to_be_bytes());
    std::fs::write(path, jpeg).unwrap();
}

#[test]
#[cfg(target_os = "linux")]
fn hostile_images_give_typed_errors_within_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("deflate-bomb.png");
    deflate_bomb(&bomb, 20_000);
    assert!(std::fs::metadata(&bomb).unwrap().len() < 4 << 20);
    let jpeg = dir.path().join("huge.jpg");
    huge_jpeg_header(&jpeg);
    let text = dir.path().join("letter.jpg");
    std::fs::write(&text, "not a photo\n").unwrap();

    let limits = DecodeLimits::default();
    let before = peak_kib();
    for _ in 0..3 {
        let error = decode_reduced(&bomb, 128, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Limit { .. }), "{error}");
        let error = image_thumbnail(&bomb, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Limit { .. }), "{error}");
        let error = perceptual_hash(&jpeg, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Limit { .. }), "{error}");
        let error = perceptual_hash(&text, &limits).unwrap_err();
        assert!(matches!(error, MediaError::Unsupported { .. }), "{error}");
    }
    let grown_mib = (peak_kib() - before) / 1024;
    eprintln!("peak memory grew by {grown_mib} MiB decoding the hostile files");
    assert!(grown_mib < 64, "peak memory grew by {grown_mib} MiB");
}
