//! The gallery-dl adapter: runs `gallery-dl --resolve-json` on a URL and parses
//! what it prints (see [`parse_gallery_dl`](crate::tools::parse_gallery_dl)).
//!
//! `--resolve-json` rather than `--dump-json`: profile URLs (an Instagram or X
//! user, a TikTok account) are "dispatch" extractors that only queue their
//! sub-extractors' URLs; resolving them is what yields the posts.

use std::path::PathBuf;
use std::time::Duration;

use async_trait::async_trait;
use url::Url;

use crate::error::SourceError;
use crate::extractor::{ExtractContext, Extractor};
use crate::model::{Order, Page};
use crate::tools::common::cookie_file;
use crate::tools::gallery_dl_parse::parse_gallery_dl;
use crate::tools::process::{self, ToolOutput, ToolRun};

const TOOL: &str = "gallery-dl";

/// gallery-dl as an [`Extractor`]: one page per run, newest first.
#[derive(Clone, Debug)]
pub struct GalleryDl {
    pub path: PathBuf,
    pub timeout: Duration,
    /// Where the per-run private cookie file is written (a folder in Haul's
    /// data folder); the system temp folder when `None`.
    pub cookie_dir: Option<PathBuf>,
}

impl GalleryDl {
    /// Defaults: 10 minutes per run (a profile's first check pages through a
    /// lot), cookies in the system temp folder.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            timeout: Duration::from_secs(600),
            cookie_dir: None,
        }
    }

    /// The arguments for one run, with the cookie file's path when there is one.
    pub fn args(
        url: &Url,
        limit: Option<usize>,
        cookie_file: Option<&std::path::Path>,
    ) -> Vec<std::ffi::OsString> {
        let mut args: Vec<std::ffi::OsString> =
            vec!["--config-ignore".into(), "--resolve-json".into()];
        if let Some(n) = limit.filter(|n| *n > 0) {
            // Posts, not files: a limit counts posts, and gallery-dl stops
            // fetching once the range is exhausted.
            args.push("--post-range".into());
            args.push(format!("1-{n}").into());
        }
        if let Some(file) = cookie_file {
            args.push("--cookies".into());
            args.push(file.as_os_str().to_os_string());
        }
        args.push("--".into());
        args.push(url.as_str().into());
        args
    }
}

#[async_trait]
impl Extractor for GalleryDl {
    fn name(&self) -> &'static str {
        "gallery-dl"
    }

    fn order(&self) -> Order {
        Order::NewestFirst
    }

    async fn page(
        &self,
        ctx: &ExtractContext,
        url: &Url,
        _cursor: Option<&str>,
    ) -> Result<Page, SourceError> {
        // Kept alive until the run ends; deleted on drop.
        let cookies = cookie_file(TOOL, ctx.cookies.as_ref(), self.cookie_dir.as_deref())?;
        let cookie_path = cookies.as_ref().map(|file| file.path());
        let mut run = ToolRun::new(TOOL, &self.path, self.timeout);
        run.args = Self::args(url, ctx.limit, cookie_path);
        let out = process::run(&run).await?;
        drop(cookies);
        interpret(url, &out)
    }
}

/// The page from a finished run: its JSON when it printed some, else an error
/// from the exit code's bit flags (4 extraction/HTTP, 8 challenge, 16 auth,
/// 32 input, 64 unsupported URL).
pub fn interpret(url: &Url, out: &ToolOutput) -> Result<Page, SourceError> {
    let printed = !out.stdout.iter().all(u8::is_ascii_whitespace);
    if printed {
        return parse_gallery_dl(&out.stdout);
    }
    let code = out.code.unwrap_or(-1);
    let detail = out
        .last_stderr_line()
        .map(str::to_string)
        .unwrap_or_else(|| format!("exit status {code}"));
    if code == 0 {
        return Err(SourceError::ToolFailed {
            tool: TOOL,
            message: "gallery-dl printed nothing".into(),
        });
    }
    Err(match code {
        c if c > 0 && c & 64 != 0 => SourceError::Unsupported(url.to_string()),
        c if c > 0 && c & 16 != 0 => SourceError::LoginRequired(detail),
        c if c > 0 && c & 8 != 0 => SourceError::Blocked(detail),
        _ => SourceError::ToolFailed {
            tool: TOOL,
            message: detail,
        },
    })
}
