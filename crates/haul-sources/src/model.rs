//! The records every extractor produces.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What a media file is, as far as the source tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Video,
    Audio,
    Other,
}

impl MediaKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Video => "video",
            Self::Audio => "audio",
            Self::Other => "other",
        }
    }
}

/// An external program that fetches what Haul's engine cannot (stream merging).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tool {
    YtDlp,
    GalleryDl,
}

/// One file of a post.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Media {
    /// Unique per platform and stable across checks and across sources: the same
    /// picture quoted again later, or reached through another source, has the same
    /// id. Where the platform has no id, the normalised URL.
    pub id: String,
    /// What Haul's engine fetches (or, with `via_tool`, the page the tool is given).
    pub url: String,
    pub kind: MediaKind,
    /// The file name the source gives (an attachment's name), unsanitised.
    pub name_hint: Option<String>,
    /// Lowercase extension without the dot, when known (from the name or the URL).
    pub ext: Option<String>,
    /// 1-based position within its post.
    pub index: u32,
    /// Headers the fetch needs (Referer, User-Agent); never cookies, which the
    /// core adds from the keyring at fetch time.
    pub headers: Vec<(String, String)>,
    /// Set when the file must be fetched by the tool (separate video and audio
    /// streams to merge), not by Haul's engine.
    pub via_tool: Option<Tool>,
}

/// One post (a forum post, a Reddit submission, a platform post) and its media.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Post {
    /// The platform's name for where this came from: "xenforo", "reddit",
    /// "instagram", "web", "direct"…
    pub platform: String,
    /// The platform's post id (unique per platform).
    pub id: String,
    /// Who posted it (author, user, channel).
    pub account: Option<String>,
    /// When it was posted, Unix seconds (UTC).
    pub posted_at: Option<i64>,
    pub title: Option<String>,
    pub caption: Option<String>,
    /// The post's own page.
    pub url: Option<String>,
    pub media: Vec<Media>,
}

/// The order in which a source's pages run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Feeds (Reddit, platforms): the first page holds the newest posts; a check
    /// stops when it meets posts it already knows.
    NewestFirst,
    /// Threads: page 1 holds the oldest posts and new posts land on the last
    /// page; the next check begins where the last one ended.
    OldestFirst,
}

/// One page of a source.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub posts: Vec<Post>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<String>,
    /// For [`Order::OldestFirst`] sources, the cursor of this page itself: the
    /// next check starts here again (new posts may be added to it).
    pub this: Option<String>,
    /// The source's own title (a thread's title, a subreddit's name), when known.
    pub title: Option<String>,
    /// What the site said about its request budget while serving this page, so
    /// the core can slow down before the next request instead of after a 429.
    #[serde(default)]
    pub rate: Option<RateHint>,
}

/// A site's rate-limit headers (Reddit's `x-ratelimit-remaining` and
/// `x-ratelimit-reset`), as read from one reply.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RateHint {
    /// Requests left in the current window (Reddit sends a float such as `99.0`).
    pub remaining: Option<f64>,
    /// Until the window resets.
    pub reset: Option<Duration>,
}

impl RateHint {
    /// How long to pause before the next request: the reset time once the budget
    /// is spent (fewer than one request left), else nothing.
    pub fn wait(&self) -> Option<Duration> {
        match (self.remaining, self.reset) {
            (Some(left), Some(reset)) if left < 1.0 => Some(reset),
            _ => None,
        }
    }
}
