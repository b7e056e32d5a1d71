//! yt-dlp and gallery-dl as subprocesses: finding and installing them, running
//! them with argument lists (never a shell) under a timeout and an output cap,
//! and turning their JSON into [`Page`](crate::Page)s.
//!
//! Cookies reach the tools only as a [`PrivateCookieFile`](crate::PrivateCookieFile)
//! path: a value never appears on a command line or in a log.

mod common;
pub mod gallery_dl;
mod gallery_dl_keywords;
mod gallery_dl_parse;
pub mod install;
pub mod locate;
pub mod process;
pub mod ytdlp;
mod ytdlp_parse;

pub use gallery_dl::GalleryDl;
pub use gallery_dl_parse::parse_gallery_dl;
pub use install::{GALLERY_DL_VERSION, InstalledTools, YT_DLP_VERSION, install};
pub use locate::{ToolPaths, find_ffmpeg, version};
pub use process::{ToolOutput, ToolRun};
pub use ytdlp::{Progress, YtDlp};
pub use ytdlp_parse::parse_ytdlp;
