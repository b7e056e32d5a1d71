//! The yt-dlp parser on recorded and documented outputs: exact records, nested
//! playlists, exit codes, stderr errors, malformed output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod tool_fixtures;

use haul_sources::tools::{parse_gallery_dl, parse_ytdlp, ytdlp};
use haul_sources::{MediaKind, Page, Post, SourceErrorKind, Tool};
use tool_fixtures::{UA, headers, media, out};

fn ytdlp_page(json: &[u8], url: &str) -> Page {
    parse_ytdlp(json, url).unwrap()
}

#[test]
fn ytdlp_tiktok_direct_format_without_cookie_header() {
    let url = "https://www.tiktok.com/@catlover/video/7301234567890123456";
    let page = ytdlp_page(include_bytes!("fixtures/tools/yt-dlp/tiktok.json"), url);
    let mut m = media(
        "tiktok:7301234567890123456",
        "https://v16-webapp-prime.tiktok.com/video/tos/useast2a/tos-useast2a-ve-0068c001/o8AbCdEf/?a=1988&mime_type=video_mp4",
        MediaKind::Video,
        None,
        "mp4",
        1,
    );
    m.headers = headers(&[
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        ),
        ("Accept-Language", "en-us,en;q=0.5"),
        ("Referer", url),
        ("Sec-Fetch-Mode", "navigate"),
        ("User-Agent", UA),
    ]);
    assert_eq!(page.title, None);
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "tiktok".into(),
            id: "7301234567890123456".into(),
            account: Some("catlover".into()),
            posted_at: Some(1_714_564_800),
            title: Some("cat does a flip #cats #fyp".into()),
            caption: Some("cat does a flip #cats #fyp".into()),
            url: Some(url.into()),
            media: vec![m],
        }]
    );
    let text = serde_json::to_string(&page).unwrap();
    assert!(
        !text.contains("SECRETCHAIN"),
        "a tool's Cookie header reached the record"
    );
}

#[test]
fn ytdlp_instagram_carousel_is_one_post() {
    let url = "https://www.instagram.com/p/C6abcDEFghi/";
    let page = ytdlp_page(include_bytes!("fixtures/tools/yt-dlp/instagram.json"), url);
    let clip = |id: &str, file: &str, index| {
        let mut m = media(id, file, MediaKind::Video, None, "mp4", index);
        m.headers = headers(&[
            ("Referer", "https://www.instagram.com/"),
            ("User-Agent", UA),
        ]);
        m
    };
    assert_eq!(page.title.as_deref(), Some("Post by travelbird"));
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "instagram".into(),
            id: "C6abcDEFghi".into(),
            account: Some("travelbird".into()),
            posted_at: Some(1_714_600_000),
            title: Some("Post by travelbird".into()),
            caption: Some("Two clips from the coast \u{1F30A}".into()),
            url: Some(url.into()),
            media: vec![
                clip(
                    "instagram:C6abcD1xYz0",
                    "https://scontent.cdninstagram.com/o1/v/t16/f2/m86/AQN1.mp4?efg=x",
                    1
                ),
                clip(
                    "instagram:C6abcD2xYz0",
                    "https://scontent.cdninstagram.com/o1/v/t16/f2/m86/AQN2.mp4?efg=y",
                    2
                ),
            ],
        }]
    );
}

#[test]
fn ytdlp_x_hls_goes_through_the_tool() {
    let url = "https://x.com/birdwatcher/status/1785000000000000001";
    let page = ytdlp_page(include_bytes!("fixtures/tools/yt-dlp/x.json"), url);
    let mut m = media(
        "x:1785000000000000111",
        url,
        MediaKind::Video,
        None,
        "mp4",
        1,
    );
    m.via_tool = Some(Tool::YtDlp);
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "x".into(),
            id: "1785000000000000001".into(),
            account: Some("birdwatcher".into()),
            posted_at: Some(1_714_300_000),
            title: Some("Bird Watcher - Look at this heron".into()),
            caption: Some("Look at this heron https://t.co/AbCdEf".into()),
            url: Some(url.into()),
            media: vec![m],
        }]
    );
}

