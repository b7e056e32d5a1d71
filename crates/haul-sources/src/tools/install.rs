//! Installing the pinned yt-dlp and gallery-dl into Haul's own virtual
//! environment: `python -m venv`, then pip with exact versions. Pinned so an
//! upstream change in their JSON never reaches users untested.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::SourceError;
use crate::tools::locate::{self, ToolPaths, search_path, venv_program};
use crate::tools::process::{self, ToolRun};

pub const YT_DLP_VERSION: &str = "2026.10.26";
pub const GALLERY_DL_VERSION: &str = "1.32.18";

/// Creating a venv copies pip; a few seconds normally, minutes on slow disks.
const VENV_TIMEOUT: Duration = Duration::from_secs(300);
/// pip downloads a few MiB; generous for slow connections.
const PIP_TIMEOUT: Duration = Duration::from_secs(900);

/// What [`install`] left in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstalledTools {
    pub yt_dlp_version: String,
    pub gallery_dl_version: String,
    pub paths: ToolPaths,
    /// False when both already had the pinned versions and nothing ran.
    pub changed: bool,
}

/// Makes sure `venv` holds the pinned versions of both tools. `python` is the
/// interpreter that creates the venv; `python3` (`python` on Windows) on `PATH`
/// when not given.
pub async fn install(venv: &Path, python: Option<&Path>) -> Result<InstalledTools, SourceError> {
    let paths = ToolPaths {
        yt_dlp: venv_program(venv, "yt-dlp"),
        gallery_dl: venv_program(venv, "gallery-dl"),
    };
    if let Some((yt, gd)) = pinned_versions(&paths).await {
        tracing::info!(venv = %venv.display(), "tools already at the pinned versions");
        return Ok(InstalledTools {
            yt_dlp_version: yt,
            gallery_dl_version: gd,
            paths,
            changed: false,
        });
    }

    let venv_python = venv_program(venv, "python");
    if !venv_python.is_file() {
        let python = match python {
            Some(p) => p.to_path_buf(),
            None => system_python()?,
        };
        tracing::info!(venv = %venv.display(), python = %python.display(), "creating the tools venv");
        let run = ToolRun::new("python", &python, VENV_TIMEOUT)
            .arg("-m")
            .arg("venv")
            .arg(venv.as_os_str());
        check(
            process::run(&run).await?,
            "python",
            "creating the virtual environment",
        )?;
    }

    tracing::info!(
        yt_dlp = YT_DLP_VERSION,
        gallery_dl = GALLERY_DL_VERSION,
        "installing the tools with pip"
    );
    let run = ToolRun::new("pip", &venv_python, PIP_TIMEOUT)
        .arg("-m")
        .arg("pip")
        .arg("install")
        .arg("--disable-pip-version-check")
        .arg("--no-input")
        .arg(format!("yt-dlp=={YT_DLP_VERSION}"))
        .arg(format!("gallery-dl=={GALLERY_DL_VERSION}"));
    check(
        process::run(&run).await?,
        "pip",
        "installing yt-dlp and gallery-dl",
    )?;

    let yt_dlp_version = locate::version(&paths.yt_dlp).await?;
    let gallery_dl_version = locate::version(&paths.gallery_dl).await?;
    if yt_dlp_version != YT_DLP_VERSION || gallery_dl_version != GALLERY_DL_VERSION {
        return Err(SourceError::ToolFailed {
            tool: "pip",
            message: format!(
                "installed yt-dlp {yt_dlp_version} and gallery-dl {gallery_dl_version}, \
                 expected {YT_DLP_VERSION} and {GALLERY_DL_VERSION}"
            ),
        });
    }
    Ok(InstalledTools {
        yt_dlp_version,
        gallery_dl_version,
        paths,
        changed: true,
    })
}

/// Both versions, when both tools run and report exactly the pinned versions.
async fn pinned_versions(paths: &ToolPaths) -> Option<(String, String)> {
    if !paths.yt_dlp.is_file() || !paths.gallery_dl.is_file() {
        return None;
    }
    let yt = locate::version(&paths.yt_dlp).await.ok()?;
    let gd = locate::version(&paths.gallery_dl).await.ok()?;
    (yt == YT_DLP_VERSION && gd == GALLERY_DL_VERSION).then_some((yt, gd))
}

fn system_python() -> Result<PathBuf, SourceError> {
    let path_var = std::env::var_os("PATH");
    let names: &[&str] = if cfg!(windows) {
        &["python", "py"]
    } else {
        &["python3", "python"]
    };
    names
        .iter()
        .find_map(|n| search_path(n, path_var.as_deref()))
        .ok_or_else(|| SourceError::ToolMissing {
            tool: "python",
            detail: format!("{} was not found on PATH", names.join(" or ")),
        })
}

fn check(out: process::ToolOutput, tool: &'static str, doing: &str) -> Result<(), SourceError> {
    if out.success() {
        return Ok(());
    }
    Err(SourceError::ToolFailed {
        tool,
        message: format!(
            "{doing} failed (exit {:?}): {}",
            out.code,
            out.last_stderr_line().unwrap_or("no message")
        ),
    })
}
