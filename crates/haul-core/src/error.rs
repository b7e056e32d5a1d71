//! The one error type every core call returns, with a closed set of codes the UI
//! and CLI branch on.

use serde::{Deserialize, Serialize};

/// What went wrong, as a closed set. Exported to TypeScript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum ErrorCode {
    /// The text given is not an http(s) link.
    InvalidUrl,
    /// An option given with a request was refused; the message names it.
    InvalidInput,
    /// A setting was refused; the message names the field.
    InvalidSetting,
    /// No such download (or other record).
    NotFound,
    /// The action does not apply in the current state (e.g. pausing a finished download).
    InvalidState,
    /// Connection failed, timed out or was cut.
    Network,
    /// The server answered with an error status.
    HttpStatus,
    /// The server refused or expired the link (HTTP 403/410).
    LinkRefused,
    /// The server answered a range request with other bytes than asked.
    RangeMismatch,
    /// The finished file does not have the expected checksum.
    ChecksumMismatch,
    /// The file changed on the server again and again while it was downloaded.
    RemoteFileChanged,
    /// No space left on the device.
    DiskFull,
    /// The file system refused access.
    PermissionDenied,
    /// Another file-system error.
    Io,
    /// The database could not be read or written.
    Database,
    /// Another Haul process is using this data folder.
    DataDirInUse,
    /// The text is not a valid magnet link; the message says what is wrong.
    InvalidMagnet,
    /// The file is not a valid .torrent.
    InvalidTorrent,
    /// The debrid service needs a login (no key, or it refused the key).
    AuthRequired,
    /// The account may not do this (not premium, blocked, banned, VPN refused).
    AccountRestricted,
    /// An account limit was reached (active torrents, host quota).
    ProviderLimit,
    /// The service is in maintenance, overloaded or rate limiting; retried later.
    ProviderUnavailable,
    /// The service gave up on the torrent or the file is gone from it.
    ProviderFailed,
    /// The service answered something Haul cannot read.
    ProviderProtocol,
    /// The OS keyring (Secret Service, Keychain, Credential Manager) cannot be used.
    Keyring,
    /// No update could be fetched: the update server is unreachable or its answer
    /// cannot be read.
    UpdateUnavailable,
    /// An update was refused: its signature does not match Haul's public key, or it
    /// was signed for another version. Nothing was installed.
    UpdateRefused,
    /// The desktop refused an integration (start at login, tray, clipboard).
    SystemIntegration,
    /// A media file asks for more than Haul allows (pixels, bytes, decode time):
    /// a decompression bomb, or simply too big to preview.
    MediaLimit,
    /// A media file is damaged (truncated, or not what its header says).
    MediaCorrupt,
    /// Not a kind of file this action handles (a text file named `.jpg`).
    MediaUnsupported,
    /// An external tool Haul needs (ffmpeg) is not installed; the message names it.
    ToolMissing,
    /// The face models are not installed and could not be fetched; the message
    /// says how to install them.
    ModelUnavailable,
    /// A face model was refused: its checksum is not the manifest's, or it cannot
    /// be run. Nothing was loaded.
    ModelRefused,
    /// A site asked Haul to slow down; the source is checked again later.
    SourceRateLimited,
    /// The source needs a logged-in account: import its cookies.
    SourceLoginRequired,
    /// The thread, account or post is gone (deleted, private, suspended).
    SourceGone,
    /// The site refuses Haul (forbidden, a challenge page).
    SourceBlocked,
    /// The page or reply is not laid out the way its extractor knows.
    SourceLayout,
    /// No extractor handles this link.
    UnsupportedUrl,
    /// yt-dlp or gallery-dl failed; the message has its reason.
    ToolFailed,
    /// yt-dlp or gallery-dl ran past its time limit and was stopped.
    ToolTimeout,
    /// A tool or a server printed something that does not parse.
    MalformedOutput,
    /// `haul serve`: no session or API token, or it expired or was revoked.
    NotAuthenticated,
    /// `haul serve`: the password was right; the TOTP code is missing or wrong.
    TotpRequired,
    /// `haul serve`: a browser request that changes state lacked its CSRF proof.
    CsrfRejected,
    /// `haul serve`: too many wrong passwords; logins wait until the lockout ends.
    LockedOut,
    /// `haul serve`: too many requests from this client; try again shortly.
    TooManyRequests,
    /// `haul serve`: a remote client named a folder outside the allowed ones.
    DirNotAllowed,
    /// A bug: something that should not happen.
    Internal,
}

/// A failed core call: a code to branch on and a message for a person.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, specta::Type)]
#[serde(rename = "CoreError", rename_all = "camelCase")]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    pub(crate) fn not_found(id: i64) -> Self {
        Self::new(ErrorCode::NotFound, format!("There is no download #{id}."))
    }

    pub(crate) fn internal(message: impl std::fmt::Display) -> Self {
        Self::new(ErrorCode::Internal, format!("Internal error: {message}"))
    }

    pub fn from_io(context: &str, error: &std::io::Error) -> Self {
        use std::io::ErrorKind;
        match error.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Self::new(
                ErrorCode::DiskFull,
                format!("{context}: the disk is full. Free some space, then resume."),
            ),
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => Self::new(
                ErrorCode::PermissionDenied,
                format!("{context}: permission denied. Choose a folder Haul may write to."),
            ),
            _ => Self::new(ErrorCode::Io, format!("{context}: {error}")),
        }
    }
}

