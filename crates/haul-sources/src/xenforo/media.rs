//! The media of one XenForo post: full-size attachments (never their
//! `/data/attachments/` thumbnails), inline images (the lightbox target when
//! there is one), videos and linked media files, in page order, then the
//! attachment list.
//!
//! Media quoted from an earlier post keep that post's id (`attachment:N` or the
//! normalised URL), so the core's archive fetches each file once.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};
use url::Url;

use crate::collect::Collector;
use crate::html::{self, Walk, attr, css, has_class};
use crate::model::{Media, MediaKind};
use crate::{media_url, web};

/// Classes of things that are pictures but not media: smilies and emoji, user
/// avatars, reaction icons, link previews (unfurls), signatures.
const NOT_MEDIA_CLASSES: &[&str] = &[
    "smilie",
    "emoji",
    "avatar",
    "message-avatar",
    "reaction",
    "reaction-sprite",
    "reactionsBar",
    "bbCodeBlock--unfurl",
    "js-unfurl",
    "message-signature",
    "contentRow-figure",
];

struct Selectors {
    attachment_items: Selector,
    item_links: Selector,
    item_name: Selector,
    item_anchor: Selector,
    img: Selector,
    video: Selector,
}

static SEL: LazyLock<Selectors> = LazyLock::new(|| Selectors {
    attachment_items: css(
        ".message-attachments li, ul.attachmentList > li, .attachmentList .attachment",
    ),
    item_links: css(
        "a.file-preview[href], .attachment-icon a[href], a.js-lbImage[href], \
         .attachment-name a[href], .file-content a[href], a[href]",
    ),
    item_name: css(".file-name, .attachment-name"),
    item_anchor: css("a.u-anchorTarget[id]"),
    img: css("img"),
    video: css("video, .file-preview--video, .file--video"),
});

/// The post's media: its body in page order, then its attachment list.
pub(super) fn collect(
    post: ElementRef<'_>,
    body: Option<ElementRef<'_>>,
    page: &Url,
) -> Vec<Media> {
    let mut found = Collector::new(Some(page));
    if let Some(body) = body {
        html::walk(body, |el| visit(el, page, &mut found));
    }
    for item in post.select(&SEL.attachment_items) {
        if !is_inside_not_media(item, post) {
            attachment_item(item, page, &mut found);
        }
    }
    found.into_media()
}

fn is_not_media(el: ElementRef<'_>) -> bool {
    NOT_MEDIA_CLASSES.iter().any(|c| has_class(el, c))
        || el.value().attr("data-shortname").is_some()
}

fn is_inside_not_media(el: ElementRef<'_>, post: ElementRef<'_>) -> bool {
    el.ancestors()
        .take_while(|n| n.id() != post.id())
        .filter_map(ElementRef::wrap)
        .any(is_not_media)
}

fn visit(el: ElementRef<'_>, page: &Url, found: &mut Collector) -> Walk {
    if is_not_media(el) {
        return Walk::Skip;
    }
    match el.value().name() {
        "script" | "style" | "template" | "noscript" | "iframe" | "object" | "embed" | "svg"
        | "form" | "button" => Walk::Skip,
        "a" => link(el, page, found),
        "img" => {
            inline_image(el, None, page, found);
            Walk::Skip
        }
        "video" | "audio" => {
            let kind = if el.value().name() == "video" {
                MediaKind::Video
            } else {
                MediaKind::Audio
            };
            for url in web::player_sources(el, page) {
                push(found, &url, kind, None);
            }
            Walk::Skip
        }
        // `div.bbImageWrapper.js-lbImage[data-src]`: the lightbox's full size.
        _ if has_class(el, "js-lbImage") || has_class(el, "bbImageWrapper") => {
            match el.select(&SEL.img).next() {
                Some(img) => inline_image(img, Some(el), page, found),
                None => lightbox_only(el, page, found),
            }
            Walk::Skip
        }
        _ => Walk::Descend,
    }
}

