//! The XenForo and web extractors against the fixture server: a three-page
//! thread read oldest first, with cookies and the errors the core acts on.

mod support;

use haul_sources::{Cookies, Extractor, MediaKind, Order, SourceErrorKind, Web, Xenforo};
use support::{THREAD, ctx, serve, url};

#[tokio::test]
async fn xenforo_thread_pages_oldest_first() {
    let (base, seen) = serve().await;
    let source = url(&format!("{base}{THREAD}"));
    let mut ctx = ctx();
    let jar = "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\txf_user\t1204%2Csecret-token\n";
    ctx.cookies = Some(Cookies::parse_netscape(jar).unwrap_or_else(|e| panic!("{e}")));
    let xf = Xenforo;
    assert_eq!(xf.order(), Order::OldestFirst);

    let mut cursor: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let page = xf
            .page(&ctx, &source, cursor.as_deref())
            .await
            .unwrap_or_else(|e| panic!("page {}: {e}", pages.len() + 1));
        cursor = page.next.clone();
        pages.push(page);
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(pages.len(), 3);
    let this: Vec<String> = pages.iter().filter_map(|p| p.this.clone()).collect();
    assert_eq!(
        this,
        [
            format!("{base}{THREAD}"),
            format!("{base}{THREAD}page-2"),
            format!("{base}{THREAD}page-3")
        ]
    );
    let post_ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.posts)
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(
        post_ids,
        [
            "10001", "10002", "10003", "10004", "10005", "10006", "10007", "10008"
        ]
    );
    assert!(
        pages
            .iter()
            .all(|p| p.title.as_deref() == Some("Harbour photos from the 2024 regatta"))
    );

    let all: Vec<(&str, &str, &str, MediaKind, Option<&str>)> = pages
        .iter()
        .flat_map(|p| &p.posts)
        .flat_map(|post| post.media.iter().map(move |m| (post.id.as_str(), m)))
        .map(|(post, m)| {
            (
                post,
                m.id.as_str(),
                m.url.as_str(),
                m.kind,
                m.name_hint.as_deref(),
            )
        })
        .collect();
    let a = |path: &str| format!("{base}{path}");
    let expected: Vec<(&str, String, String, MediaKind, Option<&str>)> = vec![
        (
            "10001",
            "attachment:501".into(),
            a("/attachments/harbour-sunrise-jpg.501/"),
            MediaKind::Image,
            Some("harbour sunrise.jpg"),
        ),
        (
            "10001",
            "https://images.example.org/regatta/boats.jpg".into(),
            "https://images.example.org/regatta/boats.jpg".into(),
            MediaKind::Image,
            Some("boats.jpg"),
        ),
        (
            "10001",
            "attachment:502".into(),
            a("/attachments/crew-photo-jpg.502/"),
            MediaKind::Image,
            Some("crew photo.jpg"),
        ),
        (
            "10001",
            "attachment:503".into(),
            a("/attachments/race-results-zip.503/"),
            MediaKind::Other,
            Some("race-results.zip"),
        ),
        (
            "10002",
            a("/media/full/lighthouse-full.jpg"),
            a("/media/full/lighthouse-full.jpg"),
            MediaKind::Image,
            Some("lighthouse-full.jpg"),
        ),
        (
            "10002",
            "attachment:504".into(),
            a("/attachments/knot-detail-jpg.504/"),
            MediaKind::Image,
            Some("knot detail.jpg"),
        ),
        (
            "10003",
            a("/data/video/0/505-9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.mp4"),
            a("/data/video/0/505-9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.mp4"),
            MediaKind::Video,
            Some("505-9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.mp4"),
        ),
        (
            "10003",
            "https://audio.example.org/harbour/foghorn.mp3".into(),
            "https://audio.example.org/harbour/foghorn.mp3".into(),
            MediaKind::Audio,
            Some("foghorn.mp3"),
        ),
        (
            "10004",
            "attachment:501".into(),
            a("/attachments/harbour-sunrise-jpg.501/"),
            MediaKind::Image,
            Some("harbour sunrise.jpg"),
        ),
        (
            "10004",
            "https://images.example.org/regatta/boats.jpg".into(),
            "https://images.example.org/regatta/boats.jpg".into(),
            MediaKind::Image,
            Some("boats.jpg"),
        ),
        (
            "10004",
            "attachment:506".into(),
            a("/attachments/etc-passwd.506/"),
            MediaKind::Image,
            Some("../../etc/passwd"),
        ),
        (
            "10004",
            "attachment:507".into(),
            a("/attachments/a-b-c-jpg.507/"),
            MediaKind::Image,
            Some("a/b\\c.jpg"),
        ),
        (
            "10004",
            "attachment:509".into(),
            a("/attachments/red-0m-png.509/"),
            MediaKind::Image,
            Some("\u{1b}[31mred\u{1b}[0m.png"),
        ),
        (
            "10005",
            a("/media/gallery/mast-top.jpg"),
            a("/media/gallery/mast-top.jpg"),
            MediaKind::Image,
            Some("mast-top.jpg"),
        ),
        (
            "10007",
            a("/media/full/lighthouse-full.jpg"),
            a("/media/full/lighthouse-full.jpg"),
            MediaKind::Image,
            Some("lighthouse-full.jpg"),
        ),
        (
            "10007",
            a("/media/full/finish-panorama.jpg"),
            a("/media/full/finish-panorama.jpg"),
            MediaKind::Image,
            Some("finish-panorama.jpg"),
        ),
        (
            "10007",
            "attachment:508".into(),
            a("/attachments/tacking-drill-mp4.508/"),
            MediaKind::Video,
            Some("tacking drill.mp4"),
        ),
    ];
    let expected: Vec<(&str, &str, &str, MediaKind, Option<&str>)> = expected
        .iter()
        .map(|(p, id, u, k, n)| (*p, id.as_str(), u.as_str(), *k, *n))
        .collect();
    assert_eq!(all, expected);
    assert!(
        all.iter()
            .all(|(_, _, u, _, _)| !u.contains("/data/attachments/"))
    );

    let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
    assert_eq!(seen.len(), 3);
    for (_, agent, cookie) in &seen {
        assert!(agent.starts_with("Haul/"), "{agent}");
        assert!(agent.contains("(download manager; +https://github.com/haul-app/haul)"));
        assert_eq!(cookie.as_deref(), Some("xf_user=1204%2Csecret-token"));
    }
}

