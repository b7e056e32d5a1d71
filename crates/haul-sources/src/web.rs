//! Generic web pages: every picture, video, sound and linked media file of one
//! page, as a single post. A XenForo 2 thread is handed to the forum extractor,
//! so `Web` can be pointed at any URL.

use async_trait::async_trait;
use scraper::{ElementRef, Html};
use url::Url;

use crate::collect::Collector;
use crate::error::SourceError;
use crate::extractor::{ExtractContext, Extractor};
use crate::html::{self, Walk, attr};
use crate::model::{MediaKind, Order, Page, Post};
use crate::{http, media_url, srcset, xenforo};

/// The platform name of generic web pages.
pub const PLATFORM: &str = "web";

/// Where lazy-loading scripts keep the real picture while `src` holds a
/// placeholder, most specific first.
const LAZY_IMAGE_ATTRS: &[&str] = &["data-src", "data-lazy-src", "data-original"];

/// Extracts the media of any web page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Web;

#[async_trait]
impl Extractor for Web {
    fn name(&self) -> &'static str {
        "web"
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
        // A cursor only exists when the page was a forum thread (see `parse`).
        let target = xenforo::cursor_url(url, cursor)?;
        let reply = http::get(ctx, &target, http::ACCEPT_HTML, xenforo::inspect_error).await?;
        if let Some(kind) = reply.content_type().and_then(media_kind_of_type) {
            // The URL serves a file although its name does not say so; the body is
            // not read here, the engine fetches it.
            return Ok(file_page(&target, kind));
        }
        let rate = reply.rate();
        let page_url = reply.url.clone();
        let body = reply.text().await?;
        let mut page = parse(&body, &page_url)?;
        page.rate = rate;
        Ok(page)
    }
}

/// The page for an HTML document fetched from `page_url`.
pub(crate) fn parse(body: &str, page_url: &Url) -> Result<Page, SourceError> {
    let doc = Html::parse_document(body);
    if xenforo::is_thread(&doc) {
        tracing::debug!(url = %page_url, "a XenForo thread; parsed as a forum thread");
        return xenforo::parse_document(&doc, page_url);
    }
    Ok(parse_generic(&doc, page_url))
}

fn parse_generic(doc: &Html, page_url: &Url) -> Page {
    let base = html::base_url(doc, page_url);
    let mut found = Collector::new(Some(page_url));
    html::walk(doc.root_element(), |el| visit(el, &base, &mut found));
    open_graph(doc, &base, &mut found);
    let title = html::title(doc).or_else(|| html::meta(doc, "og:title"));
    let caption = html::meta(doc, "og:description").or_else(|| html::meta(doc, "description"));
    let id = media_url::normalise(page_url);
    Page {
        posts: vec![Post {
            platform: PLATFORM.to_owned(),
            id: id.clone(),
            account: None,
            posted_at: None,
            title: title.clone(),
            caption,
            url: Some(id),
            media: found.into_media(),
        }],
        title,
        ..Page::default()
    }
}

fn visit(el: ElementRef<'_>, base: &Url, found: &mut Collector) -> Walk {
    match el.value().name() {
        "head" | "script" | "style" | "template" | "noscript" | "iframe" | "object" | "embed"
        | "svg" | "canvas" => Walk::Skip,
        "a" => {
            let Some(url) = attr(el, "href").and_then(|h| media_url::resolve(base, h)) else {
                return Walk::Descend;
            };
            match media_url::media_ext(&url) {
                // The link is the full-size file; a thumbnail inside it is not
                // taken on its own.
                Some((_, kind)) => {
                    found.push_url(&url, kind, media_url::file_name(&url));
                    Walk::Skip
                }
                None => Walk::Descend,
            }
        }
        "img" => {
            if let Some(url) = image_url(el, base)
                && !is_interface_graphic(&url)
            {
                found.push_url(&url, MediaKind::Image, media_url::file_name(&url));
            }
            Walk::Skip
        }
        "video" | "audio" => {
            let kind = if el.value().name() == "video" {
                MediaKind::Video
            } else {
                MediaKind::Audio
            };
            for url in player_sources(el, base) {
                found.push_url(&url, kind, media_url::file_name(&url));
            }
            Walk::Skip
        }
        _ => Walk::Descend,
    }
}

