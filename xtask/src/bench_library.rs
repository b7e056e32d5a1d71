//! `cargo xtask bench library`: the library's work beside its peers in one run
//! (BLAKE3 against b3sum, perceptual hashes against a plain image + image_hasher
//! loop, the near-duplicate index against a BK-tree, gallery pages over a million
//! items). The measuring happens in `crates/haul-core/examples/library_bench.rs`,
//! built in release mode; this prepares the inputs and the peers.

use std::path::Path;
use std::process::Command;

use crate::{Result, cargo, run_command, setup, step, target_dir};

const BLOB_MIB: u64 = 1024;

pub fn library() -> Result {
    setup::system_packages(&["b3sum", "imagemagick"])?;
    let photos = setup::test_photos()?;
    let dir = target_dir().join("bench-library");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;

    step("bench: inputs (a 1 GiB file, real photos at 1, 12 and 24 megapixels)");
    let blob = dir.join("blob.bin");
    crate::bench::random_file(&blob, BLOB_MIB << 20)?;
    let photo_dir = dir.join("photos");
    std::fs::create_dir_all(&photo_dir).map_err(|e| format!("{}: {e}", photo_dir.display()))?;
    for name in ["obama", "obama2", "obama3", "biden"] {
        let source = photos.join(format!("{name}.jpg"));
        copy_scaled(
            &source,
            &photo_dir.join(format!("{name}-original.jpg")),
            None,
        )?;
        copy_scaled(
            &source,
            &photo_dir.join(format!("{name}-12mp.jpg")),
            Some("4000x3000!"),
        )?;
        copy_scaled(
            &source,
            &photo_dir.join(format!("{name}-24mp.jpg")),
            Some("6000x4000!"),
        )?;
    }

    step("bench: build the measuring program (release)");
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "haul-core",
        "--example",
        "library_bench",
    ]))?;
    let program = target_dir().join("release/examples/library_bench");
    let run = |args: &[&str]| {
        step(&format!("bench library {}", args[0]));
        run_command(Command::new(&program).args(args))
    };
    run(&["blake3", &blob.display().to_string()])?;
    run(&["phash", &photo_dir.display().to_string()])?;
    run(&["index", "1000000"])?;
    run(&["gallery", "1000000"])
}

fn copy_scaled(source: &Path, target: &Path, geometry: Option<&str>) -> Result {
    if target.is_file() {
        return Ok(());
    }
    let mut command = Command::new("convert");
    command.arg(source);
    if let Some(geometry) = geometry {
        command.args(["-resize", geometry]);
    }
    command.args(["-quality", "90"]).arg(target);
    run_command(&mut command)
}