#[test]
fn ytdlp_reddit_separate_streams_go_through_the_tool() {
    let url = "https://www.reddit.com/r/aww/comments/90bu6w/heat_index_was_110_degrees/";
    let page = ytdlp_page(include_bytes!("fixtures/tools/yt-dlp/reddit.json"), url);
    let mut m = media(
        "reddit:gyh95hiqc0b11",
        url,
        MediaKind::Video,
        None,
        "mp4",
        1,
    );
    m.via_tool = Some(Tool::YtDlp);
    assert_eq!(
        page.posts,
        vec![Post {
            platform: "reddit".into(),
            id: "90bu6w".into(),
            account: Some("FootLoosePickleJuice".into()),
            posted_at: Some(1_532_051_078),
            title: Some(
                "Heat index was 110 degrees so we offered him a cold drink. He went fo...".into()
            ),
            caption: None,
            url: Some(url.into()),
            media: vec![m],
        }]
    );
}

#[test]
fn both_tools_name_the_same_reddit_and_tiktok_video_alike() {
    let g = parse_gallery_dl(include_bytes!("fixtures/tools/gallery-dl/reddit.json")).unwrap();
    let y = ytdlp_page(
        include_bytes!("fixtures/tools/yt-dlp/reddit.json"),
        "https://www.reddit.com/",
    );
    assert_eq!(
        (&g.posts[1].id, &g.posts[1].media[0].id),
        (&y.posts[0].id, &y.posts[0].media[0].id)
    );
    let g = parse_gallery_dl(include_bytes!("fixtures/tools/gallery-dl/tiktok.json")).unwrap();
    let y = ytdlp_page(
        include_bytes!("fixtures/tools/yt-dlp/tiktok.json"),
        "https://www.tiktok.com/",
    );
    assert_eq!(
        (&g.posts[0].id, &g.posts[0].media[0].id),
        (&y.posts[0].id, &y.posts[0].media[0].id)
    );
}

#[test]
fn ytdlp_generic_html5_recorded_on_127_0_0_1() {
    let url = "http://127.0.0.1:18731/page.html";
    let page = ytdlp_page(
        include_bytes!("fixtures/tools/yt-dlp/local-html5.json"),
        url,
    );
    let clip = "http://127.0.0.1:18731/clip.mp4";
    let mut m = media(clip, clip, MediaKind::Video, None, "mp4", 1);
    // yt-dlp picks a random recent Chrome User-Agent per run.
    let recorded_ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36";
    m.headers = headers(&[
        (
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        ),
        ("Accept-Language", "en-us,en;q=0.5"),
        ("Referer", url),
        ("Sec-Fetch-Mode", "navigate"),
        ("User-Agent", recorded_ua),
    ]);
    assert_eq!(page.posts.len(), 1);
    let post = &page.posts[0];
    assert_eq!((post.platform.as_str(), post.id.as_str()), ("web", url));
    assert_eq!(post.title.as_deref(), Some("Clip page (1)"));
    assert_eq!(post.url.as_deref(), Some(url));
    assert!(
        post.posted_at.is_some(),
        "the server's Last-Modified becomes the timestamp"
    );
    assert_eq!(post.media, vec![m]);

    let direct = ytdlp_page(
        include_bytes!("fixtures/tools/yt-dlp/local-direct.json"),
        clip,
    );
    assert_eq!(direct.posts[0].media[0].url, clip);
    assert_eq!(direct.posts[0].media[0].via_tool, None);
}

