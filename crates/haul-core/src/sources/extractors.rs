//! Which extractor reads a source, and the tools behind two of them: found
//! (settings, environment, Haul's own install, PATH), installed into the data
//! folder, and described for diagnostics.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use haul_sources::tools::{GalleryDl, ToolPaths, YtDlp};
use haul_sources::{Extractor, ExtractorKind};
use serde::Serialize;

use crate::Shared;
use crate::error::{Error, ErrorCode, Result};

/// One tool as diagnostics show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ToolStatus {
    pub name: String,
    pub path: Option<String>,
    /// Its `--version`, or none when it cannot run.
    pub version: Option<String>,
    /// Why it cannot be used.
    pub problem: Option<String>,
    /// The version `haul extractors install` puts in place.
    pub pinned: Option<String>,
}

fn paths(shared: &Shared) -> ToolPaths {
    let settings = shared.settings().sources;
    ToolPaths::find(
        &shared.data_dir,
        settings.yt_dlp_path.as_deref().map(Path::new),
        settings.gallery_dl_path.as_deref().map(Path::new),
    )
}

pub(crate) fn cookie_dir(shared: &Shared) -> PathBuf {
    shared.data_dir.join("tools").join("cookies")
}

fn timeout(shared: &Shared) -> Duration {
    Duration::from_secs(u64::from(shared.settings().sources.tool_timeout_secs))
}

pub(crate) fn yt_dlp(shared: &Shared) -> Result<YtDlp> {
    let mut tool = YtDlp::new(paths(shared).yt_dlp);
    tool.timeout = timeout(shared);
    tool.cookie_dir = Some(cookie_dir(shared));
    Ok(tool)
}

fn gallery_dl(shared: &Shared) -> Result<GalleryDl> {
    let mut tool = GalleryDl::new(paths(shared).gallery_dl);
    tool.timeout = timeout(shared);
    tool.cookie_dir = Some(cookie_dir(shared));
    Ok(tool)
}

/// The extractor stored on a source.
pub(crate) fn build(shared: &Arc<Shared>, name: &str) -> Result<Box<dyn Extractor>> {
    let kind: ExtractorKind = name.parse().map_err(|_| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("{name:?} is not an extractor: use direct, web, reddit, yt-dlp or gallery-dl."),
        )
    })?;
    Ok(match kind {
        ExtractorKind::YtDlp => Box::new(yt_dlp(shared)?),
        ExtractorKind::GalleryDl => Box::new(gallery_dl(shared)?),
        other => haul_sources::http_extractor(other).ok_or_else(|| {
            Error::new(
                ErrorCode::Internal,
                format!("No extractor is built for {name}."),
            )
        })?,
    })
}

/// Both tools and ffmpeg, as found now.
pub(crate) async fn status(shared: &Shared) -> Vec<ToolStatus> {
    let paths = paths(shared);
    let mut out = Vec::new();
    for (name, path, pinned) in [
        ("yt-dlp", paths.yt_dlp, haul_sources::tools::YT_DLP_VERSION),
        (
            "gallery-dl",
            paths.gallery_dl,
            haul_sources::tools::GALLERY_DL_VERSION,
        ),
    ] {
        let (version, problem) = match haul_sources::tools::version(&path).await {
            Ok(version) => (Some(version), None),
            Err(error) => (None, Some(error.to_string())),
        };
        out.push(ToolStatus {
            name: name.into(),
            path: Some(path.display().to_string()),
            version,
            problem,
            pinned: Some(pinned.into()),
        });
    }
    let ffmpeg = haul_sources::tools::find_ffmpeg();
    out.push(ToolStatus {
        name: "ffmpeg".into(),
        problem: ffmpeg.is_none().then(|| {
            "ffmpeg is not installed: yt-dlp needs it to merge separate video and audio (install it with your package manager).".to_string()
        }),
        path: ffmpeg.map(|p| p.display().to_string()),
        version: None,
        pinned: None,
    });
    out
}

/// Installs the pinned tools into the data folder's virtualenv.
pub(crate) async fn install(shared: &Shared) -> Result<Vec<ToolStatus>> {
    let venv = haul_sources::tools::locate::venv_dir(&shared.data_dir);
    haul_sources::tools::install(&venv, None).await?;
    Ok(status(shared).await)
}
