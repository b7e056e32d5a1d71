//! yt-dlp and gallery-dl for the tests: the pinned versions from PyPI in a
//! virtualenv under the target folder (`$CARGO_TARGET_DIR/tools-venv`), made
//! once and remade when the pins change.

use std::path::PathBuf;
use std::process::Command;

use crate::{Result, models, root, run_command, step, target_dir};

const REQUIREMENTS: &str = "tools/extractors/requirements.txt";

/// The two programs, installed if missing.
pub fn tools() -> Result<(PathBuf, PathBuf)> {
    let venv = target_dir().join("tools-venv");
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let exe = |name: &str| bin.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let wanted =
        std::fs::read(root().join(REQUIREMENTS)).map_err(|e| format!("{REQUIREMENTS}: {e}"))?;
    let stamp = venv.join(".haul-requirements");
    let ready = exe("yt-dlp").is_file()
        && exe("gallery-dl").is_file()
        && std::fs::read(&stamp).ok().as_deref() == Some(wanted.as_slice());
    if !ready {
        models::create_venv(&venv)?;
        step(&format!(
            "pip: install {REQUIREMENTS} into {}",
            venv.display()
        ));
        run_command(
            Command::new(exe("python"))
                .args([
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(root().join(REQUIREMENTS)),
        )?;
        std::fs::write(&stamp, &wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    }
    Ok((exe("yt-dlp"), exe("gallery-dl")))
}
