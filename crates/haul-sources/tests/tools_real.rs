//! The adapters against the real yt-dlp and gallery-dl, on a 127.0.0.1 server.
//! Ignored by default; run with the tools installed:
//!
//! ```text
//! HAUL_YTDLP=/path/yt-dlp HAUL_GALLERY_DL=/path/gallery-dl \
//!     cargo test -p haul-sources --test tools_real -- --ignored
//! ```
//!
//! The video parts also need `ffmpeg` on PATH (to make a real MP4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, header};
use axum::routing::get;
use haul_sources::tools::{
    GALLERY_DL_VERSION, GalleryDl, YT_DLP_VERSION, YtDlp, find_ffmpeg, version,
};
use haul_sources::{Cookies, ExtractContext, Extractor, MediaKind};
use url::Url;

/// A JPEG's start and end markers: enough for gallery-dl, which only looks at the URL.
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";

fn tool(var: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map(PathBuf::from);
    if path.is_none() {
        eprintln!("{var} is not set: skipping");
    }
    path
}

/// A one-second 64x64 MP4 made by ffmpeg, when ffmpeg is on PATH.
fn make_clip(dir: &std::path::Path) -> Option<Vec<u8>> {
    let Some(ffmpeg) = find_ffmpeg() else {
        eprintln!("ffmpeg is not on PATH: skipping the video part");
        return None;
    };
    let out = dir.join("clip.mp4");
    let status = std::process::Command::new(ffmpeg)
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=duration=1:size=64x64:rate=10",
        ])
        .args(["-pix_fmt", "yuv420p"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    Some(std::fs::read(out).unwrap())
}

/// The `Cookie` headers the server saw.
type Seen = Arc<Mutex<Vec<String>>>;

/// Serves `/page.html` (a `<video src="/clip.mp4">`), `/clip.mp4` and `/pic.jpg`.
async fn serve(clip: Vec<u8>) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let app = Router::new()
        .route(
            "/page.html",
            get(move |headers: HeaderMap| async move {
                if let Some(c) = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()) {
                    record.lock().unwrap().push(c.to_string());
                }
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    "<html><head><title>Clip page</title></head><body><video src=\"/clip.mp4\"></video></body></html>",
                )
            }),
        )
        .route("/clip.mp4", get(move || async move { ([(header::CONTENT_TYPE, "video/mp4")], clip) }))
        .route("/pic.jpg", get(|| async { ([(header::CONTENT_TYPE, "image/jpeg")], JPEG) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), seen)
}

/// A host-only cookie for the local server, with an `#HttpOnly_` one beside it.
fn local_cookies() -> Cookies {
    Cookies::parse_netscape(
        "127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tlocal-secret\n#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tho\tonly-http\n",
    )
    .unwrap()
}

fn ctx(cookies: Option<Cookies>) -> ExtractContext {
    ExtractContext {
        client: reqwest::Client::new(),
        cookies,
        limit: None,
    }
}

#[tokio::test]
#[ignore = "needs the real yt-dlp (HAUL_YTDLP) and ffmpeg"]
async fn ytdlp_page_and_download_on_a_local_page() {
    let Some(path) = tool("HAUL_YTDLP") else {
        return;
    };
    assert_eq!(version(&path).await.unwrap(), YT_DLP_VERSION);
    let dir = tempfile::tempdir().unwrap();
    let Some(clip) = make_clip(dir.path()) else {
        return;
    };
    let size = clip.len() as u64;
    let (base, seen) = serve(clip).await;
    let yt = YtDlp {
        timeout: Duration::from_secs(120),
        cookie_dir: Some(dir.path().join("cookies")),
        ..YtDlp::new(path)
    };

    let page_url = Url::parse(&format!("{base}/page.html")).unwrap();
    let page = yt
        .page(&ctx(Some(local_cookies())), &page_url, None)
        .await
        .unwrap();
    assert_eq!(page.posts.len(), 1, "{page:?}");
    // yt-dlp read Haul's cookie file, and the private copy is gone.
    assert_eq!(
        seen.lock().unwrap().as_slice(),
        ["sid=local-secret; ho=only-http"]
    );
    assert_eq!(
        std::fs::read_dir(dir.path().join("cookies"))
            .unwrap()
            .count(),
        0
    );
    let post = &page.posts[0];
    assert_eq!(
        (post.platform.as_str(), post.id.as_str()),
        ("web", page_url.as_str())
    );
    assert_eq!(post.title.as_deref(), Some("Clip page (1)"));
    let media = &post.media[0];
    assert_eq!(media.url, format!("{base}/clip.mp4"));
    assert_eq!(
        (media.kind, media.ext.as_deref(), media.via_tool),
        (MediaKind::Video, Some("mp4"), None)
    );
    assert!(
        media
            .headers
            .iter()
            .any(|(k, v)| k == "Referer" && v == page_url.as_str())
    );
    assert!(
        !media
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("cookie"))
    );

    let out = dir.path().join("downloads");
    std::fs::create_dir_all(&out).unwrap();
    let mut progress = Vec::new();
    let file = yt
        .download(page_url.as_str(), &out, "local clip", None, |p| {
            progress.push(p)
        })
        .await
        .unwrap();
    assert_eq!(file, out.canonicalize().unwrap().join("local clip.mp4"));
    assert_eq!(std::fs::metadata(&file).unwrap().len(), size);
    let last = progress.last().expect("progress lines");
    assert_eq!((last.downloaded, last.total), (size, Some(size)));
}

#[tokio::test]
#[ignore = "needs the real gallery-dl (HAUL_GALLERY_DL)"]
async fn gallery_dl_directlink_on_a_local_image() {
    let Some(path) = tool("HAUL_GALLERY_DL") else {
        return;
    };
    assert_eq!(version(&path).await.unwrap(), GALLERY_DL_VERSION);
    let (base, _) = serve(Vec::new()).await;
    let cookie_dir = tempfile::tempdir().unwrap();
    let gd = GalleryDl {
        timeout: Duration::from_secs(120),
        cookie_dir: Some(cookie_dir.path().to_path_buf()),
        ..GalleryDl::new(path)
    };
    let url = Url::parse(&format!("{base}/pic.jpg")).unwrap();
    // gallery-dl accepts Haul's cookie file (its directlink makes no request).
    let page = gd
        .page(&ctx(Some(local_cookies())), &url, None)
        .await
        .unwrap();
    assert_eq!(page.posts.len(), 1, "{page:?}");
    let post = &page.posts[0];
    assert_eq!(
        (post.platform.as_str(), post.id.as_str()),
        ("direct", url.as_str())
    );
    assert_eq!(post.media.len(), 1);
    let media = &post.media[0];
    assert_eq!(
        (media.id.as_str(), media.url.as_str()),
        (url.as_str(), url.as_str())
    );
    assert_eq!(
        (media.kind, media.ext.as_deref()),
        (MediaKind::Image, Some("jpg"))
    );
    assert_eq!(media.name_hint.as_deref(), Some("pic.jpg"));

    // A page gallery-dl has no extractor for: exit status 64.
    let page_url = Url::parse(&format!("{base}/page.html")).unwrap();
    let err = gd.page(&ctx(None), &page_url, None).await.unwrap_err();
    assert_eq!(
        err.kind(),
        haul_sources::SourceErrorKind::Unsupported,
        "{err}"
    );
}
