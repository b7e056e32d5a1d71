//! `cargo xtask bench faces`: Haul's face pipeline (tract) beside the Python
//! onnxruntime reference (`tools/models/reference_pipeline.py`) doing the same work
//! (decode, detect, align, embed) on the same photos, models and thread count;
//! three interleaved rounds, medians and ratios printed. The measuring happens in
//! `crates/haul-media/examples/faces_bench.rs`, built in release mode.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, cargo, models, root, run_command, setup, step, target_dir};

const ROUNDS: usize = 3;

pub fn faces() -> Result {
    setup::system_packages(&["imagemagick"])?;
    models::models(false)?;
    let python = models::pipeline_python()?;
    let labelled = setup::test_photos()?;
    let dir = target_dir().join("bench-faces");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    step("bench: photos (portraits as shipped and at 12 megapixels, group photos)");
    let mut photos: Vec<PathBuf> = Vec::new();
    for name in ["obama", "obama2", "obama3", "biden"] {
        let source = labelled.join(format!("{name}.jpg"));
        photos.push(source.clone());
        let large = dir.join(format!("{name}-12mp.jpg"));
        if !large.is_file() {
            run_command(
                Command::new("convert")
                    .arg(&source)
                    .args(["-resize", "4000x3000!", "-quality", "90"])
                    .arg(&large),
            )?;
        }
        photos.push(large);
    }
    photos.extend(models::group_photos()?);
    // Enough photos that start-up and the last stragglers do not dominate.
    let photos: Vec<PathBuf> = photos
        .iter()
        .cycle()
        .take(photos.len() * 4)
        .cloned()
        .collect();

    step("bench: build the measuring program (release)");
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "haul-media",
        "--example",
        "faces_bench",
    ]))?;
    let program = target_dir().join("release/examples/faces_bench");
    let models_dir = target_dir().join("models");
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut haul_runs = Vec::new();
    let mut python_runs = Vec::new();
    for round in 1..=ROUNDS {
        step(&format!(
            "bench faces: round {round} of {ROUNDS}, {threads} threads"
        ));
        haul_runs.push(measure(
            Command::new(&program)
                .arg(&models_dir)
                .arg(threads.to_string())
                .args(&photos),
        )?);
        python_runs.push(measure(
            Command::new(&python)
                .arg(root().join("tools/models/reference_pipeline.py"))
                .arg("--models")
                .arg(&models_dir)
                .args(["--threads", &threads.to_string(), "--summary"])
                .args(&photos),
        )?);
    }
    let haul = median(&haul_runs);
    let python = median(&python_runs);
    println!(
        "\nfaces, {} photos ({} faces), {threads} threads, median of {ROUNDS} rounds:",
        haul.get("photos").unwrap_or(0.0),
        haul.get("faces").unwrap_or(0.0)
    );
    println!(
        "{:<28}{:>12}{:>14}{:>10}",
        "", "haul (tract)", "onnxruntime", "ratio"
    );
    for (key, label, higher_is_better) in [
        ("photos_per_s", "photos per second", true),
        ("decode_ms", "decode, ms per photo", false),
        ("detect_ms", "detect, ms per photo", false),
        ("embed_ms_per_face", "align+embed, ms per face", false),
        ("peak_mib", "peak memory, MiB", false),
        ("detector_side", "detector input side", true),
    ] {
        let (h, p) = (haul.get(key).unwrap_or(0.0), python.get(key).unwrap_or(0.0));
        let ratio = if higher_is_better { h / p } else { p / h };
        println!("{label:<28}{h:>12.2}{p:>14.2}{ratio:>9.2}×");
    }
    println!("(ratio > 1: haul is better)");
    Ok(())
}

/// The JSON line a measuring program prints, as numbers by key.
fn measure(command: &mut Command) -> Result<Vec<(String, f64)>> {
    let out = command
        .output()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or_default();
    println!("  {line}");
    flat_numbers(line).ok_or_else(|| format!("{line:?} is not a flat JSON object of numbers"))
}

/// `{"key": number, ...}`, the only shape both measuring programs print (xtask has
/// no dependencies, so no JSON parser).
fn flat_numbers(line: &str) -> Option<Vec<(String, f64)>> {
    let body = line.trim().strip_prefix('{')?.strip_suffix('}')?;
    body.split(',')
        .map(|pair| {
            let (key, value) = pair.split_once(':')?;
            let key = key.trim().strip_prefix('"')?.strip_suffix('"')?;
            Some((key.to_string(), value.trim().parse().ok()?))
        })
        .collect()
}

struct Medians(Vec<(String, f64)>);

impl Medians {
    fn get(&self, key: &str) -> Option<f64> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }
}

fn median(runs: &[Vec<(String, f64)>]) -> Medians {
    let keys: Vec<String> = runs
        .first()
        .map(|r| r.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    Medians(
        keys.into_iter()
            .map(|key| {
                let mut values: Vec<f64> = runs
                    .iter()
                    .filter_map(|r| r.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
                    .collect();
                values.sort_by(f64::total_cmp);
                let mid = values.get(values.len() / 2).copied().unwrap_or(0.0);
                (key, mid)
            })
            .collect(),
    )
}
