//! Haul's HTTP download engine.
//!
//! It streams one URL into `<name>.part` inside a target folder, records progress
//! through a [`Checkpoint`] only after the bytes are flushed to disk, resumes with
//! `Range` + `If-Range`, and renames the file to its final name when complete.
//! It knows nothing of tasks or databases: the caller persists [`ResumeState`].

mod error;
pub mod filename;
mod transfer;

pub use error::Error;
pub use transfer::{
    Checkpoint, CheckpointError, Control, LiveCounters, Outcome, ResumeState, Signal, Transfer,
    Validator, run,
};

/// Builds the HTTP client the engine expects: redirects followed, a user agent that
/// names Haul, connection reuse across downloads.
pub fn http_client() -> Result<reqwest::Client, Error> {
    reqwest::Client::builder()
        .user_agent(concat!("Haul/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(Error::Network)
}