#[tokio::test]
async fn web_delegates_threads_and_reports_files() {
    let (base, _) = serve().await;
    let page = Web
        .page(&ctx(), &url(&format!("{base}{THREAD}page-3")), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page.posts[0].platform, "xenforo");
    assert_eq!(page.next, None);
    let photo = Web
        .page(&ctx(), &url(&format!("{base}/photo")), None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(photo.posts[0].media[0].kind, MediaKind::Image);
    assert_eq!(photo.posts[0].media[0].url, format!("{base}/photo"));
}

#[tokio::test]
async fn errors_the_core_acts_on() {
    let (base, _) = serve().await;
    let kind = |path: &str| {
        let target = url(&format!("{base}{path}"));
        async move {
            Xenforo
                .page(&ctx(), &target, None)
                .await
                .err()
                .map(|e| e.kind())
        }
    };
    assert_eq!(
        kind("/threads/members-only.77/").await,
        Some(SourceErrorKind::LoginRequired)
    );
    assert_eq!(kind("/threads/gone.78/").await, Some(SourceErrorKind::Gone));
    assert_eq!(kind("/big.html").await, Some(SourceErrorKind::Malformed));
    let elsewhere = Xenforo
        .page(
            &ctx(),
            &url(&format!("{base}{THREAD}")),
            Some("https://elsewhere.example/threads/x.1/page-2"),
        )
        .await;
    assert_eq!(
        elsewhere.err().map(|e| e.kind()),
        Some(SourceErrorKind::Malformed)
    );
    // Nothing listens on port 9 of 127.0.0.1 in a test sandbox.
    let refused = Web.page(&ctx(), &url("http://127.0.0.1:9/"), None).await;
    assert_eq!(
        refused.err().map(|e| e.kind()),
        Some(SourceErrorKind::Network)
    );
}
