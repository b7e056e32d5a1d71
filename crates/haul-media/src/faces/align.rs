//! Alignment: the similarity (rotation, uniform scale, translation) that best maps
//! the detector's five points onto the embedder's template, and the chip it gives,
//! sampled bilinearly straight into the embedder's normalised input.

use image::RgbImage;

use super::manifest::{ColourOrder, InputSpec};

/// `[a, b, tx, ty]`: (x, y) ↦ (a·x − b·y + tx, b·x + a·y + ty).
pub type Similarity = [f32; 4];

/// The least-squares similarity from `from` to `to`. In two dimensions the
/// rotation-and-scale matrices are exactly those of the form [[a, −b], [b, a]], so
/// the optimum (Umeyama's, without reflection) is a linear least-squares solve.
pub fn similarity(from: &[[f32; 2]], to: &[[f32; 2]]) -> Similarity {
    let n = from.len().min(to.len()).max(1) as f64;
    let mean = |points: &[[f32; 2]]| {
        points.iter().fold([0f64; 2], |acc, p| {
            [acc[0] + f64::from(p[0]) / n, acc[1] + f64::from(p[1]) / n]
        })
    };
    let (ms, md) = (mean(from), mean(to));
    let (mut dot, mut cross, mut norm) = (0f64, 0f64, 0f64);
    for (s, d) in from.iter().zip(to) {
        let (sx, sy) = (f64::from(s[0]) - ms[0], f64::from(s[1]) - ms[1]);
        let (dx, dy) = (f64::from(d[0]) - md[0], f64::from(d[1]) - md[1]);
        dot += sx * dx + sy * dy;
        cross += sx * dy - sy * dx;
        norm += sx * sx + sy * sy;
    }
    if norm <= f64::EPSILON {
        return [1.0, 0.0, (md[0] - ms[0]) as f32, (md[1] - ms[1]) as f32];
    }
    let (a, b) = (dot / norm, cross / norm);
    let tx = md[0] - (a * ms[0] - b * ms[1]);
    let ty = md[1] - (b * ms[0] + a * ms[1]);
    [a as f32, b as f32, tx as f32, ty as f32]
}

/// The aligned chip of `input`'s size as the model's NCHW input, normalised:
/// each chip pixel (pixel centres on integer coordinates) is sampled from `image`
/// at the inverse of `forward`; outside the photo is black.
pub fn chip_input(image: &RgbImage, forward: Similarity, input: &InputSpec) -> Vec<f32> {
    let [a, b, tx, ty] = forward.map(f64::from);
    let det = a * a + b * b;
    let (ia, ib) = if det > 0.0 {
        (a / det, b / det)
    } else {
        (1.0, 0.0)
    };
    let [width, height] = input.size;
    let plane = (width * height) as usize;
    let mut data = vec![0f32; 3 * plane];
    let order: [usize; 3] = match input.colour_order {
        ColourOrder::Rgb => [0, 1, 2],
        ColourOrder::Bgr => [2, 1, 0],
    };
    for v in 0..height {
        for u in 0..width {
            // Inverse of [[a, −b], [b, a]] is [[a, b], [−b, a]] / (a² + b²).
            let (du, dv) = (f64::from(u) - tx, f64::from(v) - ty);
            let x = ia * du + ib * dv;
            let y = -ib * du + ia * dv;
            let rgb = bilinear(image, x as f32, y as f32);
            let at = (v * width + u) as usize;
            for (c, &source) in order.iter().enumerate() {
                data[c * plane + at] = (rgb[source] - input.mean[c]) / input.std[c];
            }
        }
    }
    data
}

fn bilinear(image: &RgbImage, x: f32, y: f32) -> [f32; 3] {
    let (w, h) = (image.width() as i64, image.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let (x0, y0) = (x0 as i64, y0 as i64);
    let pixel = |px: i64, py: i64| -> [f32; 3] {
        if px < 0 || py < 0 || px >= w || py >= h {
            return [0.0; 3];
        }
        // In bounds: checked just above.
        image.get_pixel(px as u32, py as u32).0.map(f32::from)
    };
    let (p00, p10, p01, p11) = (
        pixel(x0, y0),
        pixel(x0 + 1, y0),
        pixel(x0, y0 + 1),
        pixel(x0 + 1, y0 + 1),
    );
    std::array::from_fn(|c| {
        let top = p00[c] + (p10[c] - p00[c]) * fx;
        let bottom = p01[c] + (p11[c] - p01[c]) * fx;
        top + (bottom - top) * fy
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_similarity_is_recovered_exactly() {
        let from = [
            [10.0, 10.0],
            [30.0, 12.0],
            [20.0, 25.0],
            [12.0, 35.0],
            [28.0, 36.0],
        ];
        // Rotate by 30°, scale 1.5, shift (5, -3).
        let (a, b) = (
            1.5 * 30f32.to_radians().cos(),
            1.5 * 30f32.to_radians().sin(),
        );
        let to: Vec<[f32; 2]> = from
            .iter()
            .map(|p| [a * p[0] - b * p[1] + 5.0, b * p[0] + a * p[1] - 3.0])
            .collect();
        let found = similarity(&from, &to);
        for (got, want) in found.iter().zip([a, b, 5.0, -3.0]) {
            assert!((got - want).abs() < 1e-4, "{found:?}");
        }
    }

    #[test]
    fn bilinear_sampling_puts_pixel_centres_on_integers() {
        let mut image = RgbImage::new(2, 1);
        image.put_pixel(1, 0, image::Rgb([200, 100, 0]));
        assert_eq!(bilinear(&image, 0.0, 0.0), [0.0; 3]);
        assert_eq!(bilinear(&image, 1.0, 0.0), [200.0, 100.0, 0.0]);
        assert_eq!(bilinear(&image, 0.5, 0.0), [100.0, 50.0, 0.0]);
    }
}
