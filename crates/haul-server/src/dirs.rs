//! Where a remote client may have files written: inside the download folder
//! from the settings and each `--allow-dir`. Any other folder a request names
//! is refused, whatever `..`, symlink or odd spelling it uses.

use std::path::{Component, Path, PathBuf};

use haul_core::{Error, ErrorCode};

pub struct AllowedDirs {
    /// Canonical roots given at start.
    roots: Vec<PathBuf>,
}

fn canonical(path: &Path) -> Result<PathBuf, Error> {
    std::fs::canonicalize(path).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("The allowed folder {} cannot be used: {e}", path.display()),
        )
    })
}

/// `path` with `.` removed and `..` applied, without touching the disk; None
/// if `..` would climb above the root.
fn normalise(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => out.push(component.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
        }
    }
    Some(out)
}

/// The real location of `path`: its deepest existing ancestor resolved
/// (symlinks followed), the rest appended.
fn resolve(path: &Path) -> Option<PathBuf> {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(&existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Some(out);
        }
        rest.push(existing.file_name()?.to_os_string());
        if !existing.pop() {
            return None;
        }
    }
}

impl AllowedDirs {
    /// The download folder (created if missing) and the `--allow-dir` folders
    /// (which must exist).
    pub fn new(download_dir: &Path, extra: &[PathBuf]) -> Result<Self, Error> {
        std::fs::create_dir_all(download_dir).map_err(|e| {
            Error::from_io(
                &format!(
                    "Cannot create the download folder {}",
                    download_dir.display()
                ),
                &e,
            )
        })?;
        let mut roots = vec![canonical(download_dir)?];
        for dir in extra {
            roots.push(canonical(dir)?);
        }
        Ok(Self { roots })
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The folder a request named, if it is inside an allowed one. A relative
    /// path is taken inside the download folder.
    pub fn check(&self, requested: &str, download_dir: &Path) -> Result<PathBuf, Error> {
        let refuse = || {
            Error::new(
                ErrorCode::DirNotAllowed,
                format!(
                    "{requested:?} is outside the folders this server may write to (the download \
                     folder and the --allow-dir folders)."
                ),
            )
        };
        if requested.is_empty() || requested.len() > 4096 || requested.contains('\0') {
            return Err(refuse());
        }
        let path = Path::new(requested);
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            download_dir.join(path)
        };
        let normal = normalise(&joined).ok_or_else(refuse)?;
        let real = resolve(&normal).ok_or_else(refuse)?;
        let current = resolve(download_dir);
        let inside = self
            .roots
            .iter()
            .chain(current.iter())
            .any(|root| real.starts_with(root));
        if inside { Ok(real) } else { Err(refuse()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inside_the_roots() {
        let base = tempfile::tempdir().unwrap();
        let downloads = base.path().join("downloads");
        let extra = base.path().join("media");
        let outside = base.path().join("secret");
        for dir in [&extra, &outside] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let dirs = AllowedDirs::new(&downloads, std::slice::from_ref(&extra)).unwrap();
        let ok = |p: &str| dirs.check(p, &downloads);
        assert!(
            ok("films")
                .unwrap()
                .starts_with(downloads.canonicalize().unwrap())
        );
        assert!(ok(extra.join("new/deeper").to_str().unwrap()).is_ok());
        assert!(ok(downloads.to_str().unwrap()).is_ok());
        for bad in [
            "../secret",
            "films/../../secret",
            outside.to_str().unwrap(),
            "/etc",
            "",
            "a\0b",
        ] {
            assert_eq!(
                ok(bad).unwrap_err().code,
                ErrorCode::DirNotAllowed,
                "{bad:?}"
            );
        }
        // A link inside the download folder that points out of it.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&outside, downloads.join("escape")).unwrap();
            assert!(ok("escape/x").is_err());
        }
    }
}
