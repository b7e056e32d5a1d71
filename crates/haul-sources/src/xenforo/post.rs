//! One XenForo post: its id, author, date, text and media.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};
use url::Url;

use super::{PLATFORM, media};
use crate::html::{self, attr, css, has_class};
use crate::model::Post;

/// Long enough for any caption a user reads in a list; a novel-length post is
/// cut rather than stored whole with every check.
const MAX_CAPTION_CHARS: usize = 2000;

struct Selectors {
    body: Selector,
    anchor: Selector,
    lb_container: Selector,
    author: Selector,
    header_time: Selector,
    any_time: Selector,
    permalink: Selector,
}

static SEL: LazyLock<Selectors> = LazyLock::new(|| Selectors {
    body: css(".message-body .bbWrapper, .message-content .bbWrapper, .bbWrapper"),
    anchor: css(".u-anchorTarget[id]"),
    lb_container: css(".message-userContent[data-lb-id]"),
    author: css(".message-name .username, .message-userDetails .username"),
    header_time: css(".message-attribution time, .message-date time"),
    any_time: css("time"),
    permalink: css(".message-attribution a[href], .message-attribution-main a[href]"),
});

/// The post, or `None` for a message that names no post (a quick-reply form).
pub(super) fn parse(post: ElementRef<'_>, page_url: &Url) -> Option<Post> {
    let id = post_id(post)?;
    let body = body(post);
    let caption = body
        .map(|b| html::visible_text(b, is_not_own_text))
        .map(|text| html::cap_chars(&text, MAX_CAPTION_CHARS))
        .filter(|text| !text.is_empty());
    Some(Post {
        platform: PLATFORM.to_owned(),
        account: author(post),
        posted_at: posted_at(post),
        title: None,
        caption,
        url: Some(permalink(post, &id, page_url)),
        media: media::collect(post, body, page_url),
        id,
    })
}

/// The numeric post id: `data-content="post-123"`, `id="js-post-123"`, the
/// `#post-123` anchor, or the lightbox container's `data-lb-id`.
pub(crate) fn post_id(post: ElementRef<'_>) -> Option<String> {
    let from = |value: Option<&str>, prefix: &str| {
        value
            .and_then(|v| v.trim().strip_prefix(prefix))
            .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
    };
    from(attr(post, "data-content"), "post-")
        .or_else(|| from(post.value().id(), "js-post-"))
        .or_else(|| {
            post.select(&SEL.anchor)
                .find_map(|a| from(a.value().id(), "post-"))
        })
        .or_else(|| {
            post.select(&SEL.lb_container)
                .find_map(|c| from(attr(c, "data-lb-id"), "post-"))
        })
}

/// The post's own text container, never the signature's.
fn body(post: ElementRef<'_>) -> Option<ElementRef<'_>> {
    post.select(&SEL.body).find(|b| !in_signature(*b, post))
}

fn in_signature(el: ElementRef<'_>, post: ElementRef<'_>) -> bool {
    el.ancestors()
        .take_while(|n| n.id() != post.id())
        .filter_map(ElementRef::wrap)
        .any(|a| has_class(a, "message-signature"))
}

/// Quotes repeat other posts, unfurls are link previews, players hold fallback
/// messages: none is this post's own text.
fn is_not_own_text(el: ElementRef<'_>) -> bool {
    matches!(
        el.value().name(),
        "blockquote" | "video" | "audio" | "iframe"
    ) || has_class(el, "bbCodeBlock--quote")
        || has_class(el, "bbCodeBlock--unfurl")
        || has_class(el, "js-unfurl")
}

fn author(post: ElementRef<'_>) -> Option<String> {
    attr(post, "data-author").map(str::to_owned).or_else(|| {
        let name = post.select(&SEL.author).next()?.text().collect::<String>();
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_owned())
    })
}

/// Unix seconds of the post's date: XenForo 2.3's `data-timestamp`, 2.0–2.2's
/// numeric `data-time` (2.3 reuses that name for "5:30 PM"), else `datetime`.
fn posted_at(post: ElementRef<'_>) -> Option<i64> {
    let body = body(post);
    let outside_body =
        |t: &ElementRef<'_>| body.is_none_or(|b| !t.ancestors().any(|a| a.id() == b.id()));
    let time = post
        .select(&SEL.header_time)
        .chain(post.select(&SEL.any_time).filter(outside_body))
        .next()?;
    let numeric = |name| attr(time, name).and_then(|v| v.parse::<i64>().ok());
    numeric("data-timestamp")
        .or_else(|| numeric("data-time"))
        .or_else(|| attr(time, "datetime").and_then(parse_iso8601))
}

/// `2025-06-09T17:30:10-0500`, `…+05:00` or `…Z` as Unix seconds.
fn parse_iso8601(value: &str) -> Option<i64> {
    let value = value.trim();
    let (date, rest) = value.split_once('T')?;
    let mut ymd = date.split('-').map(str::parse::<i32>);
    let (Some(Ok(y)), Some(Ok(mo)), Some(Ok(d)), None) =
        (ymd.next(), ymd.next(), ymd.next(), ymd.next())
    else {
        return None;
    };
    let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(zone_at);
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':').map(str::parse::<u8>);
    let h = hms.next()?.ok()?;
    let mi = hms.next()?.ok()?;
    let s = hms.next().transpose().ok()?.unwrap_or(0);
    let offset_secs = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 4 {
                return None;
            }
            let hours: i64 = digits[..2].parse().ok()?;
            let minutes: i64 = digits[2..].parse().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let month = time::Month::try_from(u8::try_from(mo).ok()?).ok()?;
    let day = u8::try_from(d).ok()?;
    let local = time::Date::from_calendar_date(y, month, day)
        .ok()?
        .with_hms(h, mi, s)
        .ok()?
        .assume_utc()
        .unix_timestamp();
    Some(local - offset_secs)
}

/// The post's own link (`…/threads/slug.1/post-123`), else the page's anchor.
fn permalink(post: ElementRef<'_>, id: &str, page_url: &Url) -> String {
    post.select(&SEL.permalink)
        .filter_map(|a| attr(a, "href"))
        .filter(|href| href.contains(id))
        .find_map(|href| crate::media_url::resolve(page_url, href))
        .map(|u| u.to_string())
        .unwrap_or_else(|| {
            let mut url = page_url.clone();
            url.set_fragment(Some(&format!("post-{id}")));
            url.to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::parse_iso8601;

    #[test]
    fn iso_dates_with_offsets() {
        assert_eq!(
            parse_iso8601("2025-06-09T17:30:10-0500"),
            Some(1_749_508_210)
        );
        assert_eq!(
            parse_iso8601("2025-06-09T22:30:10+00:00"),
            Some(1_749_508_210)
        );
        assert_eq!(parse_iso8601("2025-06-09T22:30:10Z"), Some(1_749_508_210));
        assert_eq!(
            parse_iso8601("2025-09-13T10:54:53+0700"),
            Some(1_757_735_693)
        );
        assert_eq!(parse_iso8601("yesterday"), None);
        assert_eq!(parse_iso8601("2025-02-30T00:00:00Z"), None);
    }
}
