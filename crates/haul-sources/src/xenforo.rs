//! XenForo 2 forum threads, recognised by their markup on any host: one page of
//! a thread is one [`Page`], its posts in order, paged through `rel=next`.
//!
//! Threads grow at the end, so pages run oldest first and each page names itself
//! (`Page::this`): the next check starts again at the last page it reached.

mod media;
mod post;

use std::sync::LazyLock;

use async_trait::async_trait;
use reqwest::StatusCode;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::error::SourceError;
use crate::extractor::{ExtractContext, Extractor};
use crate::html::{self, attr, css};
use crate::model::{Order, Page};
use crate::{http, media_url};

/// The platform name of XenForo forums.
pub const PLATFORM: &str = "xenforo";

/// Extracts XenForo 2 threads.
#[derive(Clone, Copy, Debug, Default)]
pub struct Xenforo;

struct Selectors {
    posts: Selector,
    title: Selector,
    title_labels: Selector,
    next_link: Selector,
    next_jump: Selector,
    chrome: Selector,
    login_form: Selector,
}

static SEL: LazyLock<Selectors> = LazyLock::new(|| Selectors {
    // `message--post` in threads, `message--article` for an article thread's
    // first post; `js-post` with a `post-N` key covers both and custom styles.
    posts: css(
        "article.message--post, article.message--article, .js-post[data-content], \
         article.message[data-content]",
    ),
    title: css("h1.p-title-value"),
    title_labels: css(".label, .label-append, .labelLink"),
    next_link: css("link[rel=next][href]"),
    next_jump: css("a.pageNav-jump--next[href]"),
    chrome: css(".p-pageWrapper, .p-body, .block--messages"),
    login_form: css("form[action*='login/login']"),
});

#[async_trait]
impl Extractor for Xenforo {
    fn name(&self) -> &'static str {
        "xenforo"
    }

    fn order(&self) -> Order {
        Order::OldestFirst
    }

    async fn page(
        &self,
        ctx: &ExtractContext,
        url: &Url,
        cursor: Option<&str>,
    ) -> Result<Page, SourceError> {
        let target = cursor_url(url, cursor)?;
        let reply = http::get(ctx, &target, http::ACCEPT_HTML, inspect_error).await?;
        let rate = reply.rate();
        let page_url = reply.url.clone();
        let body = reply.text().await?;
        let mut page = parse_html(&body, &page_url)?;
        page.rate = rate;
        Ok(page)
    }
}

/// The page for a thread page's HTML fetched from `page_url`.
pub fn parse_html(body: &str, page_url: &Url) -> Result<Page, SourceError> {
    let doc = Html::parse_document(body);
    if !is_xenforo(&doc) {
        return Err(SourceError::Layout(format!(
            "{page_url} is not a XenForo 2 page"
        )));
    }
    parse_document(&doc, page_url)
}

/// The page a cursor names, or the source URL itself for the first page. A
/// cursor is a page URL this extractor returned; one on another host (a
/// tampered record) is refused rather than fetched with this account's cookies.
pub(crate) fn cursor_url(url: &Url, cursor: Option<&str>) -> Result<Url, SourceError> {
    let Some(cursor) = cursor else {
        return Ok(url.clone());
    };
    let malformed = |message: &str| SourceError::Malformed {
        what: "the thread cursor".to_owned(),
        message: message.to_owned(),
    };
    let parsed = Url::parse(cursor).map_err(|_| malformed("it is not a URL"))?;
    if !media_url::is_web(&parsed) || parsed.host_str() != url.host_str() {
        return Err(malformed("it names another site than the source"));
    }
    Ok(parsed)
}

/// Recognises XenForo's answer to a guest without permission: a 403 (or 401)
/// carrying the login form.
pub(crate) fn inspect_error(status: StatusCode, body: &str) -> Option<SourceError> {
    if !matches!(status.as_u16(), 401 | 403) {
        return None;
    }
    let doc = Html::parse_document(body);
    (template(&doc) == Some("login") || doc.select(&SEL.login_form).next().is_some()).then(|| {
        SourceError::LoginRequired("the forum asks to log in to see this thread".to_owned())
    })
}

fn template(doc: &Html) -> Option<&str> {
    doc.root_element().value().attr("data-template")
}

/// Any page served by XenForo 2: `<html id="XF" data-xf="2.x" data-app="public">`,
/// or, where a mirror or theme dropped those, XenForo's page chrome and posts.
pub(crate) fn is_xenforo(doc: &Html) -> bool {
    let root = doc.root_element().value();
    root.id() == Some("XF")
        || root.attr("data-xf").is_some()
        || (doc.select(&SEL.chrome).next().is_some() && first_post(doc).is_some())
}

/// A XenForo thread page (or its login wall), which the forum extractor reads.
pub(crate) fn is_thread(doc: &Html) -> bool {
    if !is_xenforo(doc) {
        return false;
    }
    let template = template(doc).unwrap_or_default();
    template.starts_with("thread_view") || template == "login" || first_post(doc).is_some()
}

fn first_post(doc: &Html) -> Option<ElementRef<'_>> {
    doc.select(&SEL.posts).find(|p| post::post_id(*p).is_some())
}

/// Reads one thread page.
pub(crate) fn parse_document(doc: &Html, page_url: &Url) -> Result<Page, SourceError> {
    if template(doc) == Some("login") {
        return Err(SourceError::LoginRequired(
            "the forum asks to log in to see this thread".to_owned(),
        ));
    }
    let mut posts = Vec::new();
    for element in doc.select(&SEL.posts) {
        match post::parse(element, page_url) {
            Some(p) => posts.push(p),
            None => tracing::debug!(url = %page_url, "a message without a post id was skipped"),
        }
    }
    let is_thread_template = template(doc).is_some_and(|t| t.starts_with("thread_view"));
    if posts.is_empty() && !is_thread_template {
        return Err(SourceError::Layout(format!(
            "{page_url} holds no XenForo posts"
        )));
    }
    let this = media_url::normalise(page_url);
    let next = next_page(doc, page_url).filter(|n| *n != this);
    Ok(Page {
        posts,
        next,
        this: Some(this),
        title: thread_title(doc),
        rate: None,
    })
}

/// `<link rel="next">`, else the page navigation's "Next" button; only on the
/// same host, since the cursor is fetched with this forum's cookies.
fn next_page(doc: &Html, page_url: &Url) -> Option<String> {
    let href = doc
        .select(&SEL.next_link)
        .chain(doc.select(&SEL.next_jump))
        .find_map(|e| attr(e, "href"))?;
    let next = media_url::resolve(page_url, href)?;
    if next.host_str() != page_url.host_str() {
        tracing::warn!(url = %page_url, "the next-page link leaves the forum; paging stops");
        return None;
    }
    Some(media_url::normalise(&next))
}

/// The thread's title without its prefix labels ("[Request]", "Solved").
fn thread_title(doc: &Html) -> Option<String> {
    let from_h1 = doc.select(&SEL.title).next().map(|h1| {
        html::visible_text(h1, |e| SEL.title_labels.matches(&e))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    from_h1
        .filter(|t| !t.is_empty())
        .or_else(|| html::meta(doc, "og:title"))
        .or_else(|| html::title(doc))
}

#[cfg(test)]
#[path = "xenforo/tests.rs"]
mod tests;