/// A link to an attachment or a media file is the full-size item, and the
/// thumbnail inside it is not taken separately.
fn link(a: ElementRef<'_>, page: &Url, found: &mut Collector) -> Walk {
    let Some(url) = attr(a, "href").and_then(|h| media_url::resolve(page, h)) else {
        return Walk::Descend;
    };
    let img = a.select(&SEL.img).find(|i| !is_not_media(*i));
    let shown_name = img
        .and_then(|i| attr(i, "alt").or_else(|| attr(i, "title")))
        .or_else(|| attr(a, "title"))
        .map(str::to_owned)
        .or_else(|| link_text(a));
    let kind_hint = img.map(|_| MediaKind::Image);
    if let Some(attachment) = attachment_id(&url) {
        push_attachment(found, &url, &attachment, shown_name, kind_hint);
        return Walk::Skip;
    }
    if media_url::media_ext(&url).is_some() || has_class(a, "js-lbImage") {
        push(found, &url, kind_hint.unwrap_or(MediaKind::Image), None);
        return Walk::Skip;
    }
    Walk::Descend
}

fn link_text(a: ElementRef<'_>) -> Option<String> {
    let text = a.text().collect::<String>();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// An inline picture: the lightbox wrapper's target, else `data-url` (the
/// original behind XenForo's image proxy), else `src`.
fn inline_image(
    img: ElementRef<'_>,
    wrapper: Option<ElementRef<'_>>,
    page: &Url,
    found: &mut Collector,
) {
    if is_not_media(img) || html::is_tiny(img) {
        return;
    }
    let original = attr(img, "data-url").and_then(|u| media_url::resolve(page, u));
    let from_wrapper = wrapper
        .and_then(|w| lightbox_target(w, page))
        // The proxy serves a copy; the original it names is the file itself.
        .filter(|u| !(is_proxy(u) && original.is_some()));
    let url = from_wrapper
        .or(original)
        .or_else(|| web::image_url(img, page));
    let Some(url) = url else {
        return;
    };
    let shown_name = attr(img, "alt")
        .or_else(|| attr(img, "title"))
        .or_else(|| wrapper.and_then(|w| attr(w, "title")))
        .map(str::to_owned);
    if let Some(attachment) = attachment_id(&url) {
        push_attachment(found, &url, &attachment, shown_name, Some(MediaKind::Image));
    } else if is_thumbnail(&url) {
        tracing::debug!(url = %url, "an attachment thumbnail without its full-size link was skipped");
    } else {
        push(found, &url, MediaKind::Image, None);
    }
}

fn lightbox_only(wrapper: ElementRef<'_>, page: &Url, found: &mut Collector) {
    if let Some(url) = lightbox_target(wrapper, page) {
        let name = attr(wrapper, "title").map(str::to_owned);
        match attachment_id(&url) {
            Some(id) => push_attachment(found, &url, &id, name, Some(MediaKind::Image)),
            None => push(found, &url, MediaKind::Image, None),
        }
    }
}

fn lightbox_target(wrapper: ElementRef<'_>, page: &Url) -> Option<Url> {
    ["href", "data-src", "data-lb-src"]
        .iter()
        .filter_map(|name| attr(wrapper, name))
        .find_map(|u| media_url::resolve(page, u))
}

/// One entry of the attachment list: its link to the full-size file (the
/// `<img>` in it is a thumbnail) and the file name as shown.
fn attachment_item(item: ElementRef<'_>, page: &Url, found: &mut Collector) {
    let links: Vec<Url> = item
        .select(&SEL.item_links)
        .filter(|a| !has_class(*a, "u-anchorTarget"))
        .filter_map(|a| attr(a, "href"))
        .filter_map(|h| media_url::resolve(page, h))
        .collect();
    let Some(url) = links
        .iter()
        .find(|u| attachment_id(u).is_some())
        .or_else(|| links.first())
    else {
        return;
    };
    let name = item
        .select(&SEL.item_name)
        .next()
        .and_then(|n| attr(n, "title").map(str::to_owned).or_else(|| link_text(n)))
        .or_else(|| {
            item.select(&SEL.img)
                .next()
                .and_then(|i| attr(i, "alt"))
                .map(str::to_owned)
        });
    let kind_hint = if item.select(&SEL.video).next().is_some() {
        Some(MediaKind::Video)
    } else {
        item.select(&SEL.img).next().map(|_| MediaKind::Image)
    };
    // An attachment served from another host still has XenForo's
    // `attachment-N` anchor, which keeps its id stable.
    let id = attachment_id(url).or_else(|| {
        item.select(&SEL.item_anchor)
            .find_map(|a| {
                a.value()
                    .id()?
                    .strip_prefix("attachment-")
                    .map(str::to_owned)
            })
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    match id {
        Some(id) => push_attachment(found, url, &id, name, kind_hint),
        None => {
            let kind = kind_of(url, name.as_deref())
                .or(kind_hint)
                .unwrap_or(MediaKind::Other);
            found.push_url(url, kind, name);
        }
    }
}

fn push_attachment(
    found: &mut Collector,
    url: &Url,
    attachment: &str,
    shown_name: Option<String>,
    kind_hint: Option<MediaKind>,
) {
    let name = shown_name.or_else(|| attachment_slug_name(url));
    let kind = kind_of(url, name.as_deref())
        .or(kind_hint)
        .unwrap_or(MediaKind::Other);
    found.push(format!("attachment:{attachment}"), url, kind, name);
}

fn push(found: &mut Collector, url: &Url, default_kind: MediaKind, name: Option<String>) {
    let kind = media_url::media_ext(url).map_or(default_kind, |(_, k)| k);
    found.push_url(url, kind, name.or_else(|| media_url::file_name(url)));
}

fn kind_of(url: &Url, name: Option<&str>) -> Option<MediaKind> {
    name.and_then(media_url::ext_of_name)
        .and_then(|e| media_url::kind_for_ext(&e))
        .or_else(|| media_url::media_ext(url).map(|(_, k)| k))
}

/// The route of a XenForo URL: the path, or the query of `index.php?route`
/// (forums without friendly URLs).
fn route(url: &Url) -> &str {
    if url.path().ends_with("index.php") {
        url.query()
            .map_or("", |q| q.split('&').next().unwrap_or_default())
    } else {
        url.path()
    }
}

/// The id of `…/attachments/name-jpg.123/` (or `…/attachments/123/`). Thumbnails
/// under `/data/attachments/` are not attachment links.
pub(super) fn attachment_id(url: &Url) -> Option<String> {
    let segments: Vec<&str> = route(url).split('/').filter(|s| !s.is_empty()).collect();
    let at = segments.iter().position(|s| *s == "attachments")?;
    if at > 0 && segments[at - 1] == "data" {
        return None;
    }
    let key = segments.get(at + 1)?;
    let id = key.rsplit_once('.').map_or(*key, |(_, id)| id);
    (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| id.to_owned())
}

/// `photo-jpg.123` → `photo.jpg`: XenForo writes the name's dot as a dash.
fn attachment_slug_name(url: &Url) -> Option<String> {
    let segments: Vec<&str> = route(url).split('/').filter(|s| !s.is_empty()).collect();
    let at = segments.iter().position(|s| *s == "attachments")?;
    let (slug, _) = segments.get(at + 1)?.rsplit_once('.')?;
    let slug = percent_encoding::percent_decode_str(slug).decode_utf8_lossy();
    match slug.rsplit_once('-') {
        Some((stem, ext)) if !stem.is_empty() && media_url::kind_for_ext(ext).is_some() => {
            Some(format!("{stem}.{ext}"))
        }
        _ => (!slug.is_empty()).then(|| slug.into_owned()),
    }
}

/// XenForo's attachment thumbnails live under `/data/attachments/`.
fn is_thumbnail(url: &Url) -> bool {
    url.path().contains("/data/attachments/")
}

/// XenForo's image proxy (`/proxy.php?image=…`).
fn is_proxy(url: &Url) -> bool {
    url.path().ends_with("/proxy.php")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn attachment_ids() {
        let id = |s| attachment_id(&url(s));
        assert_eq!(
            id("https://f.x/attachments/photo-jpg.123/"),
            Some("123".into())
        );
        assert_eq!(
            id("https://f.x/community/attachments/a.b-png.9/?embedded=1"),
            Some("9".into())
        );
        assert_eq!(
            id("https://f.x/index.php?attachments/clip-mp4.77/"),
            Some("77".into())
        );
        assert_eq!(id("https://f.x/attachments/55/"), Some("55".into()));
        assert_eq!(id("https://f.x/data/attachments/0/123-abcdef.jpg"), None);
        assert_eq!(id("https://f.x/attachments/"), None);
        assert_eq!(id("https://f.x/attachments/name.x1/"), None);
    }

    #[test]
    fn slug_names() {
        let name = |s| attachment_slug_name(&url(s));
        assert_eq!(
            name("https://f.x/attachments/photo-jpg.123/"),
            Some("photo.jpg".into())
        );
        assert_eq!(
            name("https://f.x/attachments/my-notes.124/"),
            Some("my-notes".into())
        );
        assert_eq!(name("https://f.x/attachments/55/"), None);
    }
}
