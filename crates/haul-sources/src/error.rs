//! Why an extraction failed, typed so the core can decide: wait, ask for a login,
//! mark the source gone, or report a layout it does not understand.

use std::time::Duration;

/// The kind of a [`SourceError`], for callers that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceErrorKind {
    RateLimited,
    LoginRequired,
    Gone,
    Blocked,
    Layout,
    Network,
    Unsupported,
    ToolMissing,
    ToolFailed,
    ToolTimeout,
    Malformed,
    Io,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The site asked us to slow down (HTTP 429, a rate-limit header).
    #[error("Rate limited by {site}{}", retry_after.map(|d| format!("; retry in {} s", d.as_secs())).unwrap_or_default())]
    RateLimited {
        site: String,
        retry_after: Option<Duration>,
    },
    #[error("Login required: {0}")]
    LoginRequired(String),
    /// Deleted, private, suspended, 404/410: checking again will not help soon.
    #[error("Gone: {0}")]
    Gone(String),
    /// The site refuses us (403, a challenge page).
    #[error("Blocked: {0}")]
    Blocked(String),
    /// The page loaded but its markup or JSON is not what this extractor knows.
    #[error("Layout not understood: {0}")]
    Layout(String),
    #[error("Network error: {0}")]
    Network(String),
    #[error("No extractor handles {0}")]
    Unsupported(String),
    #[error("{tool} is not installed ({detail})")]
    ToolMissing { tool: &'static str, detail: String },
    #[error("{tool} failed: {message}")]
    ToolFailed { tool: &'static str, message: String },
    #[error("{tool} did not finish within {} s and was stopped", after.as_secs())]
    ToolTimeout { tool: &'static str, after: Duration },
    /// A reply or a tool's output that does not parse.
    #[error("{what} is malformed: {message}")]
    Malformed { what: String, message: String },
    #[error("{0}")]
    Io(String),
}

impl SourceError {
    pub fn kind(&self) -> SourceErrorKind {
        match self {
            Self::RateLimited { .. } => SourceErrorKind::RateLimited,
            Self::LoginRequired(_) => SourceErrorKind::LoginRequired,
            Self::Gone(_) => SourceErrorKind::Gone,
            Self::Blocked(_) => SourceErrorKind::Blocked,
            Self::Layout(_) => SourceErrorKind::Layout,
            Self::Network(_) => SourceErrorKind::Network,
            Self::Unsupported(_) => SourceErrorKind::Unsupported,
            Self::ToolMissing { .. } => SourceErrorKind::ToolMissing,
            Self::ToolFailed { .. } => SourceErrorKind::ToolFailed,
            Self::ToolTimeout { .. } => SourceErrorKind::ToolTimeout,
            Self::Malformed { .. } => SourceErrorKind::Malformed,
            Self::Io(_) => SourceErrorKind::Io,
        }
    }

    /// How long to wait before asking the same site again, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Worth trying again at the next check (as opposed to gone or unsupported).
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind(),
            SourceErrorKind::RateLimited
                | SourceErrorKind::Network
                | SourceErrorKind::ToolTimeout
                | SourceErrorKind::ToolFailed
        )
    }
}
