//! The gallery-dl parser on recorded and documented outputs: exact records,
//! error entries, exit codes, malformed output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tool_fixtures;

use haul_sources::tools::{gallery_dl, parse_gallery_dl};
use haul_sources::{Media, MediaKind, Page, Post, SourceErrorKind, Tool};
use tool_fixtures::{media, out};

fn gallery(json: &[u8]) -> Page {
    parse_gallery_dl(json).unwrap()
}

#[test]
fn gallery_dl_instagram_carousel() {
    let page = gallery(include_bytes!("fixtures/tools/gallery-dl/instagram.json"));
    assert_eq!(page.next, None);
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "instagram".into(),
            id: "C6abcDEFghi".into(),
            account: Some("travelbird".into()),
            posted_at: Some(1_714_600_000),
            title: None,
            caption: Some("Two shots from the coast \u{1F30A} #sea".into()),
            url: Some("https://www.instagram.com/p/C6abcDEFghi/".into()),
            media: vec![
                media(
                    "instagram:3350000000000000001",
                    "https://scontent.cdninstagram.com/v/t51.29350-15/4411_n.jpg?stp=dst-jpg_e35&efg=1",
                    MediaKind::Image,
                    Some("4411_n.jpg"),
                    "jpg",
                    1
                ),
                media(
                    "instagram:3350000000000000002",
                    "https://scontent.cdninstagram.com/o1/v/t16/f2/m86/AQN2.mp4?efg=y",
                    MediaKind::Video,
                    Some("AQN2.mp4"),
                    "mp4",
                    2
                ),
            ],
        }]
    );
}

#[test]
fn gallery_dl_x_tweet_with_two_photos() {
    let page = gallery(include_bytes!("fixtures/tools/gallery-dl/x.json"));
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "x".into(),
            id: "1785000000000000001".into(),
            account: Some("birdwatcher".into()),
            posted_at: Some(1_714_261_272),
            title: None,
            caption: Some("Two herons at dawn".into()),
            url: Some("https://x.com/birdwatcher/status/1785000000000000001".into()),
            media: vec![
                media(
                    "x:1785000000000000001_1",
                    "https://pbs.twimg.com/media/GMabc111.jpg?name=orig",
                    MediaKind::Image,
                    Some("GMabc111.jpg"),
                    "jpg",
                    1
                ),
                media(
                    "x:1785000000000000001_2",
                    "https://pbs.twimg.com/media/GMabc222.jpg?name=orig",
                    MediaKind::Image,
                    Some("GMabc222.jpg"),
                    "jpg",
                    2
                ),
            ],
        }]
    );
}

#[test]
fn gallery_dl_tiktok_video() {
    let page = gallery(include_bytes!("fixtures/tools/gallery-dl/tiktok.json"));
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "tiktok".into(),
            id: "7301234567890123456".into(),
            account: Some("catlover".into()),
            posted_at: Some(1_714_564_800),
            title: None,
            caption: Some("cat does a flip #cats #fyp".into()),
            url: Some("https://www.tiktok.com/@catlover/video/7301234567890123456".into()),
            media: vec![media(
                "tiktok:7301234567890123456",
                "https://v16-webapp-prime.tiktok.com/video/tos/useast2a/tos-useast2a-ve-0068c001/o8AbCdEf/?a=1988&mime_type=video_mp4",
                MediaKind::Video,
                Some("o8AbCdEf.mp4"),
                "mp4",
                1
            )],
        }]
    );
}

#[test]
fn gallery_dl_reddit_image_dash_video_and_external_link() {
    let page = gallery(include_bytes!("fixtures/tools/gallery-dl/reddit.json"));
    let video_post = "https://www.reddit.com/r/aww/comments/90bu6w/heat_index_was_110_degrees/";
    let mut video = media(
        "reddit:gyh95hiqc0b11",
        video_post,
        MediaKind::Video,
        Some("gyh95hiqc0b11.mp4"),
        "mp4",
        1,
    );
    video.via_tool = Some(Tool::YtDlp);
    let post = |id: &str,
                account: &str,
                at: i64,
                title: &str,
                caption: Option<&str>,
                url: &str,
                media: Vec<Media>| Post {
        platform: "reddit".into(),
        id: id.into(),
        account: Some(account.into()),
        posted_at: Some(at),
        title: Some(title.into()),
        caption: caption.map(Into::into),
        url: Some(url.into()),
        media,
    };
    assert_eq!(
        page.posts,
        vec![
            post(
                "1cabc12",
                "FootLoosePickleJuice",
                1_714_560_000,
                "My cat found the sun",
                None,
                "https://www.reddit.com/r/aww/comments/1cabc12/my_cat_found_the_sun/",
                vec![media(
                    "reddit:qwe123rty456",
                    "https://i.redd.it/qwe123rty456.jpeg",
                    MediaKind::Image,
                    Some("qwe123rty456.jpeg"),
                    "jpeg",
                    1
                )],
            ),
            post(
                "90bu6w",
                "FootLoosePickleJuice",
                1_532_051_078,
                "Heat index was 110 degrees so we offered him a cold drink",
                None,
                video_post,
                vec![video],
            ),
            post(
                "1cxyz99",
                "linkposter",
                1_714_500_000,
                "Look at this",
                Some("see the link\nhttps://example.org/somewhere"),
                "https://www.reddit.com/r/aww/comments/1cxyz99/look_at_this/",
                vec![],
            ),
        ]
    );
}

