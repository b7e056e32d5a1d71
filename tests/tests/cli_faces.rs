//! `haul faces …` and `haul people …` end to end with the real models on real
//! photos: people grouped, a name found by `library list --person`, corrections
//! kept through a full re-group, a model with a wrong checksum refused.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;

use haul_e2e::haul_bin;
use serde_json::Value;

fn run(data: &Path, args: &[&str]) -> Output {
    std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn haul(data: &Path, args: &[&str]) -> Output {
    let output = run(data, args);
    assert!(
        output.status.success(),
        "haul {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(data: &Path, args: &[&str]) -> Value {
    serde_json::from_slice(&haul(data, args).stdout).unwrap()
}

fn env_dir(name: &str) -> PathBuf {
    PathBuf::from(std::env::var_os(name).unwrap_or_else(|| panic!("{name} is not set")))
}

/// Person id → the file names of their photos.
fn people(data: &Path) -> HashMap<i64, (Option<String>, BTreeSet<String>)> {
    json(data, &["people", "list", "--json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|person| {
            let names = person["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| {
                    Path::new(item["path"].as_str().unwrap())
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned()
                })
                .collect();
            (
                person["id"].as_i64().unwrap(),
                (person["name"].as_str().map(str::to_string), names),
            )
        })
        .collect()
}

fn person_with<'a>(
    people: &'a HashMap<i64, (Option<String>, BTreeSet<String>)>,
    file: &str,
) -> Option<(i64, &'a BTreeSet<String>)> {
    people
        .iter()
        .find(|(_, (_, files))| files.contains(file))
        .map(|(id, (_, files))| (*id, files))
}

fn item_faces(data: &Path, file: &str) -> Vec<Value> {
    let items = json(data, &["library", "list", "--name", file, "--json"]);
    let id = items[0]["id"].as_i64().unwrap().to_string();
    json(data, &["faces", "list", &id, "--json"])
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_model_with_a_wrong_checksum_is_refused_and_nothing_is_installed() {
    let models = tempfile::tempdir().unwrap();
    for name in [
        "face_detection_yunet_2023mar.onnx",
        "dlib_face_recognition_resnet_v1.onnx",
    ] {
        std::fs::write(models.path().join(name), b"not the model").unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let out = run(
        data.path(),
        &[
            "faces",
            "models",
            "install",
            &models.path().display().to_string(),
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sha256") && stderr.contains("refused"),
        "{stderr}"
    );
    let status = json(data.path(), &["faces", "status", "--json"]);
    assert_eq!(status["modelsInstalled"], false, "{status}");
    assert!(
        !data
            .path()
            .join("models/face_detection_yunet_2023mar.onnx")
            .exists()
    );
    // A scan without models tries to fetch them, fails, and says how to install
    // them, with a typed error.
    let out = run(data.path(), &["faces", "scan", "--wait"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("ModelUnavailable") && stderr.contains("haul faces models install"),
        "{stderr}"
    );
}

/// The `face_recognition` sdist's photos (fetched by `cargo xtask test`; their
/// licence forbids committing them) and the models (`cargo xtask models`).
#[test]
#[ignore = "needs HAUL_TEST_PHOTOS and HAUL_TEST_MODELS; run by `cargo xtask test`"]
fn people_are_grouped_named_and_corrections_survive_a_regroup() {
    let photos = env_dir("HAUL_TEST_PHOTOS");
    let folder = tempfile::tempdir().unwrap();
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        std::fs::copy(photos.join(name), folder.path().join(name)).unwrap();
    }
    // A second, different photo of Biden: his mirror image at half size.
    let biden = image::open(photos.join("biden.jpg")).unwrap().to_rgb8();
    let half = image::imageops::resize(
        &biden,
        biden.width() / 2,
        biden.height() / 2,
        image::imageops::FilterType::Triangle,
    );
    image::imageops::flip_horizontal(&half)
        .save(folder.path().join("biden-mirrored.jpg"))
        .unwrap();
    // No face, a tiny image and one too large to decode are handled, not fatal.
    image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    })
    .save(folder.path().join("gradient.png"))
    .unwrap();
    image::RgbImage::new(3, 2)
        .save(folder.path().join("tiny.png"))
        .unwrap();
    image::GrayImage::new(9000, 8000)
        .save(folder.path().join("huge.png"))
        .unwrap();

    let data = tempfile::tempdir().unwrap();
    let models = env_dir("HAUL_TEST_MODELS");
    haul(
        data.path(),
        &["faces", "models", "install", &models.display().to_string()],
    );
    haul(
        data.path(),
        &["library", "add", &folder.path().display().to_string()],
    );
    let scan = haul(data.path(), &["faces", "scan", "--wait"]);
    eprintln!("{}", String::from_utf8_lossy(&scan.stdout));
    let status = json(data.path(), &["faces", "status", "--json"]);
    assert_eq!(status["pending"], 0, "{status}");
    assert_eq!(status["failed"], 1, "the huge image is refused: {status}");

    let found = people(data.path());
    let obama: BTreeSet<String> = ["obama.jpg", "obama2.jpg", "obama3.jpg"]
        .map(String::from)
        .into();
    let bidens: BTreeSet<String> = ["biden.jpg", "biden-mirrored.jpg"].map(String::from).into();
    let groups: Vec<&BTreeSet<String>> = found.values().map(|(_, files)| files).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        groups.contains(&&obama) && groups.contains(&&bidens),
        "{found:?}"
    );
    for file in ["gradient.png", "tiny.png", "huge.png"] {
        assert!(person_with(&found, file).is_none());
        assert!(item_faces(data.path(), file).is_empty(), "{file}");
    }

    // Name Obama; the gallery filter finds his photos by that name.
    let (obama_id, _) = person_with(&found, "obama.jpg").unwrap();
    haul(
        data.path(),
        &["people", "name", &obama_id.to_string(), "Barack"],
    );
    let listed = json(
        data.path(),
        &["library", "list", "--person", "barack", "--json"],
    );
    let listed: BTreeSet<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, obama);
    let unknown = run(
        data.path(),
        &["library", "list", "--person", "Nobody", "--json"],
    );
    assert!(!unknown.status.success());

    // Corrections: obama3's face is "not this person"; the mirrored Biden's face
    // is moved to nobody. Then everything automatic is decided again.
    let obama3 = item_faces(data.path(), "obama3.jpg")[0]["id"]
        .as_i64()
        .unwrap();
    haul(data.path(), &["people", "reject", &obama3.to_string()]);
    let mirrored = item_faces(data.path(), "biden-mirrored.jpg")[0]["id"]
        .as_i64()
        .unwrap();
    haul(
        data.path(),
        &["people", "move", &mirrored.to_string(), "--nobody"],
    );
    haul(data.path(), &["faces", "regroup"]);
    haul(data.path(), &["faces", "regroup"]);

    let after = people(data.path());
    let (name, files) = &after[&obama_id];
    assert_eq!(name.as_deref(), Some("Barack"));
    assert_eq!(
        files,
        &BTreeSet::from(["obama.jpg".to_string(), "obama2.jpg".to_string()])
    );
    assert!(person_with(&after, "obama3.jpg").is_none_or(|(id, _)| id != obama_id));
    assert!(
        person_with(&after, "biden-mirrored.jpg").is_none(),
        "{after:?}"
    );
    let face = &item_faces(data.path(), "biden-mirrored.jpg")[0];
    assert_eq!(face["personId"], Value::Null);
    assert_eq!(face["pinned"], true);
}