#[test]
fn ytdlp_malformed_and_failed_runs() {
    let bad = parse_ytdlp(
        include_bytes!("fixtures/tools/yt-dlp/malformed-entries.json"),
        "https://a/",
    )
    .unwrap_err();
    assert_eq!(
        bad.to_string(),
        "yt-dlp JSON is malformed: `entries` of playlist abc is not a list"
    );
    let text = parse_ytdlp(
        include_bytes!("fixtures/tools/yt-dlp/malformed-text.txt"),
        "https://a/",
    )
    .unwrap_err();
    assert_eq!(text.kind(), SourceErrorKind::Malformed);
    assert!(text.to_string().contains("line 1 column 1"), "{text}");
    assert_eq!(
        parse_ytdlp(b"[1]", "https://a/").unwrap_err().kind(),
        SourceErrorKind::Malformed
    );

    let url = url::Url::parse("http://127.0.0.1:1/missing.html").unwrap();
    let failed =
        |code, stdout, stderr| ytdlp::interpret(&url, &out(code, stdout, stderr)).unwrap_err();
    let e = failed(
        1,
        "null\n",
        "ERROR: [generic] missing: Unable to download webpage: HTTP Error 404: File not found (caused by <HTTPError 404: File not found>)\n",
    );
    assert_eq!(e.kind(), SourceErrorKind::Gone);
    assert_eq!(
        failed(1, "", "ERROR: Unsupported URL: https://a/").kind(),
        SourceErrorKind::Unsupported
    );
    assert_eq!(
        failed(
            1,
            "",
            "ERROR: [twitter] 1: HTTP Error 429: Too Many Requests"
        )
        .kind(),
        SourceErrorKind::RateLimited
    );
    assert_eq!(
        failed(1, "", "ERROR: [instagram] C6: Requested content is not available, rate-limit reached or login required").kind(),
        SourceErrorKind::LoginRequired
    );
    assert_eq!(
        failed(1, "", "ERROR: [youtube] x: Private video").kind(),
        SourceErrorKind::Gone
    );
    assert_eq!(
        failed(1, "", "ERROR: HTTP Error 403: Forbidden").kind(),
        SourceErrorKind::Blocked
    );
    assert_eq!(failed(0, "null", "").kind(), SourceErrorKind::ToolFailed);
}

#[test]
fn ytdlp_exit_101_with_json_is_success() {
    let url = url::Url::parse("https://www.tiktok.com/@catlover").unwrap();
    let json = std::str::from_utf8(include_bytes!("fixtures/tools/yt-dlp/tiktok.json")).unwrap();
    let page = ytdlp::interpret(&url, &out(101, json, "")).unwrap();
    assert_eq!(page.posts.len(), 1);
    assert!(ytdlp::interpret(&url, &out(101, "", "ERROR: stopped")).is_err());
}

#[test]
fn ytdlp_nested_playlists_and_null_entries() {
    let json = serde_json::json!({
        "_type": "playlist", "id": "chan", "title": "A channel", "extractor_key": "YoutubeTab",
        "webpage_url": "https://www.youtube.com/@chan",
        "entries": [
            null,
            {"_type": "playlist", "id": "tab", "webpage_url": "https://www.youtube.com/@chan/videos", "entries": [
                {"id": "v1", "title": "One", "webpage_url": "https://www.youtube.com/watch?v=v1", "extractor_key": "Youtube",
                 "upload_date": "20240501", "ext": "webm", "protocol": "https+https",
                 "requested_formats": [{"format_id": "1"}, {"format_id": "2"}], "channel": "Chan"},
                {"id": "v2", "title": "Two", "webpage_url": "https://www.youtube.com/watch?v=v2", "extractor_key": "Youtube",
                 "timestamp": 1714564800.0, "ext": "m4a", "vcodec": "none", "acodec": "opus", "protocol": "https",
                 "url": "https://rr1.googlevideo.com/audio", "uploader": "Chan"}
            ]}
        ]
    });
    let page = ytdlp_page(
        &serde_json::to_vec(&json).unwrap(),
        "https://www.youtube.com/@chan",
    );
    assert_eq!(page.title.as_deref(), Some("A channel"));
    let ids: Vec<_> = page
        .posts
        .iter()
        .map(|p| (p.platform.as_str(), p.id.as_str(), p.media[0].id.as_str()))
        .collect();
    assert_eq!(
        ids,
        vec![
            ("youtube", "v1", "youtube:v1"),
            ("youtube", "v2", "youtube:v2")
        ]
    );
    assert_eq!(page.posts[0].posted_at, Some(1_714_521_600));
    assert_eq!(page.posts[0].account.as_deref(), Some("Chan"));
    assert_eq!(page.posts[0].media[0].via_tool, Some(Tool::YtDlp));
    assert_eq!(
        page.posts[0].media[0].url,
        "https://www.youtube.com/watch?v=v1"
    );
    assert_eq!(page.posts[1].media[0].kind, MediaKind::Audio);
    assert_eq!(page.posts[1].media[0].via_tool, None);
}
