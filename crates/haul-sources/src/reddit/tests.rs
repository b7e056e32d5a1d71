use super::*;
use crate::model::{Media, MediaKind, Post, Tool};

const PAGE_1: &str = include_str!("../../tests/fixtures/reddit/user-submitted-page-1.json");
const PAGE_2: &str = include_str!("../../tests/fixtures/reddit/user-submitted-page-2.json");

fn base() -> Url {
    default_base()
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn media(id: &str, url: &str, kind: MediaKind, ext: &str, name: Option<&str>, index: u32) -> Media {
    Media {
        id: id.into(),
        url: url.into(),
        kind,
        name_hint: name.map(Into::into),
        ext: Some(ext.into()),
        index,
        headers: Vec::new(),
        via_tool: None,
    }
}

fn page(body: &str) -> Page {
    parse_listing(body, &base()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn default_base_is_reddit() {
    assert_eq!(default_base().as_str(), "https://www.reddit.com/");
}

#[test]
fn targets_from_urls() {
    let t = |s| RedditTarget::from_url(&url(s));
    assert_eq!(
        t("https://www.reddit.com/user/harbour_lens"),
        Some(RedditTarget::User("harbour_lens".into()))
    );
    assert_eq!(
        t("https://reddit.com/u/harbour_lens/"),
        Some(RedditTarget::User("harbour_lens".into()))
    );
    assert_eq!(
        t("https://old.reddit.com/user/harbour_lens/submitted/"),
        Some(RedditTarget::User("harbour_lens".into()))
    );
    assert_eq!(
        t("https://www.reddit.com/r/sailing/"),
        Some(RedditTarget::Subreddit("sailing".into()))
    );
    assert_eq!(
        t("https://www.reddit.com/r/sailing/comments/1d5k2m1/x/"),
        None
    );
    assert_eq!(t("https://www.reddit.com/r/sa%2Fling/"), None);
    assert_eq!(t("https://www.reddit.com/"), None);
}

#[test]
fn listing_urls_carry_limit_and_cursor() {
    let reddit = Reddit::with_base(url("http://127.0.0.1:8080/mock"));
    let user = url("https://www.reddit.com/u/harbour_lens");
    assert_eq!(
        reddit
            .listing_url(&user, None, None)
            .map(String::from)
            .ok()
            .as_deref(),
        Some("http://127.0.0.1:8080/mock/user/harbour_lens/submitted.json?raw_json=1&limit=100")
    );
    let sub = url("https://www.reddit.com/r/sailing");
    assert_eq!(
        reddit
            .listing_url(&sub, Some("t3_1d5h3c9"), Some(25))
            .map(String::from)
            .ok()
            .as_deref(),
        Some("http://127.0.0.1:8080/mock/r/sailing/new.json?raw_json=1&limit=25&after=t3_1d5h3c9")
    );
    assert_eq!(
        reddit
            .listing_url(&sub, None, Some(500))
            .map(String::from)
            .ok()
            .as_deref(),
        Some("http://127.0.0.1:8080/mock/r/sailing/new.json?raw_json=1&limit=100")
    );
    assert!(
        reddit
            .listing_url(&sub, Some("t3_x&limit=5"), None)
            .is_err()
    );
}

#[test]
fn image_gallery_and_self_posts() {
    let page = page(PAGE_1);
    assert_eq!(page.next.as_deref(), Some("t3_1d5h3c9"));
    assert_eq!(page.posts.len(), 3);
    assert_eq!(
        page.posts[0],
        Post {
            platform: "reddit".into(),
            id: "1d5k2m1".into(),
            account: Some("harbour_lens".into()),
            posted_at: Some(1_717_300_000),
            title: Some("Sunrise over the breakwater before the start".into()),
            caption: None,
            url: Some(
                "https://www.reddit.com/r/sailing/comments/1d5k2m1/sunrise_over_the_breakwater_before_the_start/"
                    .into()
            ),
            media: vec![media(
                "k3n9x2f7a14d1",
                "https://i.redd.it/k3n9x2f7a14d1.jpeg",
                MediaKind::Image,
                "jpeg",
                Some("k3n9x2f7a14d1.jpeg"),
                1
            )],
        }
    );
    // Gallery order comes from gallery_data, not media_metadata; the
    // unprocessed fourth item is left out; the animated one is its GIF.
    let gallery = &page.posts[1];
    assert_eq!(
        gallery.media,
        vec![
            media(
                "q8w2e4r6t1y3",
                "https://preview.redd.it/q8w2e4r6t1y3.jpg?width=4000&format=pjpg&auto=webp&s=7a8b9c",
                MediaKind::Image,
                "jpg",
                Some("q8w2e4r6t1y3.jpg"),
                1
            ),
            media(
                "a1s2d3f4g5h6",
                "https://preview.redd.it/a1s2d3f4g5h6.jpg?width=4000&format=pjpg&auto=webp&s=7a8b9c",
                MediaKind::Image,
                "png",
                Some("a1s2d3f4g5h6.png"),
                2
            ),
            media(
                "z9x8c7v6b5n4",
                "https://i.redd.it/z9x8c7v6b5n4.gif",
                MediaKind::Image,
                "gif",
                Some("z9x8c7v6b5n4.gif"),
                3
            ),
        ]
    );
    let selfpost = &page.posts[2];
    assert!(selfpost.media.is_empty());
    assert_eq!(
        selfpost.caption.as_deref(),
        Some("Bowline, reef knot, clove hitch.\n\nWhat would you add for complete beginners?")
    );
}

#[test]
fn link_video_and_crosspost() {
    let page = page(PAGE_2);
    assert_eq!(page.next, None);
    let link = &page.posts[0];
    assert!(link.media.is_empty());
    assert_eq!(
        link.caption.as_deref(),
        Some("https://www.example.org/articles/regatta-results")
    );
    let video = &page.posts[1];
    assert_eq!(
        video.media,
        vec![Media {
            id: "qz8m1k2j9x3d1".into(),
            url: "https://www.reddit.com/r/sailing/comments/1d4w2v8/tacking_drill_from_the_bow/"
                .into(),
            kind: MediaKind::Video,
            name_hint: None,
            ext: Some("mp4".into()),
            index: 1,
            headers: Vec::new(),
            via_tool: Some(Tool::YtDlp),
        }]
    );
    let cross = &page.posts[2];
    assert_eq!(cross.id, "1d4v5u6");
    assert_eq!(
        cross.media,
        vec![media(
            "https://i.imgur.com/Xy7Qp2L.jpg",
            "https://i.imgur.com/Xy7Qp2L.jpg",
            MediaKind::Image,
            "jpg",
            Some("Xy7Qp2L.jpg"),
            1
        )]
    );
}

#[test]
fn not_a_listing_is_a_layout_error() {
    for body in [
        "<html>whoa there</html>",
        "{\"kind\": \"Listing\", \"data\": {}}",
        "[]",
    ] {
        let err = parse_listing(body, &base()).err().map(|e| e.kind());
        assert_eq!(err, Some(crate::error::SourceErrorKind::Layout), "{body}");
    }
}

#[test]
fn error_reasons() {
    use crate::error::SourceErrorKind as K;
    let kind = |status: u16, body: &str| {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
        error_reply(status, body, "r/x").map(|e| e.kind())
    };
    assert_eq!(
        kind(
            403,
            include_str!("../../tests/fixtures/reddit/error-private.json")
        ),
        Some(K::Gone)
    );
    assert_eq!(
        kind(
            404,
            include_str!("../../tests/fixtures/reddit/error-banned.json")
        ),
        Some(K::Gone)
    );
    assert_eq!(
        kind(403, r#"{"reason": "quarantined"}"#),
        Some(K::LoginRequired)
    );
    assert_eq!(
        kind(403, r#"{"reason": "something_new"}"#),
        Some(K::Blocked)
    );
    assert_eq!(kind(404, r#"{"message": "Not Found", "error": 404}"#), None);
    assert_eq!(kind(403, "<html>blocked</html>"), None);
}

#[test]
fn gifv_becomes_mp4_and_removed_posts_have_no_media() {
    let body = r#"{"kind":"Listing","data":{"after":null,"children":[
        {"kind":"t3","data":{"id":"a1","url":"https://i.imgur.com/AbC.gifv","permalink":"/r/s/comments/a1/x/"}},
        {"kind":"t3","data":{"id":"a2","url":"https://i.redd.it/zz.jpg","removed_by_category":"moderator","permalink":"/r/s/comments/a2/y/"}},
        {"kind":"t1","data":{"id":"c1"}},
        {"kind":"t3","data":{"id":"a3","author":"[deleted]","created_utc":"not a number"}}
    ]}}"#;
    let page = page(body);
    assert_eq!(
        page.posts.len(),
        2,
        "the comment and the unparsable post are skipped"
    );
    assert_eq!(page.posts[0].media[0].url, "https://i.imgur.com/AbC.mp4");
    assert_eq!(page.posts[0].media[0].kind, MediaKind::Video);
    assert!(page.posts[1].media.is_empty());
}