/// The URL of the largest picture an `<img>` offers, lazy-loading attributes
/// included; nothing for tracking pixels and inline `data:` pictures.
pub(crate) fn image_url(img: ElementRef<'_>, base: &Url) -> Option<Url> {
    if html::is_tiny(img) {
        return None;
    }
    let from_srcset = ["srcset", "data-srcset"]
        .iter()
        .filter_map(|name| attr(img, name))
        .filter_map(srcset::largest)
        .find_map(|u| media_url::resolve(base, u));
    from_srcset.or_else(|| {
        LAZY_IMAGE_ATTRS
            .iter()
            .chain(&["src"])
            .filter_map(|name| attr(img, name))
            .find_map(|u| media_url::resolve(base, u))
    })
}

/// `src` of a `<video>`/`<audio>` and of its `<source>` children.
pub(crate) fn player_sources(player: ElementRef<'_>, base: &Url) -> Vec<Url> {
    let own = attr(player, "src");
    let sources = player
        .child_elements()
        .filter(|c| c.value().name() == "source")
        .filter_map(|c| attr(c, "src"));
    own.into_iter()
        .chain(sources)
        .filter_map(|u| media_url::resolve(base, u))
        .collect()
}

/// Icons and logos drawn as SVG or ICO are page furniture, not media.
fn is_interface_graphic(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    path.ends_with(".svg") || path.ends_with(".ico")
}

/// `og:image` (its `secure_url` first) and `og:video` when it is a file rather
/// than a player page.
fn open_graph(doc: &Html, base: &Url, found: &mut Collector) {
    let metas = html::css("meta[property][content]");
    let values = |keys: &[&str]| -> Vec<Url> {
        doc.select(&metas)
            .filter(|m| {
                m.value()
                    .attr("property")
                    .is_some_and(|p| keys.iter().any(|k| p.eq_ignore_ascii_case(k)))
            })
            .filter_map(|m| attr(m, "content"))
            .filter_map(|c| media_url::resolve(base, c))
            .collect()
    };
    // The same picture is often named twice, over http and over https.
    let mut schemeless_seen = Vec::new();
    let mut add = |url: Url, kind: MediaKind, found: &mut Collector| {
        let key = url.as_str().split_once("://").map(|(_, r)| r.to_owned());
        if schemeless_seen.contains(&key) {
            return;
        }
        schemeless_seen.push(key);
        found.push_url(&url, kind, media_url::file_name(&url));
    };
    for key in ["og:image:secure_url", "og:image", "og:image:url"] {
        for url in values(&[key]) {
            add(url, MediaKind::Image, found);
        }
    }
    let video_type = html::meta(doc, "og:video:type").unwrap_or_default();
    let videos = ["og:video:secure_url", "og:video", "og:video:url"]
        .into_iter()
        .flat_map(|key| values(&[key]));
    for url in videos {
        let is_file = media_url::media_ext(&url).is_some_and(|(_, k)| k == MediaKind::Video)
            || video_type.to_ascii_lowercase().starts_with("video/");
        if is_file {
            add(url, MediaKind::Video, found);
        }
    }
}

/// A reply whose content type is a media file.
fn media_kind_of_type(content_type: &str) -> Option<MediaKind> {
    let mime = content_type.split(';').next()?.trim().to_ascii_lowercase();
    let (top, _) = mime.split_once('/')?;
    match top {
        "image" if mime != "image/svg+xml" => Some(MediaKind::Image),
        "video" => Some(MediaKind::Video),
        "audio" => Some(MediaKind::Audio),
        _ => None,
    }
}

fn file_page(url: &Url, kind: MediaKind) -> Page {
    let mut found = Collector::new(None);
    found.push_url(url, kind, media_url::file_name(url));
    let id = media_url::normalise(url);
    Page {
        posts: vec![Post {
            platform: PLATFORM.to_owned(),
            id: id.clone(),
            account: None,
            posted_at: None,
            title: None,
            caption: None,
            url: Some(id),
            media: found.into_media(),
        }],
        ..Page::default()
    }
}

#[cfg(test)]
#[path = "web_tests.rs"]
mod tests;
