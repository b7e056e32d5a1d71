//! What a URL is before anything is fetched: which extractor reads it, for which
//! platform and account, and a name to suggest for the new source.
//!
//! One table maps hosts to platforms and one maps platforms to extractors, so
//! adding a site is one line in each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::direct::Direct;
use crate::error::SourceError;
use crate::extractor::Extractor;
use crate::reddit::{Reddit, RedditTarget};
use crate::web::Web;
use crate::xenforo::Xenforo;
use crate::{direct, media_url, web, xenforo};

/// Which extractor reads a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtractorKind {
    Direct,
    Web,
    /// XenForo 2 threads (`/threads/` URLs); [`ExtractorKind::Web`] also reads
    /// them when it meets one, but only this kind pages oldest first.
    Xenforo,
    Reddit,
    YtDlp,
    GalleryDl,
}

impl ExtractorKind {
    pub const ALL: [ExtractorKind; 6] = [
        Self::Direct,
        Self::Web,
        Self::Xenforo,
        Self::Reddit,
        Self::YtDlp,
        Self::GalleryDl,
    ];

    /// The same names as [`Extractor::name`].
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Direct => "direct",
            Self::Web => "web",
            Self::Xenforo => "xenforo",
            Self::Reddit => "reddit",
            Self::YtDlp => "yt-dlp",
            Self::GalleryDl => "gallery-dl",
        }
    }
}

impl fmt::Display for ExtractorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ExtractorKind {
    type Err = SourceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| SourceError::Unsupported(format!("no extractor is called {s:?}")))
    }
}

/// What [`recognise`] found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognised {
    pub extractor: ExtractorKind,
    /// "instagram", "reddit", "xenforo", "web", "direct"…
    pub platform: String,
    /// The account (user, channel, subreddit as `r/NAME`) the URL names, if any.
    pub account: Option<String>,
    /// A human name for the source ("u/spez", "natgeo on instagram").
    pub suggested_name: String,
}

/// Hosts (and their subdomains) → platform.
const HOST_PLATFORMS: &[(&str, &str)] = &[
    ("instagram.com", "instagram"),
    ("tiktok.com", "tiktok"),
    ("x.com", "x"),
    ("twitter.com", "x"),
    ("snapchat.com", "snapchat"),
    ("youtube.com", "youtube"),
    ("youtu.be", "youtube"),
    ("vimeo.com", "vimeo"),
    ("reddit.com", "reddit"),
    ("redd.it", "reddit"),
];

/// Platform → the extractor that reads it.
const PLATFORM_EXTRACTORS: &[(&str, ExtractorKind)] = &[
    ("instagram", ExtractorKind::GalleryDl),
    ("tiktok", ExtractorKind::YtDlp),
    ("x", ExtractorKind::GalleryDl),
    ("snapchat", ExtractorKind::YtDlp),
    ("youtube", ExtractorKind::YtDlp),
    ("vimeo", ExtractorKind::YtDlp),
    ("reddit", ExtractorKind::Reddit),
    ("xenforo", ExtractorKind::Xenforo),
    ("web", ExtractorKind::Web),
    ("direct", ExtractorKind::Direct),
];

/// Path segments that name a page of the platform, not an account.
const NOT_ACCOUNTS: &[&str] = &[
    "p",
    "reel",
    "reels",
    "tv",
    "stories",
    "explore",
    "i",
    "home",
    "search",
    "hashtag",
    "watch",
    "shorts",
    "playlist",
    "results",
    "feed",
    "video",
    "videos",
    "status",
    "settings",
    "messages",
    "notifications",
    "tag",
    "discover",
    "add",
    "embed",
];

/// The extractor for a platform, from the table above.
pub fn tool_for_platform(platform: &str) -> Option<ExtractorKind> {
    PLATFORM_EXTRACTORS
        .iter()
        .find(|(p, _)| p.eq_ignore_ascii_case(platform))
        .map(|(_, k)| *k)
}

/// The extractors this crate implements over HTTP; `None` for the yt-dlp and
/// gallery-dl kinds, whose adapters live in the tools module.
pub fn http_extractor(kind: ExtractorKind) -> Option<Box<dyn Extractor>> {
    match kind {
        ExtractorKind::Direct => Some(Box::new(Direct)),
        ExtractorKind::Web => Some(Box::new(Web)),
        ExtractorKind::Xenforo => Some(Box::new(Xenforo)),
        ExtractorKind::Reddit => Some(Box::new(Reddit::from_env())),
        ExtractorKind::YtDlp | ExtractorKind::GalleryDl => None,
    }
}

fn platform_of_host(host: &str) -> Option<&'static str> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    HOST_PLATFORMS
        .iter()
        .find(|(domain, _)| {
            host == *domain
                || host
                    .strip_suffix(domain)
                    .is_some_and(|prefix| prefix.ends_with('.'))
        })
        .map(|(_, platform)| *platform)
}

