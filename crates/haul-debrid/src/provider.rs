//! What every debrid service offers, shaped by where they really differ: who picks
//! the files (Real-Debrid before it downloads, the others after), whether a cached
//! torrent is ready on add, whether status comes as a live delta, whether links are
//! permanent, and how a user logs in.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;

use crate::magnet::Magnet;

/// The services Haul speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProviderKind {
    AllDebrid,
    RealDebrid,
    TorBox,
}

impl ProviderKind {
    pub const ALL: [Self; 3] = [Self::AllDebrid, Self::RealDebrid, Self::TorBox];

    /// The stable name used in the database, settings, keyring and CLI.
    pub const fn id(self) -> &'static str {
        match self {
            Self::AllDebrid => "alldebrid",
            Self::RealDebrid => "realdebrid",
            Self::TorBox => "torbox",
        }
    }

    /// The name a person reads.
    pub const fn label(self) -> &'static str {
        match self {
            Self::AllDebrid => "AllDebrid",
            Self::RealDebrid => "Real-Debrid",
            Self::TorBox => "TorBox",
        }
    }

    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.id() == id)
    }

    /// The public API's address, without any version path.
    pub const fn default_base_url(self) -> &'static str {
        match self {
            Self::AllDebrid => "https://api.alldebrid.com",
            Self::RealDebrid => "https://api.real-debrid.com",
            Self::TorBox => "https://api.torbox.app",
        }
    }
}

impl fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// How a user proves who they are to a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// Show a short code; the user confirms it on the service's site.
    Pin,
    /// OAuth device flow: a user code and a verification page.
    OAuthDevice,
    /// The user pastes a key from the service's site.
    ApiKey,
}

/// Where services differ, so the task runner can follow each one's flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// Files must be chosen on the service before it downloads (Real-Debrid).
    pub preselect_files: bool,
    /// A torrent the service already has is ready the moment it is added.
    pub cached_on_add: bool,
    /// One status call returns what changed for every torrent (AllDebrid live mode).
    pub live_delta: bool,
    /// Download links stay valid; others expire and are unlocked again.
    pub permalinks: bool,
    /// A failed torrent can be restarted in place; otherwise it is added again.
    pub restart: bool,
    pub auth: AuthKind,
}

/// A torrent accepted by the service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Added {
    /// The service's id for it.
    pub remote_id: String,
    pub name: Option<String>,
    /// Already downloaded on the service (cached).
    pub ready: bool,
}

/// Where a torrent is on the service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemotePhase {
    /// Waiting for metadata, peers or a slot.
    Queued,
    Downloading,
    /// Compressing, moving or uploading after the download.
    Processing,
    /// The service waits for the files to be chosen (Real-Debrid).
    WaitingSelection,
    /// Files can be unlocked.
    Ready,
    /// The service gave up; `message` says why.
    Failed,
}

/// A torrent's state on the service.
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteStatus {
    pub phase: RemotePhase,
    pub name: Option<String>,
    pub size: Option<u64>,
    /// 0.0 to 1.0 of the service's own download.
    pub progress: f64,
    pub bytes_per_second: u64,
    pub seeders: Option<u32>,
    /// The service's own words for the state, or the failure reason.
    pub message: String,
}

/// One file of a torrent as the service lists it. `path` is as the service gives
/// it and must pass the file-name sanitizer before it touches a disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteFile {
    /// The service's id for the file (an index where it has none).
    pub id: String,
    pub path: Vec<String>,
    pub size: u64,
    /// What to unlock for a direct link, once the service has one.
    pub link: Option<String>,
}

/// A direct download link.
#[derive(Clone, PartialEq, Eq)]
pub struct DirectLink {
    pub url: String,
    pub file_name: Option<String>,
    pub size: Option<u64>,
}

impl fmt::Debug for DirectLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Direct links grant access to the file: keep them out of logs.
        f.debug_struct("DirectLink")
            .field("url", &"[redacted]")
            .field("file_name", &self.file_name)
            .field("size", &self.size)
            .finish()
    }
}

/// The answer to an unlock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unlocked {
    Ready(DirectLink),
    /// The service prepares the link; ask [`DebridProvider::delayed`] with this id.
    Delayed {
        id: String,
    },
}

/// The account behind the credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub username: String,
    pub premium: bool,
    /// Unix seconds when premium ends, when the service says.
    pub premium_until: Option<i64>,
}

