use super::*;
use crate::model::{MediaKind, Post};

const PAGE_1: &str = include_str!("../../tests/fixtures/xenforo/thread-page-1.html");
const PAGE_2: &str = include_str!("../../tests/fixtures/xenforo/thread-page-2.html");
const PAGE_3: &str = include_str!("../../tests/fixtures/xenforo/thread-page-3.html");
const THREAD: &str = "https://forum.example/threads/harbour-photos-from-the-2024-regatta.4521/";

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn page(body: &str, at: &str) -> Page {
    parse_html(body, &url(at)).unwrap_or_else(|e| panic!("{e}"))
}

fn ids(post: &Post) -> Vec<&str> {
    post.media.iter().map(|m| m.id.as_str()).collect()
}

#[test]
fn selectors_parse() {
    LazyLock::force(&SEL);
}

#[test]
fn page_one_posts_and_paging() {
    let page = page(PAGE_1, THREAD);
    assert_eq!(
        page.title.as_deref(),
        Some("Harbour photos from the 2024 regatta")
    );
    assert_eq!(page.this.as_deref(), Some(THREAD));
    assert_eq!(page.next.as_deref(), Some(&*format!("{THREAD}page-2")));
    let ids_: Vec<&str> = page.posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids_, ["10001", "10002", "10003"]);

    let first = &page.posts[0];
    assert_eq!(first.platform, "xenforo");
    assert_eq!(first.account.as_deref(), Some("marina_k"));
    assert_eq!(first.posted_at, Some(1_717_228_800));
    assert_eq!(first.url.as_deref(), Some(&*format!("{THREAD}post-10001")));
    assert_eq!(
        first.caption.as_deref(),
        Some(
            "Here are my shots from Saturday's start. The light over the breakwater was unreal\n\n\
             And the fleet waiting for the gun (found this one on the club's site):"
        )
    );
    // Inline full-size attachment, the original behind the image proxy, then the
    // attachment list (full-size links, not the /data/attachments thumbnails).
    // Smilie, avatar, reaction icons and the signature banner are not media.
    assert_eq!(
        ids(first),
        [
            "attachment:501",
            "https://images.example.org/regatta/boats.jpg",
            "attachment:502",
            "attachment:503"
        ]
    );
    let m = &first.media;
    assert_eq!(
        m[0].url,
        "https://forum.example/attachments/harbour-sunrise-jpg.501/"
    );
    assert_eq!(m[0].name_hint.as_deref(), Some("harbour sunrise.jpg"));
    assert_eq!(
        m[2].url,
        "https://forum.example/attachments/crew-photo-jpg.502/"
    );
    assert_eq!(m[2].name_hint.as_deref(), Some("crew photo.jpg"));
    assert_eq!(
        (m[3].kind, m[3].ext.as_deref()),
        (MediaKind::Other, Some("zip"))
    );
    assert!(
        first
            .media
            .iter()
            .all(|m| !m.url.contains("/data/attachments/"))
    );
    assert_eq!(m[0].headers, [("Referer".to_owned(), THREAD.to_owned())]);

    // A thumbnail wrapped in a link yields the linked full size; an inline
    // attachment thumbnail yields its attachment; the unfurl is ignored.
    let second = &page.posts[1];
    assert_eq!(
        ids(second),
        [
            "https://forum.example/media/full/lighthouse-full.jpg",
            "attachment:504"
        ]
    );
    assert_eq!(
        second.media[1].name_hint.as_deref(),
        Some("knot detail.jpg")
    );

    let third = &page.posts[2];
    assert_eq!(
        ids(third),
        [
            "https://forum.example/data/video/0/505-9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.mp4",
            "https://audio.example.org/harbour/foghorn.mp3"
        ]
    );
    assert_eq!(third.media[0].kind, MediaKind::Video);
    assert_eq!(third.media[1].kind, MediaKind::Audio);
    assert!(
        !third
            .caption
            .as_deref()
            .unwrap_or_default()
            .contains("browser")
    );
}

