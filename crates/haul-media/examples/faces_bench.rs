//! Measures Haul's face pipeline (decode, detect, align, embed) over photos with
//! N threads, as `cargo xtask bench faces` runs it beside the Python onnxruntime
//! reference on the same photos and models:
//!
//!     faces_bench MODELS_DIR THREADS PHOTO...
//!
//! prints one JSON line: photos, faces, seconds, photos per second, mean decode,
//! detect and per-face embed times, and the peak resident memory.

// A measuring program: a failure is reported and ends it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use haul_media::DecodeLimits;
use haul_media::faces::{FaceAnalyzer, FaceOptions, Manifest};
use rayon::prelude::*;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let models = PathBuf::from(args.next().expect("MODELS_DIR"));
    let threads: usize = args.next().expect("THREADS").parse().expect("THREADS");
    let photos: Vec<PathBuf> = args.map(PathBuf::from).collect();
    let side: u32 = std::env::var("HAUL_BENCH_DETECTOR_SIDE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(FaceOptions::default().detector_side);
    let manifest = Manifest::embedded().unwrap();
    let analyzer = FaceAnalyzer::load(
        &models,
        &manifest,
        FaceOptions {
            detector_side: side,
            ..FaceOptions::default()
        },
    )
    .unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let limits = DecodeLimits::default();
    // One photo first, outside the clock: plans for the common shapes exist, as
    // they do in a running Haul after its first photo.
    analyzer.analyze_file(&photos[0], &limits).unwrap();
    let started = Instant::now();
    let results: Vec<_> = pool.install(|| {
        photos
            .par_iter()
            .map(|path: &PathBuf| {
                (
                    path.as_path(),
                    analyzer.analyze_file(Path::new(path), &limits),
                )
            })
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let (mut decode, mut detect, mut embed, mut faces) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, 0usize);
    for (path, result) in &results {
        let photo = result
            .as_ref()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        decode += photo.timings.decode;
        detect += photo.timings.detect;
        embed += photo.timings.embed;
        faces += photo.faces.len();
    }
    let n = photos.len() as f64;
    println!(
        "{{\"photos\": {}, \"faces\": {faces}, \"seconds\": {seconds:.3}, \"photos_per_s\": {:.2}, \"decode_ms\": {:.2}, \"detect_ms\": {:.2}, \"embed_ms_per_face\": {:.2}, \"peak_mib\": {:.1}, \"detector_side\": {side}}}",
        photos.len(),
        n / seconds,
        decode.as_secs_f64() * 1000.0 / n,
        detect.as_secs_f64() * 1000.0 / n,
        embed.as_secs_f64() * 1000.0 / faces.max(1) as f64,
        peak_rss_mib(),
    );
}
