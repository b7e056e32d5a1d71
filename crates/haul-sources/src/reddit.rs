//! Reddit users and subreddits through Reddit's public JSON listings
//! (`/user/NAME/submitted.json`, `/r/NAME/new.json`), newest first, paged by the
//! listing's `after` cursor.

mod convert;
mod wire;

use async_trait::async_trait;
use reqwest::StatusCode;
use url::Url;

use crate::error::SourceError;
use crate::extractor::{ExtractContext, Extractor};
use crate::http;
use crate::model::{Order, Page};

/// The platform name of Reddit.
pub const PLATFORM: &str = "reddit";

/// Where the listings are fetched from unless [`BASE_URL_ENV`] says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://www.reddit.com";

/// Names another base URL (a local test server, a mirror).
pub const BASE_URL_ENV: &str = "HAUL_REDDIT_URL";

/// Reddit's own ceiling for one listing request.
const MAX_LIMIT: usize = 100;

/// Whose submissions a Reddit URL names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedditTarget {
    User(String),
    Subreddit(String),
}

impl RedditTarget {
    /// `/user/NAME`, `/u/NAME`, `/user/NAME/submitted`, `/r/NAME` (and anything
    /// below them that is not a single post).
    pub fn from_url(url: &Url) -> Option<Self> {
        let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
        let first = segments.next()?.to_ascii_lowercase();
        let name = segments.next().filter(|n| is_name(n))?.to_owned();
        if segments.next() == Some("comments") {
            return None;
        }
        match first.as_str() {
            "user" | "u" => Some(Self::User(name)),
            "r" => Some(Self::Subreddit(name)),
            _ => None,
        }
    }

    /// `u/NAME` or `r/NAME`, as Reddit writes them.
    pub fn label(&self) -> String {
        match self {
            Self::User(name) => format!("u/{name}"),
            Self::Subreddit(name) => format!("r/{name}"),
        }
    }

    fn listing_path(&self) -> String {
        match self {
            Self::User(name) => format!("user/{name}/submitted.json"),
            Self::Subreddit(name) => format!("r/{name}/new.json"),
        }
    }
}

/// Reddit's names are letters, digits, `_` and `-`; anything else would change
/// the request's path.
fn is_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Extracts Reddit users' and subreddits' submissions.
#[derive(Clone, Debug)]
pub struct Reddit {
    base: Url,
}

impl Default for Reddit {
    fn default() -> Self {
        Self::from_env()
    }
}

impl Reddit {
    /// Fetches from [`BASE_URL_ENV`] when set to a valid URL, else from Reddit.
    pub fn from_env() -> Self {
        let base = std::env::var(BASE_URL_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| match Url::parse(v.trim()) {
                Ok(url) => Some(url),
                Err(e) => {
                    tracing::warn!(error = %e, "{BASE_URL_ENV} is not a URL; using Reddit");
                    None
                }
            });
        match base {
            Some(base) => Self::with_base(base),
            None => Self::with_base(default_base()),
        }
    }

