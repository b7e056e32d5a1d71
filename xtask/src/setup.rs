//! Installs what a fresh Debian/Ubuntu machine lacks: apt packages, the UI's npm
//! packages, tauri-driver.

use std::path::Path;
use std::process::Command;

use crate::{Result, run_command, step, target_dir, ui_dir};

/// Building and running the Tauri app on Linux.
pub const RUN_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libssl-dev",
];

/// Everything above plus the real-window and browser tests.
pub const TEST_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libssl-dev",
    "xvfb",
    "webkit2gtk-driver",
    "imagemagick",
    "chromium",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "libsecret-tools",
    "dunst",
    "ffmpeg",
];

fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

/// Whether this machine lets us mount a tmpfs (root, and not a container that
/// forbids it): tried for real on a scratch folder.
pub fn can_mount_tmpfs() -> Result {
    if !is_root() {
        return Err("not running as root".into());
    }
    let dir = std::env::temp_dir().join(format!("haul-tmpfs-probe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&dir)
        .output()
        .map_err(|e| e.to_string())?;
    let result = if mounted.status.success() {
        let _ = Command::new("umount").arg(&dir).status();
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&mounted.stderr).trim().to_string())
    };
    let _ = std::fs::remove_dir(&dir);
    result
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

pub fn system_packages(packages: &[&str]) -> Result {
    if !Path::new("/usr/bin/dpkg-query").exists() {
        eprintln!(
            "xtask: not a Debian/Ubuntu system; install the equivalents of {packages:?} yourself"
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("apt: install {}", missing.join(" ")));
    let sudo = if is_root() { None } else { Some("sudo") };
    let apt = |args: &[&str]| {
        let mut command = match sudo {
            Some(sudo) => {
                let mut c = Command::new(sudo);
                c.arg("apt-get");
                c
            }
            None => Command::new("apt-get"),
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    run_command(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    run_command(&mut install)
}

pub fn npm(args: &[&str]) -> Command {
    let mut command = Command::new("npm");
    command.args(args).current_dir(ui_dir());
    command
}

/// `npm ci` when node_modules does not match package-lock.json.
pub fn npm_install() -> Result {
    let lock = ui_dir().join("package-lock.json");
    let stamp = ui_dir().join("node_modules/.haul-lock-stamp");
    let wanted = std::fs::read(&lock).map_err(|e| format!("{}: {e}", lock.display()))?;
    if std::fs::read(&stamp).ok().as_deref() == Some(wanted.as_slice()) {
        return Ok(());
    }
    step("npm: install the UI's packages");
    run_command(&mut npm(&["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// tauri-driver 2 (WebDriver for Tauri apps) from crates.io, unless present.
pub fn tauri_driver() -> Result {
    if tauri_driver_path().is_some() {
        return Ok(());
    }
    step("cargo: install tauri-driver 2");
    run_command(
        Command::new("cargo")
            .args(["install", "tauri-driver", "--version", "^2", "--locked"])
            .env("CARGO_TARGET_DIR", target_dir().join("tauri-driver")),
    )
}

pub fn tauri_driver_path() -> Option<std::path::PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let path = cargo_home.join("bin").join("tauri-driver");
    path.exists().then_some(path)
}

/// The labelled test photos of the `face_recognition` 1.3.0 sdist from PyPI
/// (obama, obama2, obama3, biden): real photos for the library's and the faces'
/// tests. Their EXIF carries usage terms, so they are fetched, never committed.
/// Returns the folder holding the .jpg files.
pub fn test_photos() -> Result<std::path::PathBuf> {
    const SDIST: &str = "face_recognition-1.3.0";
    let root = target_dir().join("test-data");
    let photos = root.join(SDIST).join("tests/test_images");
    if photos.join("biden.jpg").is_file() {
        return Ok(photos);
    }
    step("pip: fetch the face_recognition sdist's test photos");
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    run_command(
        Command::new("python3")
            .args([
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "-q",
                "-d",
            ])
            .arg(&root)
            .arg("face_recognition==1.3.0"),
    )?;
    run_command(
        Command::new("tar")
            .arg("-xzf")
            .arg(root.join(format!("{SDIST}.tar.gz")))
            .arg("-C")
            .arg(&root)
            .arg(format!("{SDIST}/tests/test_images")),
    )?;
    if photos.join("biden.jpg").is_file() {
        Ok(photos)
    } else {
        Err(format!("{} holds no test photos", photos.display()))
    }
}
