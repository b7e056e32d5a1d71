use std::io;

/// A server asking for more than this is treated as asking for this.
const MAX_RETRY_AFTER_SECS: u64 = 300;

/// Why a transfer stopped without completing.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{url:?} is not a download link: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("network error: {0}")]
    Network(#[source] reqwest::Error),
    #[error("the server answered HTTP {0}")]
    HttpStatus(u16),
    #[error("the server is busy (HTTP {status}){}", retry_after.map(|d| format!("; it asked to retry in {} s", d.as_secs())).unwrap_or_default())]
    Busy {
        status: u16,
        retry_after: Option<std::time::Duration>,
    },
    #[error("no data arrived for {} s", .0.as_secs())]
    Stalled(std::time::Duration),
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
    #[error("{given:?} is not a {algorithm} checksum")]
    InvalidHash {
        algorithm: &'static str,
        given: String,
    },
    #[error("{algorithm} mismatch: expected {expected}, got {actual}")]
    ChecksumMismatch {
        algorithm: &'static str,
        expected: String,
        actual: String,
    },
    #[error("the file changed on the server {0} times while it was downloaded")]
    KeepsChanging(u32),
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

    /// How long the server asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::Busy { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// An error for an unexpected status: 429 and 503 are "busy, come back".
    pub(crate) fn from_status(
        status: reqwest::StatusCode,
        headers: &reqwest::header::HeaderMap,
    ) -> Self {
        match status.as_u16() {
            403 | 410 => Self::LinkRefused(status.as_u16()),
            429 | 503 => Self::Busy {
                status: status.as_u16(),
                retry_after: headers
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(|s| std::time::Duration::from_secs(s.min(MAX_RETRY_AFTER_SECS))),
            },
            code => Self::HttpStatus(code),
        }
    }

    /// Whether trying again later may succeed without anything else changing.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network(_) | Self::Truncated { .. } | Self::Busy { .. } | Self::Stalled(_) => {
                true
            }
            Self::HttpStatus(code) => *code == 429 || *code >= 500,
            _ => false,
        }
    }
}
