//! Sources in the real desktop window under Xvfb, over WebDriver: follow a
//! XenForo 2 thread served on 127.0.0.1 from the Sources page (the dialog
//! recognises and previews it), its media lands on disk, a post added later
//! comes in with "Check now", and the History page finds a file by a word of
//! its post's caption. Run by `cargo xtask test`.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use fantoccini::{Client, Locator};
use haul_e2e::files_under;
use haul_e2e::forum::{XfPost, bb_image, thread_page};
use haul_e2e::site_server::{Reply, SiteServer};
use haul_e2e::window::{attr, click, count, launch, screenshot, text, wait_for, write_settings};

const WAIT: Duration = Duration::from_secs(60);
const THREAD: &str = "/threads/harbour-walks.77/";
const T0: i64 = 1_714_564_800; // 2024-05-01 12:00 UTC

/// A JPEG with a gradient (so screenshots and thumbnails show something).
fn jpeg(seed: u8) -> Vec<u8> {
    let image = image::RgbImage::from_fn(320, 240, |x, y| {
        image::Rgb([
            (x / 2) as u8 ^ seed.wrapping_mul(41),
            (y as u8).wrapping_add(seed.wrapping_mul(67)),
            seed.wrapping_mul(13),
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

fn post(id: u64, author: &str, time: i64, caption: &str, image: &str) -> XfPost {
    XfPost {
        id,
        author: author.into(),
        time,
        body: format!("{caption}<br />{}", bb_image(image, "photo")),
        attachments: Vec::new(),
    }
}

fn publish(site: &SiteServer, posts: &[XfPost]) {
    site.set(
        THREAD,
        Reply::html(thread_page("Harbour walks", THREAD, 1, 1, posts)),
    );
}

/// The row's "done" count, once the source is idle again.
async fn done_when_idle(client: &Client) -> Option<u64> {
    let state = attr(client, "[data-testid=source-row]", "data-state").await?;
    if state == "checking" {
        return None;
    }
    let done = text(client, "[data-testid=source-counts] .done").await?;
    done.trim().replace([',', '.', '\u{a0}'], "").parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb and tauri-driver: run by `cargo xtask test`"]
async fn a_thread_followed_in_the_window_lands_on_disk_and_in_history() {
    let site = SiteServer::start().await.unwrap();
    for (path, seed) in [
        ("/media/pier.jpg", 1),
        ("/media/gulls.jpg", 2),
        ("/media/lighthouse.jpg", 3),
    ] {
        site.set(path, Reply::bytes("image/jpeg", jpeg(seed)));
    }
    let mut posts = vec![
        post(501, "alice", T0, "Morning at the pier", "/media/pier.jpg"),
        post(
            502,
            "bob",
            T0 + 3600,
            "Gulls fighting over chips",
            "/media/gulls.jpg",
        ),
    ];
    publish(&site, &posts);

    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    write_settings(
        data.path(),
        serde_json::json!({
            "downloadDir": downloads.path(),
            "theme": "light",
            "updates": { "checkOnStart": false },
        }),
    );
    let client = launch(data.path()).await;

    // Add: the dialog recognises the thread and previews its first items.
    click(&client, "[data-testid=nav-sources]").await;
    click(&client, "[data-testid=add-source]").await;
    let url = client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css("[data-testid=source-url]"))
        .await
        .unwrap();
    url.send_keys(&site.url(THREAD)).await.unwrap();
    wait_for(&client, "the preview's two items", WAIT, async |c| {
        (count(c, "[data-testid=source-preview-item]").await == 2).then_some(())
    })
    .await;
    let recognised = text(&client, "[data-testid=source-recognised]")
        .await
        .unwrap_or_default();
    assert!(
        recognised.to_lowercase().contains("xenforo") || recognised.contains("forum"),
        "{recognised}"
    );
    screenshot(&client, "sources-add.png").await;
    click(&client, "[data-testid=source-follow]").await;

    // The first check runs on its own: both images on disk.
    wait_for(&client, "the first check's two items", WAIT, async |c| {
        (done_when_idle(c).await? == 2 && files_under(downloads.path()).len() == 2).then_some(())
    })
    .await;
    screenshot(&client, "sources-first-check.png").await;

    // A new post, then "Check now": only its image comes in.
    posts.push(post(
        503,
        "carol",
        T0 + 7200,
        "The lighthouse in fog",
        "/media/lighthouse.jpg",
    ));
    publish(&site, &posts);
    site.clear_hits();
    click(&client, "[data-testid=source-check]").await;
    wait_for(&client, "the new post's item", WAIT, async |c| {
        (done_when_idle(c).await? == 3 && files_under(downloads.path()).len() == 3).then_some(())
    })
    .await;
    let fetched: Vec<String> = site
        .hits()
        .into_iter()
        .map(|h| h.path)
        .filter(|p| p.starts_with("/media/"))
        .collect();
    assert_eq!(fetched, ["/media/lighthouse.jpg"], "only the new media");
    let new = text(&client, "[data-testid=source-new]").await.unwrap();
    assert_eq!(new.trim(), "+1");
    screenshot(&client, "sources-check-now.png").await;

    // History finds the gulls by a word of their caption.
    click(&client, "[data-testid=nav-history]").await;
    wait_for(&client, "three history rows", WAIT, async |c| {
        (count(c, "[data-testid=history-row]").await == 3).then_some(())
    })
    .await;
    let search = client
        .find(Locator::Css("[data-testid=history-search]"))
        .await
        .unwrap();
    search.send_keys("chips").await.unwrap();
    wait_for(&client, "one row for chips", WAIT, async |c| {
        (count(c, "[data-testid=history-row]").await == 1).then_some(())
    })
    .await;
    let name = text(
        &client,
        "[data-testid=history-row] [data-testid=history-name]",
    )
    .await
    .unwrap();
    let gulls = files_under(downloads.path())
        .into_iter()
        .find(|p| std::fs::read(p).unwrap() == jpeg(2))
        .expect("the gulls' file");
    assert_eq!(
        name.trim(),
        gulls.file_name().unwrap().to_string_lossy(),
        "the row names the gulls' file"
    );
    screenshot(&client, "history-search.png").await;
    client.close().await.unwrap();
}
