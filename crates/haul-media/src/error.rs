//! What can go wrong with a media file, as a closed set.

use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// The file asks for more than Haul allows (pixels, bytes, time): a
    /// decompression bomb or simply too big to preview.
    #[error("{path}: {what}")]
    Limit { path: String, what: String },
    /// The content is damaged: truncated or not what its header says.
    #[error("{path}: the file is damaged ({what})")]
    Corrupt { path: String, what: String },
    /// Not a kind of file this operation handles (a text file named `.jpg`).
    #[error("{path}: {what}")]
    Unsupported { path: String, what: String },
    /// An external tool Haul needs is not installed.
    #[error("{tool} is not installed: {why}")]
    ToolMissing { tool: &'static str, why: String },
    /// The work pool stopped before the job ran.
    #[error("the media worker pool stopped")]
    PoolStopped,
}

pub type Result<T, E = MediaError> = std::result::Result<T, E>;

impl MediaError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }

    pub(crate) fn limit(path: &Path, what: impl Into<String>) -> Self {
        Self::Limit {
            path: path.display().to_string(),
            what: what.into(),
        }
    }

    pub(crate) fn corrupt(path: &Path, what: impl Into<String>) -> Self {
        Self::Corrupt {
            path: path.display().to_string(),
            what: what.into(),
        }
    }

    pub(crate) fn unsupported(path: &Path, what: impl Into<String>) -> Self {
        Self::Unsupported {
            path: path.display().to_string(),
            what: what.into(),
        }
    }
}