#[test]
fn quotes_keep_the_original_ids_and_hostile_names_stay_as_given() {
    let page = page(PAGE_2, &format!("{THREAD}page-2"));
    // Only the page navigation's Next button: the fallback for `rel=next`.
    assert_eq!(page.next.as_deref(), Some(&*format!("{THREAD}page-3")));
    let quoting = &page.posts[0];
    assert_eq!(
        ids(quoting),
        [
            "attachment:501",
            "https://images.example.org/regatta/boats.jpg",
            "attachment:506",
            "attachment:507",
            "attachment:509"
        ]
    );
    assert_eq!(
        quoting.caption.as_deref(),
        Some("Reposting these for the club newsletter. Two more from the prize giving attached.")
    );
    let names: Vec<Option<&str>> = quoting.media[2..]
        .iter()
        .map(|m| m.name_hint.as_deref())
        .collect();
    assert_eq!(
        names,
        [
            Some("../../etc/passwd"),
            Some("a/b\\c.jpg"),
            Some("\u{1b}[31mred\u{1b}[0m.png")
        ]
    );
    assert_eq!(quoting.media[2].ext, None);
    assert_eq!(quoting.media[2].kind, MediaKind::Image);
    // Lazy-loaded picture: data-src behind a data: placeholder; the tracking
    // pixel is not media.
    assert_eq!(
        ids(&page.posts[1]),
        ["https://forum.example/media/gallery/mast-top.jpg"]
    );
    assert!(page.posts[2].media.is_empty());
    assert_eq!(page.posts[2].account.as_deref(), Some("Deckhand Lou"));
}

#[test]
fn last_page_has_no_next() {
    let page = page(PAGE_3, &format!("{THREAD}page-3"));
    assert_eq!(page.next, None);
    assert_eq!(page.this.as_deref(), Some(&*format!("{THREAD}page-3")));
    let post = &page.posts[0];
    assert_eq!(
        ids(post),
        [
            "https://forum.example/media/full/lighthouse-full.jpg",
            "https://forum.example/media/full/finish-panorama.jpg",
            "attachment:508"
        ]
    );
    assert_eq!(post.media[2].kind, MediaKind::Video);
    assert_eq!(
        post.media[2].name_hint.as_deref(),
        Some("tacking drill.mp4")
    );
    assert!(
        page.posts[1].media.is_empty(),
        "signature pictures are not media"
    );
}

/// XenForo 2.3 markup: `data-timestamp` (its `data-time` is "5:30 PM"), an
/// attachment list on another host with the `attachment-N` anchor, and an
/// article thread's first post.
#[test]
fn xenforo_2_3_markup() {
    let html = r#"<!DOCTYPE html><html id="XF" data-xf="2.3" data-app="public" data-template="thread_view_type_article"><head>
        <title>Lake trip | Forum</title></head><body><div class="p-body">
        <h1 class="p-title-value">Lake trip</h1>
        <article class="message message--article js-post js-inlineModContainer" data-author="Ixvvxi" data-content="post-1707346" id="js-post-1707346">
          <header class="message-attribution"><a href="/threads/lake-trip.9/post-1707346" rel="nofollow">
            <time class="u-dt" dir="auto" datetime="2025-06-09T17:30:10-0500" data-timestamp="1749508210" data-date="Jun 9, 2025" data-time="5:30 PM">Jun 9, 2025</time></a></header>
          <div class="message-content js-messageContent"><div class="message-userContent lbContainer js-lbContainer" data-lb-id="post-1707346">
            <article class="message-body js-selectToQuote"><div class="bbWrapper">See below<br><img src="/styles/emoji/1f600.png" class="smilie smilie--emoji" alt="😀"></div></article>
            <section class="message-attachments"><ul class="attachmentList">
              <li class="file file--linked"><a class="u-anchorTarget" id="attachment-3494354"></a>
                <a class="file-preview js-lbImage" href="https://media.example.net/forum/2022/04/33E3_3526918.jpeg" target="_blank">
                  <img src="https://media.example.net/forum/2022/04/thumb/33E3_3526918.jpeg" alt="33E3.jpeg" width="250" height="425" loading="lazy" /></a>
                <div class="file-content"><div class="file-info"><span class="file-name" title="33E3.jpeg">33E3.jpeg</span></div></div></li>
            </ul></section></div></div>
        </article></div></body></html>"#;
    let page = page(html, "https://forum.example/threads/lake-trip.9/");
    let post = &page.posts[0];
    assert_eq!(post.posted_at, Some(1_749_508_210));
    assert_eq!(post.caption.as_deref(), Some("See below"));
    assert_eq!(ids(post), ["attachment:3494354"]);
    assert_eq!(
        post.media[0].url,
        "https://media.example.net/forum/2022/04/33E3_3526918.jpeg"
    );
    assert_eq!(
        post.url.as_deref(),
        Some("https://forum.example/threads/lake-trip.9/post-1707346")
    );
}

