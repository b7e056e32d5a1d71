//! The yt-dlp adapter: `yt-dlp -J` on a URL for the records (parsed by
//! [`parse_ytdlp`](crate::tools::parse_ytdlp)), and downloads through yt-dlp for
//! media Haul's engine cannot fetch itself (streams to merge, HLS, DASH).
//!
//! Never `--exec` or a configuration file: `--ignore-config` keeps a user's
//! yt-dlp.conf (which may hold `--exec`) out of Haul's runs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use url::Url;

use crate::error::SourceError;
use crate::extractor::{Cookies, ExtractContext, Extractor};
use crate::model::{Order, Page};
use crate::tools::common::cookie_file;
use crate::tools::process::{self, ToolOutput, ToolRun};
use crate::tools::ytdlp_parse::{map_stderr, parse_ytdlp};

const TOOL: &str = "yt-dlp";

/// yt-dlp's exit status when `--max-downloads` or `--break-on-existing`
/// stopped it: the JSON printed before is complete for what it covers.
const EXIT_STOPPED_EARLY: i32 = 101;

/// The progress line yt-dlp prints while downloading (`--progress-template`).
const PROGRESS_PREFIX: &str = "haul-progress ";
const PROGRESS_TEMPLATE: &str = "download:haul-progress %(progress.downloaded_bytes)s \
     %(progress.total_bytes)s %(progress.total_bytes_estimate)s";

/// yt-dlp as an [`Extractor`] and a downloader.
#[derive(Clone, Debug)]
pub struct YtDlp {
    pub path: PathBuf,
    /// For `page()`: one extraction.
    pub timeout: Duration,
    /// Where the per-run private cookie file is written; the system temp
    /// folder when `None`.
    pub cookie_dir: Option<PathBuf>,
    /// For `download()`: a long video on a slow line takes hours.
    pub download_timeout: Duration,
}

/// Bytes downloaded so far and the total when yt-dlp knows or estimates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub downloaded: u64,
    pub total: Option<u64>,
}

impl YtDlp {
    /// Defaults: 5 minutes per extraction, 6 hours per download.
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            timeout: Duration::from_secs(300),
            cookie_dir: None,
            download_timeout: Duration::from_secs(6 * 3600),
        }
    }

    /// The arguments of an extraction run.
    pub fn page_args(url: &Url, limit: Option<usize>, cookie_file: Option<&Path>) -> Vec<OsString> {
        let mut args: Vec<OsString> = ["--ignore-config", "-J", "--no-warnings", "--no-progress"]
            .into_iter()
            .map(OsString::from)
            .collect();
        if let Some(n) = limit.filter(|n| *n > 0) {
            args.push("--playlist-end".into());
            args.push(n.to_string().into());
        }
        push_cookies(&mut args, cookie_file);
        args.push("--".into());
        args.push(url.as_str().into());
        args
    }

    /// The arguments of a download into `dir` as `<stem>.<ext>`. `-P dir` with a
    /// relative `-o`, so a `%` in the folder's path is never read as a template.
    pub fn download_args(
        url: &str,
        dir: &Path,
        stem: &str,
        cookie_file: Option<&Path>,
    ) -> Vec<OsString> {
        let mut args: Vec<OsString> = [
            "--ignore-config",
            "--no-warnings",
            "--newline",
            // `--print` implies `--quiet`, which hides progress unless asked for.
            "--progress",
            "--no-playlist",
            "-f",
            "bv*+ba/b",
            "--merge-output-format",
            "mp4",
            "--progress-template",
            PROGRESS_TEMPLATE,
        ]
        .into_iter()
        .map(OsString::from)
        .collect();
        args.push("-P".into());
        args.push(dir.as_os_str().to_os_string());
        args.push("-o".into());
        args.push(format!("{}.%(ext)s", stem.replace('%', "%%")).into());
        args.push("--print".into());
        args.push("after_move:filepath".into());
        push_cookies(&mut args, cookie_file);
        args.push("--".into());
        args.push(url.into());
        args
    }

    /// Downloads `url` through yt-dlp into `dir` as `<stem>.<ext>`, reporting
    /// progress, and returns the final file (checked to be inside `dir`).
    pub async fn download(
        &self,
        url: &str,
        dir: &Path,
        stem: &str,
        cookies: Option<&Cookies>,
        mut progress: impl FnMut(Progress),
    ) -> Result<PathBuf, SourceError> {
        check_stem(stem)?;
        let cookies_file = cookie_file(TOOL, cookies, self.cookie_dir.as_deref())?;
        let mut run = ToolRun::new(TOOL, &self.path, self.download_timeout);
        run.args = Self::download_args(url, dir, stem, cookies_file.as_ref().map(|f| f.path()));
        let mut final_path = None;
        let out = process::run_streaming(&run, |line| match parse_progress(line) {
            Some(p) => progress(p),
            None if !line.trim().is_empty() => final_path = Some(line.trim().to_string()),
            None => {}
        })
        .await?;
        drop(cookies_file);
        if !out.success() {
            return Err(map_stderr(&out.stderr_tail, url));
        }
        let Some(printed) = final_path else {
            return Err(SourceError::ToolFailed {
                tool: TOOL,
                message: "yt-dlp did not print the downloaded file's path".into(),
            });
        };
        inside_dir(dir, Path::new(&printed))
    }
}

