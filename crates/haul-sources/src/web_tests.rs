use super::*;

fn parse_at(html: &str, url: &str) -> Page {
    let url = Url::parse(url).unwrap_or_else(|e| panic!("{e}"));
    parse(html, &url).unwrap_or_else(|e| panic!("{e}"))
}

fn urls(page: &Page) -> Vec<(String, MediaKind)> {
    page.posts[0]
        .media
        .iter()
        .map(|m| (m.url.clone(), m.kind))
        .collect()
}

#[test]
fn all_kinds_of_media_in_order() {
    let html = r#"<!doctype html><html><head>
        <title> Harbour   gallery </title>
        <base href="https://static.example.com/assets/">
        <meta property="og:title" content="OG title">
        <meta property="og:description" content="Pictures of boats">
        <meta property="og:image" content="http://cdn.example.com/og.jpg">
        <meta property="og:image:secure_url" content="https://cdn.example.com/og.jpg">
        <meta property="og:video" content="https://www.youtube.com/embed/xyz">
        <meta property="og:video" content="https://cdn.example.com/clip.mp4">
        </head><body>
        <img src="small.jpg" srcset="a-320.jpg 320w, a-1280.jpg 1280w, a-640.jpg 640w">
        <img src="data:image/gif;base64,R0lGOD" data-src="/lazy/b.jpg">
        <img data-srcset="c.jpg 1x, c@2x.jpg 2x">
        <img src="https://track.example.net/p.gif" width="1" height="1">
        <img src="icons/logo.svg">
        <a href="full/d.png"><img src="thumbs/d.png"></a>
        <a href="/page.html"><img src="e.webp"></a>
        <video src="v1.webm" poster="poster.jpg"><source src="v1.mp4"></video>
        <audio><source src="s.ogg" type="audio/ogg"></audio>
        <a href="docs/manual.pdf">manual</a>
        <img src="a-1280.jpg">
        <script>var img = "<img src='x.jpg'>";</script>
        </body></html>"#;
    let page = parse_at(html, "https://www.example.com/gallery/boats");
    let base = "https://static.example.com/assets/";
    let expected: Vec<(String, MediaKind)> = vec![
        (format!("{base}a-1280.jpg"), MediaKind::Image),
        (
            "https://static.example.com/lazy/b.jpg".into(),
            MediaKind::Image,
        ),
        (format!("{base}c@2x.jpg"), MediaKind::Image),
        (format!("{base}full/d.png"), MediaKind::Image),
        (format!("{base}e.webp"), MediaKind::Image),
        (format!("{base}v1.webm"), MediaKind::Video),
        (format!("{base}v1.mp4"), MediaKind::Video),
        (format!("{base}s.ogg"), MediaKind::Audio),
        (format!("{base}docs/manual.pdf"), MediaKind::Other),
        ("https://cdn.example.com/og.jpg".into(), MediaKind::Image),
        ("https://cdn.example.com/clip.mp4".into(), MediaKind::Video),
    ];
    assert_eq!(urls(&page), expected);
    let post = &page.posts[0];
    assert_eq!(post.platform, "web");
    assert_eq!(post.id, "https://www.example.com/gallery/boats");
    assert_eq!(post.title.as_deref(), Some("Harbour gallery"));
    assert_eq!(post.caption.as_deref(), Some("Pictures of boats"));
    assert_eq!(page.next, None);
    let indexes: Vec<u32> = post.media.iter().map(|m| m.index).collect();
    assert_eq!(indexes, (1..=11).collect::<Vec<_>>());
    assert_eq!(post.media[0].name_hint.as_deref(), Some("a-1280.jpg"));
}

#[test]
fn og_title_and_description_fallbacks() {
    let html = r#"<html><head><meta property="og:title" content="Only OG">
        <meta name="description" content="Plain description"></head><body></body></html>"#;
    let page = parse_at(html, "https://e.com/x");
    assert_eq!(page.posts[0].title.as_deref(), Some("Only OG"));
    assert_eq!(page.posts[0].caption.as_deref(), Some("Plain description"));
    assert!(page.posts[0].media.is_empty());
}

#[test]
fn xenforo_pages_are_delegated() {
    let html = include_str!("../tests/fixtures/xenforo/thread-page-3.html");
    let page = parse_at(
        html,
        "https://forum.example/threads/harbour-photos-from-the-2024-regatta.4521/page-3",
    );
    assert_eq!(page.posts[0].platform, "xenforo");
    assert_eq!(page.posts[0].id, "10007");
    assert!(page.this.is_some());
}

#[test]
fn content_types() {
    assert_eq!(media_kind_of_type("image/jpeg"), Some(MediaKind::Image));
    assert_eq!(
        media_kind_of_type("Video/MP4; codecs=x"),
        Some(MediaKind::Video)
    );
    assert_eq!(media_kind_of_type("image/svg+xml"), None);
    assert_eq!(media_kind_of_type("text/html; charset=utf-8"), None);
}
