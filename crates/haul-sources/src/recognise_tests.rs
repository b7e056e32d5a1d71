use super::*;

fn r(url: &str) -> Recognised {
    recognise(url).unwrap_or_else(|e| panic!("{url}: {e}"))
}

#[test]
fn platforms_and_tools() {
    let cases = [
        (
            "https://www.instagram.com/natgeo/",
            ExtractorKind::GalleryDl,
            "instagram",
            Some("natgeo"),
        ),
        (
            "https://www.tiktok.com/@scout2015",
            ExtractorKind::YtDlp,
            "tiktok",
            Some("scout2015"),
        ),
        (
            "https://x.com/NASA",
            ExtractorKind::GalleryDl,
            "x",
            Some("NASA"),
        ),
        (
            "https://twitter.com/NASA/status/1",
            ExtractorKind::GalleryDl,
            "x",
            Some("NASA"),
        ),
        (
            "https://www.snapchat.com/add/djkhaled305",
            ExtractorKind::YtDlp,
            "snapchat",
            Some("djkhaled305"),
        ),
        (
            "https://www.youtube.com/@LinusTechTips",
            ExtractorKind::YtDlp,
            "youtube",
            Some("LinusTechTips"),
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            ExtractorKind::YtDlp,
            "youtube",
            None,
        ),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            ExtractorKind::YtDlp,
            "youtube",
            None,
        ),
        (
            "https://vimeo.com/staff",
            ExtractorKind::YtDlp,
            "vimeo",
            Some("staff"),
        ),
        (
            "https://old.reddit.com/r/sailing/",
            ExtractorKind::Reddit,
            "reddit",
            Some("r/sailing"),
        ),
        (
            "https://www.reddit.com/u/spez",
            ExtractorKind::Reddit,
            "reddit",
            Some("spez"),
        ),
        (
            "https://reddit.com/user/spez/submitted/",
            ExtractorKind::Reddit,
            "reddit",
            Some("spez"),
        ),
        (
            "https://i.redd.it/abc.jpg",
            ExtractorKind::Direct,
            "direct",
            None,
        ),
        (
            "https://forum.example/threads/some-title.123/",
            ExtractorKind::Xenforo,
            "xenforo",
            None,
        ),
        (
            "https://forum.example/index.php?threads/some-title.123/",
            ExtractorKind::Xenforo,
            "xenforo",
            None,
        ),
        (
            "https://blog.example/post/42",
            ExtractorKind::Web,
            "web",
            None,
        ),
        (
            "https://cdn.example/a/b/clip.MP4?x=1",
            ExtractorKind::Direct,
            "direct",
            None,
        ),
    ];
    for (url, kind, platform, account) in cases {
        let got = r(url);
        assert_eq!(got.extractor, kind, "{url}");
        assert_eq!(got.platform, platform, "{url}");
        assert_eq!(got.account.as_deref(), account, "{url}");
        assert!(!got.suggested_name.is_empty(), "{url}");
    }
}

#[test]
fn suggested_names() {
    assert_eq!(
        r("https://www.reddit.com/r/sailing").suggested_name,
        "r/sailing"
    );
    assert_eq!(
        r("https://www.reddit.com/user/spez").suggested_name,
        "u/spez"
    );
    assert_eq!(
        r("https://www.instagram.com/natgeo/").suggested_name,
        "natgeo on instagram"
    );
    assert_eq!(
        r("https://forum.example/threads/some-title.123/page-4").suggested_name,
        "some title"
    );
    assert_eq!(
        r("https://cdn.example/a/My%20Clip.mp4").suggested_name,
        "My Clip.mp4"
    );
}

#[test]
fn lookalike_hosts_are_not_platforms() {
    assert_eq!(r("https://box.com/x").extractor, ExtractorKind::Web);
    assert_eq!(r("https://notreddit.com/r/x").extractor, ExtractorKind::Web);
    assert_eq!(
        r("https://reddit.com.evil.example/r/x").extractor,
        ExtractorKind::Web
    );
}

#[test]
fn unsupported_urls() {
    for url in [
        "ftp://example.com/a.jpg",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "not a url",
        "https://www.reddit.com/",
    ] {
        let err = recognise(url).err().map(|e| e.kind());
        assert_eq!(
            err,
            Some(crate::error::SourceErrorKind::Unsupported),
            "{url}"
        );
    }
}

#[test]
fn kinds_round_trip() {
    for kind in ExtractorKind::ALL {
        assert_eq!(kind.as_str().parse::<ExtractorKind>().ok(), Some(kind));
        let json = serde_json::to_string(&kind).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
    }
    assert!("nope".parse::<ExtractorKind>().is_err());
    assert_eq!(
        tool_for_platform("Instagram"),
        Some(ExtractorKind::GalleryDl)
    );
    assert_eq!(tool_for_platform("tiktok"), Some(ExtractorKind::YtDlp));
    assert_eq!(tool_for_platform("myspace"), None);
    for kind in [
        ExtractorKind::Direct,
        ExtractorKind::Web,
        ExtractorKind::Xenforo,
        ExtractorKind::Reddit,
    ] {
        assert_eq!(http_extractor(kind).map(|e| e.name()), Some(kind.as_str()));
    }
    assert!(http_extractor(ExtractorKind::YtDlp).is_none());
}
