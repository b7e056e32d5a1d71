//! Where yt-dlp, gallery-dl and ffmpeg are, and which versions they are.
//!
//! Order: an explicit path from the settings, then `HAUL_YTDLP` /
//! `HAUL_GALLERY_DL`, then the virtual environment Haul installs into
//! (`<data>/tools/venv`), then `PATH`. An explicit path or environment variable
//! is used even when nothing is there, so a wrong setting shows up as
//! "not installed" instead of silently running another copy.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::SourceError;
use crate::tools::process::{self, ToolRun};

pub const YT_DLP_ENV: &str = "HAUL_YTDLP";
pub const GALLERY_DL_ENV: &str = "HAUL_GALLERY_DL";

/// `--version` answers within a second or two; the margin covers a cold Python
/// start on a slow disk.
const VERSION_TIMEOUT: Duration = Duration::from_secs(30);

/// The programs the adapters run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToolPaths {
    pub yt_dlp: PathBuf,
    pub gallery_dl: PathBuf,
}

impl ToolPaths {
    /// Finds both tools for a data folder, reading the environment and `PATH`.
    pub fn find(data_dir: &Path, yt_dlp: Option<&Path>, gallery_dl: Option<&Path>) -> Self {
        let path_var = std::env::var_os("PATH");
        let venv = venv_dir(data_dir);
        Self {
            yt_dlp: find_tool(
                "yt-dlp",
                yt_dlp,
                std::env::var_os(YT_DLP_ENV),
                &venv,
                path_var.as_deref(),
            ),
            gallery_dl: find_tool(
                "gallery-dl",
                gallery_dl,
                std::env::var_os(GALLERY_DL_ENV),
                &venv,
                path_var.as_deref(),
            ),
        }
    }
}

/// The virtual environment Haul installs the tools into.
pub fn venv_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tools").join("venv")
}

/// A program inside a virtual environment (`bin/x`, or `Scripts\x.exe` on Windows).
pub fn venv_program(venv: &Path, name: &str) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join(format!("{name}.exe"))
    } else {
        venv.join("bin").join(name)
    }
}

/// The lookup order for one tool, with its inputs passed in (testable without
/// touching the process environment). Falls back to the venv path, where
/// [`install`](crate::tools::install::install) would put it, so the "missing"
/// error names the expected place.
pub fn find_tool(
    name: &str,
    explicit: Option<&Path>,
    env_value: Option<OsString>,
    venv: &Path,
    path_var: Option<&OsStr>,
) -> PathBuf {
    if let Some(p) = explicit.filter(|p| !p.as_os_str().is_empty()) {
        return p.to_path_buf();
    }
    if let Some(v) = env_value.filter(|v| !v.is_empty()) {
        return PathBuf::from(v);
    }
    let in_venv = venv_program(venv, name);
    if in_venv.is_file() {
        return in_venv;
    }
    search_path(name, path_var).unwrap_or(in_venv)
}

/// ffmpeg on `PATH` (yt-dlp needs it to merge separate video and audio).
pub fn find_ffmpeg() -> Option<PathBuf> {
    search_path("ffmpeg", std::env::var_os("PATH").as_deref())
}

/// A program in the directories of a `PATH`-style list.
pub fn search_path(name: &str, path_var: Option<&OsStr>) -> Option<PathBuf> {
    let names: Vec<String> = if cfg!(windows) {
        vec![
            format!("{name}.exe"),
            format!("{name}.cmd"),
            format!("{name}.bat"),
        ]
    } else {
        vec![name.to_string()]
    };
    std::env::split_paths(path_var?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// The tool's version: the first line of `--version`, trimmed.
pub async fn version(path: &Path) -> Result<String, SourceError> {
    let tool = tool_name(path);
    let out = process::run(&ToolRun::new(tool, path, VERSION_TIMEOUT).arg("--version")).await?;
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    match (out.success(), first) {
        (true, Some(v)) => Ok(v.to_string()),
        _ => Err(SourceError::ToolFailed {
            tool,
            message: format!(
                "`--version` failed (exit {:?}): {}",
                out.code,
                out.last_stderr_line().unwrap_or("no output")
            ),
        }),
    }
}

/// A display name for error messages, from the program's file name.
pub(crate) fn tool_name(path: &Path) -> &'static str {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.contains("gallery") {
        "gallery-dl"
    } else if name.contains("yt-dlp") || name.contains("yt_dlp") {
        "yt-dlp"
    } else if name.contains("python") {
        "python"
    } else {
        "tool"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn lookup_order() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let venv = dir.path().join("venv");
        let bin_dir = dir.path().join("bin");
        std::fs::create_dir_all(&bin_dir).unwrap();
        let on_path = bin_dir.join("yt-dlp");
        std::fs::write(&on_path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&on_path, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path_var = std::env::join_paths([Path::new("/nonexistent"), &bin_dir]).unwrap();

        let explicit = Path::new("/opt/yt-dlp");
        let env = Some(OsString::from("/env/yt-dlp"));
        let find = |e: Option<&Path>, env: Option<OsString>| {
            find_tool("yt-dlp", e, env, &venv, Some(&path_var))
        };
        assert_eq!(find(Some(explicit), env.clone()), explicit);
        assert_eq!(find(None, env.clone()), Path::new("/env/yt-dlp"));
        assert_eq!(find(None, Some(OsString::new())), on_path);
        assert_eq!(find(None, None), on_path);

        let in_venv = venv_program(&venv, "yt-dlp");
        std::fs::create_dir_all(in_venv.parent().unwrap()).unwrap();
        std::fs::write(&in_venv, "").unwrap();
        assert_eq!(find(None, None), in_venv);
        // Nothing anywhere: the venv path, where an install would put it.
        assert_eq!(
            find_tool("gallery-dl", None, None, &venv, Some(&path_var)),
            venv_program(&venv, "gallery-dl")
        );
    }

    #[test]
    fn names_for_messages() {
        assert_eq!(tool_name(Path::new("/x/gallery-dl")), "gallery-dl");
        assert_eq!(tool_name(Path::new("/x/yt-dlp.exe")), "yt-dlp");
        assert_eq!(tool_name(Path::new("/usr/bin/python3")), "python");
    }
}
