//! Magnet links and .torrent files, and the debrid services that turn them into
//! direct links.

pub mod alldebrid;
pub mod bencode;
mod http;
mod lenient;
mod limits;
pub mod magnet;
pub mod provider;
pub mod realdebrid;
pub mod torbox;
pub mod torrent;

pub use http::parse_base_url;
pub use provider::{
    Account, Added, AuthKind, Capabilities, DebridError, DebridErrorKind, DebridProvider,
    DirectLink, LoginChallenge, LoginPoll, ProviderKind, RemoteFile, RemotePhase, RemoteStatus,
    Secret, Unlocked,
};
