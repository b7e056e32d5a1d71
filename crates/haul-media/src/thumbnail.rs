//! Thumbnails: JPEG bytes whose longer side is at most [`THUMBNAIL_SIDE`], from
//! an image decoded under limits, or from a video's frame through ffmpeg.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use image::{DynamicImage, ImageEncoder};

use crate::decode::{DecodeLimits, decode_reduced};
use crate::error::{MediaError, Result};

/// Longer side of a thumbnail in pixels: sharp on a 2× display at 160 px rows.
pub const THUMBNAIL_SIDE: u32 = 360;

/// Encodes `image` scaled to fit the thumbnail box.
fn encode(path: &Path, image: &DynamicImage) -> Result<Vec<u8>> {
    let rgb: std::borrow::Cow<'_, image::RgbImage> = match image {
        DynamicImage::ImageRgb8(rgb) => std::borrow::Cow::Borrowed(rgb),
        other => std::borrow::Cow::Owned(other.to_rgb8()),
    };
    let (width, height) = rgb.dimensions();
    let longer = width.max(height);
    let rgb = if longer > THUMBNAIL_SIDE {
        let fit = |v: u32| {
            ((u64::from(v) * u64::from(THUMBNAIL_SIDE) + u64::from(longer) / 2) / u64::from(longer))
                .max(1) as u32
        };
        std::borrow::Cow::Owned(
            crate::resize::resize_rgb(&rgb, None, fit(width), fit(height))
                .map_err(|e| MediaError::corrupt(path, e))?,
        )
    } else {
        rgb
    };
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82)
        .write_image(
            &rgb,
            rgb.width(),
            rgb.height(),
            image::ExtendedColorType::Rgb8,
        )
        .map_err(|e| MediaError::corrupt(path, e.to_string()))?;
    Ok(bytes)
}

/// The thumbnail of an image already decoded (`path` names it in errors): the
/// library makes it from the same decode as the perceptual hash.
pub fn thumbnail_of(path: &Path, image: &DynamicImage) -> Result<Vec<u8>> {
    encode(path, image)
}

pub fn image_thumbnail(path: &Path, limits: &DecodeLimits) -> Result<Vec<u8>> {
    let side = u16::try_from(THUMBNAIL_SIDE).unwrap_or(u16::MAX);
    let image = decode_reduced(path, side, limits)?;
    encode(path, &image)
}

/// The ffmpeg to use: `candidate` (a setting or `HAUL_FFMPEG`) or `ffmpeg` on
/// the PATH, if it runs.
pub fn find_ffmpeg(candidate: Option<PathBuf>) -> Result<PathBuf> {
    let candidate = candidate.unwrap_or_else(|| PathBuf::from("ffmpeg"));
    let status = Command::new(&candidate)
        .arg("-version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    match status {
        Ok(status) if status.success() => Ok(candidate),
        Ok(status) => Err(MediaError::ToolMissing {
            tool: "ffmpeg",
            why: format!("`{} -version` failed ({status})", candidate.display()),
        }),
        Err(error) => Err(MediaError::ToolMissing {
            tool: "ffmpeg",
            why: format!(
                "video thumbnails need it ({}: {error}); install ffmpeg",
                candidate.display()
            ),
        }),
    }
}

/// A frame a second in (or the first, for shorter clips) as a thumbnail. ffmpeg
/// runs with an argument list and the file after `-i`, killed after `budget`.
pub fn video_thumbnail(
    ffmpeg: &Path,
    path: &Path,
    budget: Duration,
    limits: &DecodeLimits,
) -> Result<Vec<u8>> {
    let out_dir = std::env::temp_dir().join(format!(
        "haul-thumb-{}-{}",
        std::process::id(),
        NEXT_FRAME_DIR.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&out_dir).map_err(|e| MediaError::io(&out_dir, e))?;
    let frame = out_dir.join("frame.png");
    let result =
        (|| {
            for seek in ["1", "0"] {
                let mut child = Command::new(ffmpeg)
                .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", seek, "-i"])
                .arg(path)
                .args(["-frames:v", "1", "-vf"])
                .arg(format!(
                    "scale={THUMBNAIL_SIDE}:{THUMBNAIL_SIDE}:force_original_aspect_ratio=decrease"
                ))
                .arg(&frame)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| MediaError::io(path, e))?;
                let started = Instant::now();
                let status = loop {
                    if let Some(status) = child.try_wait().map_err(|e| MediaError::io(path, e))? {
                        break status;
                    }
                    if started.elapsed() > budget {
                        let _ = child.kill();
                        let _ = child.wait();
                        return Err(MediaError::limit(
                            path,
                            "ffmpeg took too long to read a frame",
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                };
                if status.success() && frame.is_file() {
                    let image = decode_reduced(&frame, 1, limits)?;
                    return encode(path, &image);
                }
            }
            Err(MediaError::corrupt(path, "ffmpeg found no video frame"))
        })();
    let _ = std::fs::remove_dir_all(&out_dir);
    result
}

static NEXT_FRAME_DIR: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::tests::{picture, write_jpeg};

    #[test]
    fn a_missing_ffmpeg_is_named() {
        let error = find_ffmpeg(Some(PathBuf::from("/nonexistent/ffmpeg"))).unwrap_err();
        assert!(
            matches!(error, MediaError::ToolMissing { tool: "ffmpeg", .. }),
            "{error}"
        );
    }

    /// Needs ffmpeg, which `cargo xtask test` installs.
    #[test]
    #[ignore = "needs ffmpeg: run by `cargo xtask test`"]
    fn a_video_gets_a_thumbnail_from_ffmpeg() {
        let ffmpeg = find_ffmpeg(None).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let clip = dir.path().join("clip.mp4");
        let made = Command::new(&ffmpeg)
            .args(["-nostdin", "-loglevel", "error", "-f", "lavfi", "-i"])
            .arg("testsrc=size=640x360:rate=10")
            .args(["-t", "2", "-pix_fmt", "yuv420p"])
            .arg(&clip)
            .status()
            .unwrap();
        assert!(made.success());
        assert_eq!(
            crate::sniff_file(&clip).unwrap().kind,
            crate::MediaKind::Video
        );
        let bytes = video_thumbnail(
            &ffmpeg,
            &clip,
            Duration::from_secs(30),
            &DecodeLimits::default(),
        )
        .unwrap();
        let thumb = image::load_from_memory(&bytes).unwrap();
        assert_eq!(thumb.width(), THUMBNAIL_SIDE);
        assert!((202..=203).contains(&thumb.height()), "{}", thumb.height());
        // A file that is not a video gives a typed error, not a hang or a panic.
        let text = dir.path().join("not-a-video.mp4");
        std::fs::write(&text, "text").unwrap();
        let error = video_thumbnail(
            &ffmpeg,
            &text,
            Duration::from_secs(30),
            &DecodeLimits::default(),
        )
        .unwrap_err();
        assert!(matches!(error, MediaError::Corrupt { .. }), "{error}");
    }

    #[test]
    fn thumbnails_fit_the_box() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wide.jpg");
        write_jpeg(&path, &picture(2000, 1000, 5), 90);
        let bytes = image_thumbnail(&path, &DecodeLimits::default()).unwrap();
        let thumb = image::load_from_memory(&bytes).unwrap();
        assert_eq!(
            (thumb.width(), thumb.height()),
            (THUMBNAIL_SIDE, THUMBNAIL_SIDE / 2)
        );
    }
}
