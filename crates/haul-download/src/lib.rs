//! Haul's HTTP download engine.
//!
//! It fetches one URL over several connections into `<name>.part` inside a target
//! folder. Each connection owns a byte range; a connection that finishes takes
//! half of the largest remaining range, so a slow tail never decides the finish
//! time. Progress is recorded through a [`Checkpoint`] only after the bytes are
//! flushed to disk; a restart continues every range with `Range` + `If-Range`,
//! and a file that changed on the server is fetched again, never spliced. The file
//! takes its final name only when complete and verified. The engine knows nothing
//! of tasks or databases: the caller persists [`ResumeState`].

mod error;
mod fetch;
pub mod filename;
mod files;
mod journal;
mod part_writer;
pub mod rate;
pub mod segments;
mod transfer;
pub mod verify;

pub use error::Error;
pub use rate::RateLimiter;
pub use segments::{Segment, SegmentSnapshot};
pub use transfer::{
    Checkpoint, CheckpointError, Control, LiveCounters, MAX_CONNECTIONS, Options, Outcome,
    ResumeState, Signal, Transfer, Validator, run,
};
pub use verify::{ExpectedHash, HashAlgorithm};

/// Builds the HTTP client the engine expects: redirects followed, a user agent that
/// names Haul, connections kept for reuse across ranges and downloads.
pub fn http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(concat!("Haul/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(std::time::Duration::from_secs(20))
        .pool_max_idle_per_host(MAX_CONNECTIONS)
        .build()
        .map_err(Error::Network)
}