/// A login in progress: show `user_code` and `verification_url`, then poll.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginChallenge {
    pub user_code: String,
    pub verification_url: String,
    pub expires_in: Duration,
    /// How often to poll.
    pub interval: Duration,
    /// What the service needs to answer the poll (AllDebrid's check token,
    /// Real-Debrid's device code). Not shown to anyone.
    pub poll_token: Secret,
}

impl fmt::Debug for LoginChallenge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginChallenge")
            .field("user_code", &self.user_code)
            .field("verification_url", &self.verification_url)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// How a login poll ended.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginPoll {
    Pending,
    /// The credential to keep in the keyring.
    Done(Secret),
}

/// A key or token. It never prints, and it has no `Serialize`: it can only reach
/// a log, file or event by someone calling [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// What kind of failure a service reported, so callers can decide to retry, ask
/// for a login, or tell the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DebridErrorKind {
    /// No credential, or the service refused it.
    AuthInvalid,
    /// The account may not do this (blocked, banned, not premium, VPN refused).
    AccountRestricted,
    /// An account limit: too many active torrents, host quota, monthly limit.
    LimitReached,
    InvalidMagnet,
    InvalidTorrent,
    TooLarge,
    /// The torrent or link id is unknown to the service (deleted there).
    NotFound,
    /// The file is gone from the service or refused by it.
    LinkDown,
    /// Maintenance or a host that is down for now.
    Maintenance,
    /// Too many requests; wait `retry_after`.
    RateLimited,
    /// The service failed (5xx, internal error).
    ServerError,
    /// The reply did not follow the documented format.
    Protocol,
    /// No connection, timeout or a cut reply.
    Network,
    /// A login code expired before the user confirmed it.
    LoginExpired,
    /// The service cannot do this at all (e.g. a PIN login where it uses API keys).
    Unsupported,
}

/// A failed call to a service: what kind, the service's own code and words, and how
/// long to wait when it said so.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{provider}: {message}")]
pub struct DebridError {
    pub provider: ProviderKind,
    pub kind: DebridErrorKind,
    /// The service's error code, e.g. `AUTH_BAD_APIKEY` or `8`.
    pub code: Option<String>,
    pub message: String,
    pub retry_after: Option<Duration>,
}

impl DebridError {
    pub fn new(provider: ProviderKind, kind: DebridErrorKind, message: impl Into<String>) -> Self {
        Self {
            provider,
            kind,
            code: None,
            message: message.into(),
            retry_after: None,
        }
    }

    pub(crate) fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub(crate) fn with_retry_after(mut self, retry_after: Option<Duration>) -> Self {
        self.retry_after = retry_after;
        self
    }

    /// Worth trying again later without anything changing on the user's side.
    pub fn is_transient(&self) -> bool {
        matches!(
            self.kind,
            DebridErrorKind::Maintenance
                | DebridErrorKind::RateLimited
                | DebridErrorKind::ServerError
                | DebridErrorKind::Network
        )
    }
}

pub type Result<T, E = DebridError> = std::result::Result<T, E>;

/// One debrid service. Implementations keep their wire types private and limit
/// their own request rate.
#[async_trait]
pub trait DebridProvider: Send + Sync {
    fn kind(&self) -> ProviderKind;
    fn capabilities(&self) -> Capabilities;

    async fn account(&self) -> Result<Account>;
    async fn add_magnet(&self, magnet: &Magnet) -> Result<Added>;
    async fn add_torrent(&self, file_name: &str, bytes: &[u8]) -> Result<Added>;
    async fn status(&self, remote_id: &str) -> Result<RemoteStatus>;
    /// The torrent's files; links are filled in once the service has them.
    async fn files(&self, remote_id: &str) -> Result<Vec<RemoteFile>>;
    /// Chooses the files to download (only where `preselect_files`).
    async fn select_files(&self, remote_id: &str, file_ids: &[String]) -> Result<()>;
    async fn unlock(&self, remote_id: &str, file: &RemoteFile) -> Result<Unlocked>;
    /// A delayed link: `None` while the service still prepares it.
    async fn delayed(&self, delayed_id: &str) -> Result<Option<DirectLink>>;
    async fn delete(&self, remote_id: &str) -> Result<()>;
    async fn restart(&self, remote_id: &str) -> Result<()>;

    async fn start_login(&self) -> Result<LoginChallenge>;
    async fn poll_login(&self, challenge: &LoginChallenge) -> Result<LoginPoll>;
}