fn push_cookies(args: &mut Vec<OsString>, cookie_file: Option<&Path>) {
    if let Some(file) = cookie_file {
        args.push("--cookies".into());
        args.push(file.as_os_str().to_os_string());
    }
}

/// A stem is a file name without an extension: no separators, no `..`.
fn check_stem(stem: &str) -> Result<(), SourceError> {
    let bad = stem.is_empty()
        || stem == "."
        || stem == ".."
        || stem.contains(['/', '\\', '\0'])
        || Path::new(stem).components().count() != 1;
    if bad {
        return Err(SourceError::Io(format!("not a usable file name: {stem:?}")));
    }
    Ok(())
}

/// The printed path, when it is an existing file inside `dir`.
fn inside_dir(dir: &Path, printed: &Path) -> Result<PathBuf, SourceError> {
    let io = |e: std::io::Error, p: &Path| SourceError::Io(format!("{}: {e}", p.display()));
    let dir = dir.canonicalize().map_err(|e| io(e, dir))?;
    let file = printed.canonicalize().map_err(|e| io(e, printed))?;
    if file.starts_with(&dir) && file.is_file() {
        Ok(file)
    } else {
        Err(SourceError::ToolFailed {
            tool: TOOL,
            message: format!("yt-dlp wrote {} outside {}", file.display(), dir.display()),
        })
    }
}

/// A `haul-progress DOWNLOADED TOTAL ESTIMATE` line ("NA" for unknown; yt-dlp
/// may print floats for estimates).
pub fn parse_progress(line: &str) -> Option<Progress> {
    let mut parts = line
        .trim()
        .strip_prefix(PROGRESS_PREFIX)?
        .split_whitespace();
    let mut next = || {
        parts
            .next()
            .and_then(|p| p.parse::<f64>().ok())
            .filter(|f| f.is_finite() && *f >= 0.0)
            .map(|f| f as u64)
    };
    let downloaded = next();
    let total = next();
    let estimate = next();
    Some(Progress {
        downloaded: downloaded.unwrap_or(0),
        total: total.or(estimate),
    })
}

/// The page from a finished extraction run.
pub fn interpret(url: &Url, out: &ToolOutput) -> Result<Page, SourceError> {
    let printed = std::str::from_utf8(&out.stdout)
        .map(str::trim)
        .unwrap_or("");
    let has_json = !printed.is_empty() && printed != "null";
    match out.code {
        Some(0) if has_json => parse_ytdlp(&out.stdout, url.as_str()),
        Some(EXIT_STOPPED_EARLY) if has_json => parse_ytdlp(&out.stdout, url.as_str()),
        Some(0) => Err(SourceError::ToolFailed {
            tool: TOOL,
            message: "yt-dlp printed no information".into(),
        }),
        _ => Err(map_stderr(&out.stderr_tail, url.as_str())),
    }
}

#[async_trait]
impl Extractor for YtDlp {
    fn name(&self) -> &'static str {
        "yt-dlp"
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
        let cookies_file = cookie_file(TOOL, ctx.cookies.as_ref(), self.cookie_dir.as_deref())?;
        let mut run = ToolRun::new(TOOL, &self.path, self.timeout);
        run.args = Self::page_args(url, ctx.limit, cookies_file.as_ref().map(|f| f.path()));
        let out = process::run(&run).await?;
        drop(cookies_file);
        interpret(url, &out)
    }
}
