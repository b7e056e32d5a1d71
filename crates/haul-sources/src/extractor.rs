//! The trait every source implements, and what a call is given.

use std::fmt;

use async_trait::async_trait;
use url::Url;

use crate::error::SourceError;
use crate::model::{Order, Page};

/// A platform account's cookies, as `name=value` pairs per domain. Never printed:
/// `Debug` shows only the count.
#[derive(Clone, Default)]
pub struct Cookies {
    /// (domain, path, secure, name, value, expires unix seconds or 0) — a
    /// Netscape cookies.txt line.
    pub entries: Vec<CookieEntry>,
}

#[derive(Clone, Default)]
pub struct CookieEntry {
    pub domain: String,
    pub include_subdomains: bool,
    pub path: String,
    pub secure: bool,
    pub expires: i64,
    pub name: String,
    pub value: String,
    /// Written as a `#HttpOnly_` domain prefix in the file; kept so a file Haul
    /// writes back says what the browser's export said.
    pub http_only: bool,
}

impl fmt::Debug for Cookies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cookies({} entries)", self.entries.len())
    }
}

/// What every extraction call is given besides the URL.
#[derive(Clone, Debug)]
pub struct ExtractContext {
    /// The shared HTTP client (a descriptive User-Agent is set per request).
    pub client: reqwest::Client,
    /// The account's cookies, when the source names one.
    pub cookies: Option<Cookies>,
    /// At most this many posts are wanted (a first check's limit); extractors
    /// that can ask the site for fewer do.
    pub limit: Option<usize>,
}

/// Turns a URL into pages of posts. Implementations are stateless between calls:
/// everything needed to continue is in the cursor.
#[async_trait]
pub trait Extractor: Send + Sync {
    /// A short stable name: "direct", "web", "xenforo", "reddit", "yt-dlp",
    /// "gallery-dl".
    fn name(&self) -> &'static str;

    /// The order in which this source's pages run.
    fn order(&self) -> Order;

    /// One page: the first when `cursor` is `None`, else the page the cursor
    /// names (a cursor some earlier [`Page::next`] or [`Page::this`] returned).
    async fn page(
        &self,
        ctx: &ExtractContext,
        url: &Url,
        cursor: Option<&str>,
    ) -> Result<Page, SourceError>;
}