impl From<haul_store::StoreError> for Error {
    fn from(error: haul_store::StoreError) -> Self {
        tracing::error!(%error, "database error");
        Self::new(ErrorCode::Database, error.to_string())
    }
}

impl From<haul_download::Error> for Error {
    fn from(error: haul_download::Error) -> Self {
        use haul_download::Error as E;
        let code = match &error {
            E::InvalidUrl { .. } => ErrorCode::InvalidUrl,
            E::Network(_) | E::Truncated { .. } | E::Stalled(_) => ErrorCode::Network,
            E::HttpStatus(_) | E::Busy { .. } => ErrorCode::HttpStatus,
            E::LinkRefused(_) => ErrorCode::LinkRefused,
            E::RangeMismatch { .. } => ErrorCode::RangeMismatch,
            E::ChecksumMismatch { .. } => ErrorCode::ChecksumMismatch,
            E::InvalidHash { .. } => ErrorCode::InvalidInput,
            E::KeepsChanging(_) => ErrorCode::RemoteFileChanged,
            E::Io { context, source } => return Self::from_io(context, source),
            E::UnsafePath(_) => ErrorCode::InvalidUrl,
            E::Checkpoint(_) => ErrorCode::Database,
        };
        Self::new(code, error_chain(&error))
    }
}

impl From<haul_debrid::DebridError> for Error {
    fn from(error: haul_debrid::DebridError) -> Self {
        use haul_debrid::DebridErrorKind as K;
        let code = match error.kind {
            K::AuthInvalid | K::LoginExpired => ErrorCode::AuthRequired,
            K::AccountRestricted => ErrorCode::AccountRestricted,
            K::LimitReached => ErrorCode::ProviderLimit,
            K::InvalidMagnet => ErrorCode::InvalidMagnet,
            K::InvalidTorrent => ErrorCode::InvalidTorrent,
            K::TooLarge | K::NotFound | K::LinkDown => ErrorCode::ProviderFailed,
            K::Maintenance | K::RateLimited | K::ServerError => ErrorCode::ProviderUnavailable,
            K::Network => ErrorCode::Network,
            K::Protocol => ErrorCode::ProviderProtocol,
            K::Unsupported => ErrorCode::InvalidState,
        };
        Self::new(code, error.to_string())
    }
}

impl From<haul_sources::SourceError> for Error {
    fn from(error: haul_sources::SourceError) -> Self {
        use haul_sources::SourceErrorKind as K;
        let code = match error.kind() {
            K::RateLimited => ErrorCode::SourceRateLimited,
            K::LoginRequired => ErrorCode::SourceLoginRequired,
            K::Gone => ErrorCode::SourceGone,
            K::Blocked => ErrorCode::SourceBlocked,
            K::Layout => ErrorCode::SourceLayout,
            K::Network => ErrorCode::Network,
            K::Unsupported => ErrorCode::UnsupportedUrl,
            K::ToolMissing => ErrorCode::ToolMissing,
            K::ToolFailed => ErrorCode::ToolFailed,
            K::ToolTimeout => ErrorCode::ToolTimeout,
            K::Malformed => ErrorCode::MalformedOutput,
            K::Io => ErrorCode::Io,
        };
        Self::new(code, error.to_string())
    }
}

impl From<haul_debrid::magnet::MagnetError> for Error {
    fn from(error: haul_debrid::magnet::MagnetError) -> Self {
        Self::new(
            ErrorCode::InvalidMagnet,
            format!("This magnet link cannot be used: {error}."),
        )
    }
}

impl From<haul_debrid::torrent::TorrentError> for Error {
    fn from(error: haul_debrid::torrent::TorrentError) -> Self {
        Self::new(
            ErrorCode::InvalidTorrent,
            format!("This .torrent file cannot be used: {error}."),
        )
    }
}

impl From<haul_media::MediaError> for Error {
    fn from(error: haul_media::MediaError) -> Self {
        use haul_media::MediaError as E;
        match &error {
            E::Io { path, source } => Self::from_io(path, source),
            E::Limit { .. } => Self::new(ErrorCode::MediaLimit, error.to_string()),
            E::Corrupt { .. } => Self::new(ErrorCode::MediaCorrupt, error.to_string()),
            E::Unsupported { .. } => Self::new(ErrorCode::MediaUnsupported, error.to_string()),
            E::ToolMissing { .. } => Self::new(ErrorCode::ToolMissing, error.to_string()),
            E::PoolStopped => Self::internal(&error),
        }
    }
}

/// "outer: inner: innermost", so a person sees the root cause.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
