//! Haul's media sources: what is behind a URL, as pages of posts with their media.
//!
//! An [`Extractor`] turns a URL (and a cursor where the last page ended) into a
//! [`Page`] of [`Post`]s, each with the [`Media`] Haul's engine should fetch. There
//! are extractors for direct links, generic web pages, XenForo 2 forum threads and
//! Reddit's public JSON listings, and adapters that run yt-dlp and gallery-dl as
//! subprocesses (argument lists, never a shell) and parse their JSON.
//!
//! This crate must never touch the database, the download engine or the settings
//! file: the core keeps cursors, archives and schedules, and hands cookies in as
//! [`Cookies`] that never reach a log or a command line.

mod cookies;
mod error;
mod extractor;
mod model;
pub mod tools;

mod collect;
mod html;
mod media_url;
mod srcset;

pub mod direct;
pub mod http;
pub mod recognise;
pub mod reddit;
pub mod web;
pub mod xenforo;

pub use error::{SourceError, SourceErrorKind};
pub use extractor::{CookieEntry, Cookies, ExtractContext, Extractor};
pub use model::RateHint;
pub use model::{Media, MediaKind, Order, Page, Post, Tool};

pub use cookies::{CookieFileError, MAX_COOKIE_FILE_BYTES, PrivateCookieFile};
pub use direct::Direct;
pub use recognise::{ExtractorKind, Recognised, http_extractor, recognise, tool_for_platform};
pub use reddit::{Reddit, RedditTarget};
pub use web::Web;
pub use xenforo::Xenforo;