/// Says what `url` is. Only http and https URLs are sources.
pub fn recognise(url: &str) -> Result<Recognised, SourceError> {
    let parsed = Url::parse(url.trim())
        .map_err(|e| SourceError::Unsupported(format!("{url:?} is not a URL ({e})")))?;
    if !media_url::is_web(&parsed) {
        return Err(SourceError::Unsupported(format!(
            "{url:?}: only http:// and https:// links can be sources"
        )));
    }
    if let Some((_, _)) = media_url::media_ext(&parsed) {
        let name = media_url::file_name(&parsed).unwrap_or_else(|| host_of(&parsed));
        return Ok(found(ExtractorKind::Direct, direct::PLATFORM, None, name));
    }
    let host = host_of(&parsed);
    if let Some(platform) = platform_of_host(&host) {
        return platform_source(&parsed, platform);
    }
    if is_thread_url(&parsed) {
        let name = thread_name(&parsed).unwrap_or_else(|| host.clone());
        return Ok(found(ExtractorKind::Xenforo, xenforo::PLATFORM, None, name));
    }
    let name = match media_url::file_name(&parsed) {
        Some(last) => format!("{host} · {last}"),
        None => host,
    };
    Ok(found(ExtractorKind::Web, web::PLATFORM, None, name))
}

fn host_of(url: &Url) -> String {
    url.host_str()
        .unwrap_or_default()
        .trim_start_matches("www.")
        .to_owned()
}

fn found(
    extractor: ExtractorKind,
    platform: &str,
    account: Option<String>,
    suggested_name: String,
) -> Recognised {
    Recognised {
        extractor,
        platform: platform.to_owned(),
        account,
        suggested_name,
    }
}

fn platform_source(url: &Url, platform: &'static str) -> Result<Recognised, SourceError> {
    if platform == "reddit" {
        return reddit_source(url);
    }
    let extractor = tool_for_platform(platform).unwrap_or(ExtractorKind::Web);
    let account = account_of(url, platform);
    let name = match &account {
        Some(account) => format!("{account} on {platform}"),
        None => format!("{platform} · {}", url.path().trim_matches('/')),
    };
    Ok(found(extractor, platform, account, name))
}

/// The account in the URL's first path segment (`/@name`, `/name`), or a
/// YouTube channel (`/@name`, `/c/name`, `/channel/ID`, `/user/name`).
fn account_of(url: &Url, platform: &str) -> Option<String> {
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let first = *segments.first()?;
    let candidate = match (platform, first) {
        ("youtube", "c" | "channel" | "user") | ("snapchat", "add") => *segments.get(1)?,
        ("youtube", _) if !first.starts_with('@') => return None,
        _ => first,
    };
    let name = candidate.trim_start_matches('@');
    let valid = !name.is_empty()
        && !NOT_ACCOUNTS.contains(&name.to_ascii_lowercase().as_str())
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    valid.then(|| name.to_owned())
}

fn reddit_source(url: &Url) -> Result<Recognised, SourceError> {
    if let Some(target) = RedditTarget::from_url(url) {
        let account = match &target {
            RedditTarget::User(name) => name.clone(),
            RedditTarget::Subreddit(_) => target.label(),
        };
        return Ok(found(
            ExtractorKind::Reddit,
            "reddit",
            Some(account),
            target.label(),
        ));
    }
    let is_post = url
        .path_segments()
        .is_some_and(|mut s| s.any(|seg| seg == "comments" || seg == "gallery"));
    let host = host_of(url);
    if is_post || host.ends_with("redd.it") {
        // A single submission or clip: the tools read those.
        let extractor = if host == "v.redd.it" {
            ExtractorKind::YtDlp
        } else {
            ExtractorKind::GalleryDl
        };
        let name = format!("reddit · {}", url.path().trim_matches('/'));
        return Ok(found(extractor, "reddit", None, name));
    }
    Err(SourceError::Unsupported(format!(
        "{url}: a Reddit source is a user (/user/NAME) or a subreddit (/r/NAME)"
    )))
}

/// XenForo's thread routes: `/threads/slug.123/` (also under a forum prefix) or
/// `index.php?threads/slug.123/` without friendly URLs.
fn is_thread_url(url: &Url) -> bool {
    let in_path = url
        .path_segments()
        .is_some_and(|mut s| s.any(|seg| seg == "threads"));
    in_path || url.query().is_some_and(|q| q.starts_with("threads/"))
}

/// `some-thread-title.123` → `some thread title`.
fn thread_name(url: &Url) -> Option<String> {
    let route = if url.path().contains("/threads/") {
        url.path().to_owned()
    } else {
        url.query().unwrap_or_default().to_owned()
    };
    let slug = route.split("threads/").nth(1)?.split('/').next()?;
    let slug = slug.rsplit_once('.').map_or(slug, |(title, _)| title);
    let slug = percent_encoding::percent_decode_str(slug).decode_utf8_lossy();
    let name = slug.replace('-', " ").trim().to_owned();
    (!name.is_empty() && !name.bytes().all(|b| b.is_ascii_digit())).then_some(name)
}

#[cfg(test)]
#[path = "recognise_tests.rs"]
mod tests;
