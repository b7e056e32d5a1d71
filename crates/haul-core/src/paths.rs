//! Where Haul keeps things on each operating system, and the lock that keeps one
//! process per data folder.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use directories::{ProjectDirs, UserDirs};

use crate::error::{Error, ErrorCode, Result};

/// Environment variable that overrides the data folder (the CLI's `--data-dir`).
pub const DATA_DIR_ENV: &str = "HAUL_DATA_DIR";

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "Haul")
}

/// `HAUL_DATA_DIR` if set, else the OS data folder (e.g. `~/.local/share/haul`).
pub fn default_data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    project_dirs()
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| std::env::temp_dir().join("haul"))
}

/// The OS log folder: `$XDG_STATE_HOME/haul/logs` on Linux, `~/Library/Logs/Haul` on
/// macOS, `%LOCALAPPDATA%\Haul\logs` on Windows. With a custom data folder (tests,
/// portable use) logs stay beside the data.
pub fn log_dir(data_dir: &Path, custom_data_dir: bool) -> PathBuf {
    if custom_data_dir {
        return data_dir.join("logs");
    }
    if cfg!(target_os = "macos")
        && let Some(home) = UserDirs::new()
    {
        return home.home_dir().join("Library/Logs/Haul");
    }
    project_dirs()
        .map(|dirs| {
            dirs.state_dir()
                .unwrap_or_else(|| dirs.data_local_dir())
                .join("logs")
        })
        .unwrap_or_else(|| data_dir.join("logs"))
}

/// The user's Downloads folder, else `~/Downloads`, else a folder in the data dir.
pub fn default_download_dir() -> PathBuf {
    UserDirs::new()
        .and_then(|dirs| {
            dirs.download_dir()
                .map(Path::to_path_buf)
                .or_else(|| Some(dirs.home_dir().join("Downloads")))
        })
        .unwrap_or_else(|| default_data_dir().join("downloads"))
}

/// An exclusive lock on `<data dir>/haul.lock`, held while anything may write
/// downloads of this folder; released when dropped.
#[derive(Debug)]
pub(crate) struct DataDirLock {
    _file: File,
}

/// A Core that was just dropped may still be winding down its workers; give it
/// this long to release the folder before reporting it busy.
const LOCK_WAIT: Duration = Duration::from_secs(10);
const LOCK_RETRY: Duration = Duration::from_millis(50);

impl DataDirLock {
    pub(crate) async fn acquire(data_dir: &Path) -> Result<Self> {
        let path = data_dir.join("haul.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::from_io(&format!("Cannot open {}", path.display()), &e))?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Self { _file: file }),
                Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                    tokio::time::sleep(LOCK_RETRY).await;
                }
                Err(TryLockError::WouldBlock) => {
                    return Err(Error::new(
                        ErrorCode::DataDirInUse,
                        format!(
                            "Another Haul process is using the data folder {}. Close it or choose another folder with --data-dir.",
                            data_dir.display()
                        ),
                    ));
                }
                Err(TryLockError::Error(e)) => {
                    return Err(Error::from_io(
                        &format!("Cannot lock {}", path.display()),
                        &e,
                    ));
                }
            }
        }
    }
}