#[test]
fn gallery_dl_directlink_recorded_on_127_0_0_1() {
    let page = gallery(include_bytes!(
        "fixtures/tools/gallery-dl/local-directlink.json"
    ));
    let url = "http://127.0.0.1:18731/pic.jpg";
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "direct".into(),
            id: url.into(),
            account: None,
            posted_at: None,
            title: None,
            caption: None,
            url: Some(url.into()),
            media: vec![media(url, url, MediaKind::Image, Some("pic.jpg"), "jpg", 1)],
        }]
    );
}

#[test]
fn gallery_dl_error_entries_map_to_kinds() {
    let gone = parse_gallery_dl(include_bytes!(
        "fixtures/tools/gallery-dl/error-notfound.json"
    ))
    .unwrap_err();
    assert_eq!(gone.kind(), SourceErrorKind::Gone);
    assert_eq!(gone.to_string(), "Gone: Requested post could not be found");
    let limited = parse_gallery_dl(include_bytes!(
        "fixtures/tools/gallery-dl/error-ratelimit.json"
    ))
    .unwrap_err();
    assert_eq!(limited.kind(), SourceErrorKind::RateLimited);
    assert_eq!(limited.to_string(), "Rate limited by www.instagram.com");

    for (class, message, kind) in [
        (
            "AuthRequired",
            "'username & password' needed",
            SourceErrorKind::LoginRequired,
        ),
        (
            "AuthorizationError",
            "Insufficient privileges",
            SourceErrorKind::LoginRequired,
        ),
        (
            "ChallengeError",
            "Cloudflare challenge (403 Forbidden) for 'https://a/'",
            SourceErrorKind::Blocked,
        ),
        (
            "HttpError",
            "'403 Forbidden' for 'https://a/'",
            SourceErrorKind::Blocked,
        ),
        (
            "HttpError",
            " NameResolutionError: Failed to resolve 'www.instagram.com'",
            SourceErrorKind::Network,
        ),
        (
            "ExtractionError",
            "something odd",
            SourceErrorKind::ToolFailed,
        ),
    ] {
        let json =
            serde_json::to_vec(&serde_json::json!([[-1, {"error": class, "message": message}]]))
                .unwrap();
        assert_eq!(
            parse_gallery_dl(&json).unwrap_err().kind(),
            kind,
            "{class}: {message}"
        );
    }
}

#[test]
fn gallery_dl_posts_win_over_partial_errors() {
    let json = br#"[[2, {"category": "directlink"}], [3, "https://a.example/x.png", {"category": "directlink", "extension": "png", "filename": "x"}], [-1, {"error": "HttpError", "message": "'404 Not Found' for 'https://a.example/y'"}]]"#;
    let page = parse_gallery_dl(json).unwrap();
    assert_eq!(page.posts.len(), 1);
    assert_eq!(page.posts[0].media[0].kind, MediaKind::Image);
}

#[test]
fn gallery_dl_malformed_output_says_what_and_where() {
    let truncated = parse_gallery_dl(include_bytes!(
        "fixtures/tools/gallery-dl/malformed-truncated.json"
    ))
    .unwrap_err();
    assert_eq!(truncated.kind(), SourceErrorKind::Malformed);
    assert!(
        truncated.to_string().contains("gallery-dl JSON"),
        "{truncated}"
    );
    assert!(
        truncated.to_string().contains("line 1 column"),
        "{truncated}"
    );
    let shape = parse_gallery_dl(include_bytes!(
        "fixtures/tools/gallery-dl/malformed-shape.json"
    ))
    .unwrap_err();
    assert_eq!(
        shape.to_string(),
        "gallery-dl JSON is malformed: message 0 (type 3) does not have the expected fields"
    );
    assert_eq!(
        parse_gallery_dl(b"{}").unwrap_err().kind(),
        SourceErrorKind::Malformed
    );
    assert_eq!(
        parse_gallery_dl(b"[7]").unwrap_err().to_string(),
        "gallery-dl JSON is malformed: message 0 is not an array"
    );
    // Unknown message types (obsolete headers/cookies messages) are skipped.
    assert_eq!(
        parse_gallery_dl(br#"[[4, {"Referer": "x"}]]"#)
            .unwrap()
            .posts,
        vec![]
    );
    assert_eq!(parse_gallery_dl(b"[]").unwrap().posts, vec![]);
}

#[test]
fn gallery_dl_exit_codes_without_json() {
    let url = url::Url::parse("https://example.com/thing").unwrap();
    let kind = |code, stderr| {
        gallery_dl::interpret(&url, &out(code, "", stderr))
            .unwrap_err()
            .kind()
    };
    assert_eq!(
        kind(64, "[gallery-dl][error] Unsupported URL"),
        SourceErrorKind::Unsupported
    );
    assert_eq!(
        kind(16, "[gallery-dl][error] AuthRequired"),
        SourceErrorKind::LoginRequired
    );
    assert_eq!(kind(8, "challenge"), SourceErrorKind::Blocked);
    assert_eq!(kind(4, "HttpError"), SourceErrorKind::ToolFailed);
    assert_eq!(kind(1, ""), SourceErrorKind::ToolFailed);
}