    /// Fetches from `base` (`https://www.reddit.com` in production).
    pub fn with_base(mut base: Url) -> Self {
        // Joining relative listing paths must keep a base path such as `/reddit`.
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        Self { base }
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The listing request for the source `url` from `cursor` (an `after` value).
    pub fn listing_url(
        &self,
        url: &Url,
        cursor: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Url, SourceError> {
        let target = RedditTarget::from_url(url).ok_or_else(|| unsupported(url))?;
        self.listing_for(&target, cursor, limit)
    }

    fn listing_for(
        &self,
        target: &RedditTarget,
        cursor: Option<&str>,
        limit: Option<usize>,
    ) -> Result<Url, SourceError> {
        let mut listing = self
            .base
            .join(&target.listing_path())
            .map_err(|e| SourceError::Unsupported(format!("Reddit listing URL: {e}")))?;
        let limit = limit.map_or(MAX_LIMIT, |l| l.clamp(1, MAX_LIMIT));
        {
            let mut query = listing.query_pairs_mut();
            query.append_pair("raw_json", "1");
            query.append_pair("limit", &limit.to_string());
            if let Some(after) = cursor {
                // Fullnames such as `t3_1abcde`; anything else is not ours.
                if !is_name(after) {
                    return Err(SourceError::Malformed {
                        what: "the Reddit cursor".to_owned(),
                        message: "it is not a Reddit fullname".to_owned(),
                    });
                }
                query.append_pair("after", after);
            }
        }
        Ok(listing)
    }
}

#[allow(clippy::expect_used)]
fn default_base() -> Url {
    // Cannot fail: DEFAULT_BASE_URL is a constant, valid URL (the unit test
    // `default_base_is_reddit` parses it).
    Url::parse(DEFAULT_BASE_URL).expect("DEFAULT_BASE_URL is a valid URL")
}

fn unsupported(url: &Url) -> SourceError {
    SourceError::Unsupported(format!(
        "{url}: a Reddit source is a user (/user/NAME) or a subreddit (/r/NAME)"
    ))
}

#[async_trait]
impl Extractor for Reddit {
    fn name(&self) -> &'static str {
        "reddit"
    }

    fn order(&self) -> Order {
        Order::NewestFirst
    }

    async fn page(
        &self,
        ctx: &ExtractContext,
        url: &Url,
        cursor: Option<&str>,
    ) -> Result<Page, SourceError> {
        let target = RedditTarget::from_url(url).ok_or_else(|| unsupported(url))?;
        let listing = self.listing_for(&target, cursor, ctx.limit)?;
        let label = target.label();
        let reply = http::get(ctx, &listing, http::ACCEPT_JSON, |status, body| {
            error_reply(status, body, &label)
        })
        .await?;
        let rate = reply.rate();
        let body = reply.text().await?;
        let mut page = parse_listing(&body, &self.base)?;
        page.title = Some(label);
        page.rate = rate;
        Ok(page)
    }
}

/// One listing page: its submissions and the `after` cursor.
pub(crate) fn parse_listing(body: &str, base: &Url) -> Result<Page, SourceError> {
    let listing: wire::Listing = serde_json::from_str(body)
        .map_err(|e| SourceError::Layout(format!("not a Reddit listing: {e}")))?;
    let mut posts = Vec::new();
    for child in listing.data.children {
        if child.kind != "t3" {
            continue;
        }
        match serde_json::from_value::<wire::Link>(child.data) {
            Ok(link) if !link.id.is_empty() => posts.push(convert::post(&link, base)),
            Ok(_) => tracing::warn!("a Reddit submission without an id was skipped"),
            Err(e) => tracing::warn!(error = %e, "a Reddit submission did not parse; skipped"),
        }
    }
    Ok(Page {
        posts,
        next: listing.data.after.filter(|a| !a.is_empty()),
        ..Page::default()
    })
}

/// Reddit's reasons: `private` and `banned` communities are gone for us;
/// `quarantined` and `gated` ones need a logged-in account that opted in.
fn error_reply(status: StatusCode, body: &str, label: &str) -> Option<SourceError> {
    let reply: wire::ErrorReply = serde_json::from_str(body).ok()?;
    let reason = reply.reason?;
    let detail = reply.message.unwrap_or_else(|| status.to_string());
    Some(match reason.as_str() {
        "private" => SourceError::Gone(format!("{label} is private")),
        "banned" => SourceError::Gone(format!("{label} is banned")),
        "quarantined" | "gated" => SourceError::LoginRequired(format!(
            "{label} is {reason}; a logged-in account must opt in"
        )),
        _ if status == StatusCode::NOT_FOUND => SourceError::Gone(format!("{label}: {reason}")),
        _ => SourceError::Blocked(format!("{label}: {reason} ({detail})")),
    })
}

#[cfg(test)]
#[path = "reddit/tests.rs"]
mod tests;
