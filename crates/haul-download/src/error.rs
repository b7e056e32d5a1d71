use std::io;

/// Why a transfer stopped without completing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{url:?} is not a download link: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("network error: {0}")]
    Network(#[source] reqwest::Error),
    #[error("the server answered HTTP {0}")]
    HttpStatus(u16),
    #[error("the server refused the link (HTTP {0}); it may have expired")]
    LinkRefused(u16),
    #[error("the server sent {got:?} when bytes {asked}- were asked for")]
    RangeMismatch { asked: u64, got: String },
    #[error("the server closed the connection after {received} of {expected} bytes")]
    Truncated { received: u64, expected: u64 },
    #[error("{context}: {source}")]
    Io {
        context: String,
        #[source]
        source: io::Error,
    },
    #[error("the file name {0:?} cannot be placed inside the download folder")]
    UnsafePath(String),
    #[error("saving download progress failed: {0}")]
    Checkpoint(#[from] crate::CheckpointError),
}

impl Error {
    pub(crate) fn io(context: impl Into<String>, source: io::Error) -> Self {
        Self::Io {
            context: context.into(),
            source,
        }
    }

    /// Whether trying again later may succeed without anything else changing.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Truncated { .. } => true,
            Self::HttpStatus(code) => *code == 429 || *code >= 500,
            _ => false,
        }
    }
}