#[test]
fn datetime_only_and_no_author_attribute() {
    let html = r#"<html id="XF"><body><div class="p-body"><article class="message message--post js-post" id="js-post-5">
        <div class="message-name"><span class="username">old_timer</span></div>
        <header class="message-attribution"><time class="u-dt" datetime="2019-02-02T10:24:00+0000">Feb 2</time></header>
        <article class="message-body"><div class="bbWrapper">hi <a href="/attachments/notes-pdf.77/">notes.pdf</a></div></article>
        </article></div></body></html>"#;
    let page = page(html, "https://f.example/threads/t.1/");
    let post = &page.posts[0];
    assert_eq!(post.id, "5");
    assert_eq!(post.account.as_deref(), Some("old_timer"));
    assert_eq!(post.posted_at, Some(1_549_103_040));
    assert_eq!(ids(post), ["attachment:77"]);
    assert_eq!(post.media[0].name_hint.as_deref(), Some("notes.pdf"));
    assert_eq!(post.media[0].kind, MediaKind::Other);
    assert_eq!(
        post.url.as_deref(),
        Some("https://f.example/threads/t.1/#post-5")
    );
}

#[test]
fn login_wall_and_non_xenforo_pages() {
    let login = r#"<html id="XF" data-template="login"><body><form action="/login/login" method="post"></form></body></html>"#;
    let err = parse_html(login, &url(THREAD)).err().map(|e| e.kind());
    assert_eq!(err, Some(crate::error::SourceErrorKind::LoginRequired));
    let inspected = inspect_error(StatusCode::FORBIDDEN, login).map(|e| e.kind());
    assert_eq!(
        inspected,
        Some(crate::error::SourceErrorKind::LoginRequired)
    );
    assert!(inspect_error(StatusCode::FORBIDDEN, "<html><body>no</body></html>").is_none());
    let plain = parse_html("<html><body><p>hi</p></body></html>", &url(THREAD));
    assert_eq!(
        plain.err().map(|e| e.kind()),
        Some(crate::error::SourceErrorKind::Layout)
    );
}

#[test]
fn next_link_to_another_host_is_refused() {
    let html = r#"<html id="XF" data-template="thread_view"><head><link rel="next" href="https://evil.example/x"></head>
        <body><article class="message message--post" data-content="post-1"><div class="bbWrapper">x</div></article></body></html>"#;
    assert_eq!(page(html, THREAD).next, None);
}

#[test]
fn cursors_stay_on_the_source_host() {
    let source = url(THREAD);
    assert_eq!(cursor_url(&source, None).ok(), Some(source.clone()));
    let next = format!("{THREAD}page-2");
    assert_eq!(cursor_url(&source, Some(&next)).ok(), Some(url(&next)));
    assert!(cursor_url(&source, Some("https://evil.example/threads/x.1/")).is_err());
    assert!(cursor_url(&source, Some("file:///etc/passwd")).is_err());
    assert!(cursor_url(&source, Some("not a url")).is_err());
}
