//! Resampling RGB images with `fast_image_resize` (SIMD convolution): the same
//! bilinear (triangle) filter as `image::imageops::resize`, several times faster,
//! and a crop resampled in the same pass without copying the region first.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;

/// `image` (or its `crop` region: x, y, width, height in its pixels) resampled
/// to `width` × `height`.
pub fn resize_rgb(
    image: &RgbImage,
    crop: Option<[f64; 4]>,
    width: u32,
    height: u32,
) -> Result<RgbImage, String> {
    let (width, height) = (width.max(1), height.max(1));
    let source = ImageRef::new(
        image.width(),
        image.height(),
        image.as_raw(),
        PixelType::U8x3,
    )
    .map_err(|e| format!("resize source: {e}"))?;
    let mut target = Image::new(width, height, PixelType::U8x3);
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    if let Some([x, y, w, h]) = crop {
        options = options.crop(x, y, w, h);
    }
    Resizer::new()
        .resize(&source, &mut target, &options)
        .map_err(|e| format!("resize: {e}"))?;
    RgbImage::from_raw(width, height, target.into_vec())
        .ok_or_else(|| "resize: the buffer is not the image's size".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flat_image_stays_flat_and_a_crop_takes_its_region() {
        let mut image = RgbImage::from_pixel(40, 20, image::Rgb([10, 20, 30]));
        for y in 0..20 {
            for x in 20..40 {
                image.put_pixel(x, y, image::Rgb([200, 100, 50]));
            }
        }
        let half = resize_rgb(&image, None, 20, 10).unwrap();
        assert_eq!(half.dimensions(), (20, 10));
        assert_eq!(half.get_pixel(2, 5).0, [10, 20, 30]);
        assert_eq!(half.get_pixel(17, 5).0, [200, 100, 50]);
        // The filter reaches a little past the crop's edges: keep clear of the dark half.
        let right = resize_rgb(&image, Some([24.0, 4.0, 12.0, 12.0]), 8, 8).unwrap();
        assert!(right.pixels().all(|p| p.0 == [200, 100, 50]));
    }
}
