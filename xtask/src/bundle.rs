//! `cargo xtask bundle`: a release build packaged as a .deb by the Tauri CLI (from
//! npm, prebuilt), then checked: the package installs the app, its icon and a
//! desktop entry that registers Haul for magnet links and .torrent files.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, root, run_command, setup, step, target_dir, ui_dir};

/// What the desktop entry must declare for browsers and file managers to hand
/// magnets and .torrent files to Haul.
const MIME_TYPES: &[&str] = &["x-scheme-handler/magnet", "application/x-bittorrent"];

/// What the check below runs: desktop-file-validate, update-desktop-database, gio.
const CHECK_PACKAGES: &[&str] = &["desktop-file-utils", "libglib2.0-bin"];

pub fn deb() -> Result {
    setup::system_packages(setup::RUN_PACKAGES)?;
    setup::system_packages(CHECK_PACKAGES)?;
    setup::npm_install()?;
    step("npm: build the UI");
    run_command(&mut setup::npm(&["run", "build"]))?;
    step("tauri: release build and .deb");
    let bundle_dir = target_dir().join("release/bundle/deb");
    // Only this run's package is checked.
    if bundle_dir.exists() {
        std::fs::remove_dir_all(&bundle_dir)
            .map_err(|e| format!("{}: {e}", bundle_dir.display()))?;
    }
    run_command(
        Command::new(ui_dir().join("node_modules/.bin/tauri"))
            .args(["build", "--bundles", "deb", "--ci"])
            .current_dir(root().join("src-tauri"))
            .env("CARGO_TARGET_DIR", target_dir()),
    )?;
    let deb = find_deb(&bundle_dir)?;
    step(&format!("check {}", deb.display()));
    check_deb(&deb)?;
    eprintln!("\n{}", deb.display());
    Ok(())
}

fn find_deb(dir: &std::path::Path) -> Result<PathBuf> {
    std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "deb"))
        .ok_or_else(|| format!("no .deb in {}", dir.display()))
}

fn output(command: &mut Command) -> Result<String> {
    let description = format!("{command:?}");
    let out = command
        .output()
        .map_err(|e| format!("cannot start {description}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{description} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Unpacks the package into a scratch folder and reads what it installs.
fn check_deb(deb: &std::path::Path) -> Result {
    let info = output(Command::new("dpkg-deb").arg("--info").arg(deb))?;
    eprint!("{info}");
    let unpacked = target_dir().join("bundle-check");
    if unpacked.exists() {
        std::fs::remove_dir_all(&unpacked).map_err(|e| format!("{}: {e}", unpacked.display()))?;
    }
    output(Command::new("dpkg-deb").arg("-x").arg(deb).arg(&unpacked))?;
    let binary = unpacked.join("usr/bin/haul-desktop");
    if !binary.is_file() {
        return Err(format!("the package has no {}", binary.display()));
    }
    let applications = unpacked.join("usr/share/applications");
    let entry = std::fs::read_dir(&applications)
        .map_err(|e| format!("the package has no desktop entry: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "desktop"))
        .ok_or("the package has no .desktop file")?;
    let text = std::fs::read_to_string(&entry).map_err(|e| format!("{}: {e}", entry.display()))?;
    eprintln!("{}:\n{text}", entry.display());
    let mime_line = text
        .lines()
        .find(|line| line.starts_with("MimeType="))
        .ok_or("the desktop entry declares no MimeType")?;
    for mime in MIME_TYPES {
        if !mime_line.split(['=', ';']).any(|m| m == *mime) {
            return Err(format!(
                "the desktop entry does not declare {mime}: {mime_line}"
            ));
        }
    }
    let exec = text
        .lines()
        .find(|line| line.starts_with("Exec="))
        .ok_or("the desktop entry has no Exec line")?;
    if !(exec.contains("%u") || exec.contains("%U") || exec.contains("%f") || exec.contains("%F")) {
        return Err(format!(
            "the desktop entry does not pass the link to Haul: {exec}"
        ));
    }
    output(Command::new("desktop-file-validate").arg(&entry))?;
    // What a desktop asks when a magnet is clicked: GIO reads the MIME cache that
    // installing the package builds, here built for the unpacked tree only, and
    // lists an entry only when its Exec program is on PATH.
    output(Command::new("update-desktop-database").arg(&applications))?;
    let path = std::env::join_paths(std::iter::once(unpacked.join("usr/bin")).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .map_err(|e| e.to_string())?;
    for mime in MIME_TYPES {
        let answer = output(
            Command::new("gio")
                .args(["mime", mime])
                .env("PATH", &path)
                .env("XDG_DATA_DIRS", unpacked.join("usr/share"))
                .env("XDG_DATA_HOME", unpacked.join("no-user-data")),
        )?;
        let name = entry
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !answer.contains(&format!("Default application for “{mime}”: {name}")) {
            return Err(format!("GIO does not open {mime} with {name}:\n{answer}"));
        }
        eprintln!("gio mime {mime}: {name}");
    }
    if !info.contains("libayatana-appindicator3-1") {
        return Err("the package does not depend on libayatana-appindicator3-1 (tray)".into());
    }
    Ok(())
}
