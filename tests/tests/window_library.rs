//! The library in the real desktop window under Xvfb, over WebDriver: the gallery
//! shows real thumbnails, a filter narrows it, the viewer bins a photo, the
//! Recycle bin page brings it back, and the Duplicates page resolves a
//! near-duplicate pair. Run by `cargo xtask test`, which also fetches the real
//! photos into HAUL_TEST_PHOTOS.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use haul_e2e::haul_bin;
use haul_e2e::window::{click, count, env, launch, screenshot, text, wait_for, write_settings};

const WAIT: Duration = Duration::from_secs(30);

/// How many tiles show a decoded thumbnail.
async fn loaded_thumbnails(client: &Client) -> Option<u64> {
    let value = client
        .execute(
            "return [...document.querySelectorAll('[data-testid=library-tile] img')]\
             .filter(img => img.complete && img.naturalWidth > 0).length;",
            Vec::new(),
        )
        .await
        .ok()?;
    value.as_u64()
}

/// Four real photos, one of them twice: as it is and resized to half at JPEG
/// quality 60 (a near duplicate). Returns the folder and each file's path.
fn photo_folder() -> (tempfile::TempDir, HashMap<&'static str, PathBuf>) {
    let photos = PathBuf::from(env("HAUL_TEST_PHOTOS"));
    let folder = tempfile::tempdir().unwrap();
    let mut paths = HashMap::new();
    for name in ["obama.jpg", "obama2.jpg", "biden.jpg"] {
        let path = folder.path().join(name);
        std::fs::copy(photos.join(name), &path).unwrap();
        paths.insert(name, path);
    }
    let image = image::open(photos.join("obama2.jpg")).unwrap().to_rgb8();
    let half = image::imageops::resize(
        &image,
        image.width() / 2,
        image.height() / 2,
        image::imageops::FilterType::Lanczos3,
    );
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 60)
        .encode_image(&half)
        .unwrap();
    let copy = folder.path().join("obama2-small.jpg");
    std::fs::write(&copy, bytes).unwrap();
    paths.insert("obama2-small.jpg", copy);
    (folder, paths)
}

/// `haul library add` before the window opens; returns item ids by file name.
fn add_to_library(data: &Path, folder: &Path) -> HashMap<String, i64> {
    let status = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(["library", "add"])
        .arg(folder)
        .status()
        .unwrap();
    assert!(status.success());
    let output = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(["library", "list", "--json"])
        .output()
        .unwrap();
    let items: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap().to_string(),
                i["id"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb, tauri-driver and HAUL_TEST_PHOTOS: run by `cargo xtask test`"]
async fn the_gallery_bin_and_duplicates_work_in_the_window() {
    let (folder, paths) = photo_folder();
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let ids = add_to_library(data.path(), folder.path());
    assert_eq!(ids.len(), 4, "{ids:?}");
    write_settings(
        data.path(),
        serde_json::json!({
            "downloadDir": downloads.path(),
            "theme": "light",
            "updates": { "checkOnStart": false },
        }),
    );
    let client = launch(data.path()).await;

    // The gallery: four tiles, each with its real thumbnail decoded.
    click(&client, "[data-testid=nav-library]").await;
    wait_for(&client, "four thumbnails", WAIT, async |c| {
        (loaded_thumbnails(c).await? == 4).then_some(())
    })
    .await;
    screenshot(&client, "library-gallery.png").await;

    // A filter narrows it.
    let search = client
        .find(Locator::Css("[data-testid=library-filter-name]"))
        .await
        .unwrap();
    search.send_keys("biden").await.unwrap();
    wait_for(&client, "one tile for biden", WAIT, async |c| {
        (count(c, "[data-testid=library-tile]").await == 1
            && text(c, "[data-testid=library-count]").await?.contains('1'))
        .then_some(())
    })
    .await;
    screenshot(&client, "library-filtered.png").await;
    // Ctrl+A, Backspace: the search is empty again.
    search.send_keys("\u{E009}a\u{E009}\u{E003}").await.unwrap();
    wait_for(&client, "four tiles again", WAIT, async |c| {
        (count(c, "[data-testid=library-tile]").await == 4).then_some(())
    })
    .await;

    // The viewer bins a photo: the file leaves its folder.
    let biden = ids["biden.jpg"];
    click(
        &client,
        &format!("[data-testid=library-tile][data-id='{biden}']"),
    )
    .await;
    wait_for(&client, "the photo in the viewer", WAIT, async |c| {
        let loaded = c
            .execute(
                "const i = document.querySelector('[data-testid=viewer-image]'); \
                 return !!i && i.complete && i.naturalWidth > 0;",
                Vec::new(),
            )
            .await
            .ok()?;
        (loaded == serde_json::Value::Bool(true)).then_some(())
    })
    .await;
    screenshot(&client, "library-viewer.png").await;
    click(&client, "[data-testid=viewer-delete]").await;
    let biden_path = paths["biden.jpg"].clone();
    wait_for(&client, "biden.jpg in the bin", WAIT, async |_| {
        (!biden_path.exists()).then_some(())
    })
    .await;
    if client
        .find(Locator::Css("[data-testid=viewer-close]"))
        .await
        .is_ok()
    {
        click(&client, "[data-testid=viewer-close]").await;
    }

    // The Recycle bin page brings it back.
    click(&client, "[data-testid=nav-bin]").await;
    let row = format!("[data-testid=bin-row][data-id='{biden}']");
    wait_for(&client, "the bin's row", WAIT, async |c| {
        (count(c, &row).await == 1).then_some(())
    })
    .await;
    screenshot(&client, "recycle-bin.png").await;
    click(&client, &row).await;
    click(&client, "[data-testid=bin-restore]").await;
    wait_for(&client, "biden.jpg restored", WAIT, async |_| {
        biden_path.exists().then_some(())
    })
    .await;
    wait_for(&client, "an empty bin", WAIT, async |c| {
        (count(c, "[data-testid=bin-empty-state]").await == 1).then_some(())
    })
    .await;

    // The Duplicates page: the half-size copy goes, the original stays.
    click(&client, "[data-testid=nav-duplicates]").await;
    click(&client, "[data-testid=dupes-tab-similar]").await;
    wait_for(&client, "the near-duplicate pair", WAIT, async |c| {
        (count(c, "[data-testid=dupes-item]").await == 2).then_some(())
    })
    .await;
    wait_for(&client, "both thumbnails", WAIT, async |c| {
        let loaded = c
            .execute(
                "return [...document.querySelectorAll('[data-testid=dupes-item] img')]\
                 .filter(img => img.complete && img.naturalWidth > 0).length;",
                Vec::new(),
            )
            .await
            .ok()?;
        (loaded.as_u64()? == 2).then_some(())
    })
    .await;
    screenshot(&client, "duplicates.png").await;
    click(&client, "[data-testid=dupes-keep]").await;
    let small = paths["obama2-small.jpg"].clone();
    wait_for(&client, "the smaller copy in the bin", WAIT, async |_| {
        (!small.exists()).then_some(())
    })
    .await;
    assert!(paths["obama2.jpg"].exists(), "the better copy stays");
    wait_for(&client, "no more near duplicates", WAIT, async |c| {
        (count(c, "[data-testid=dupes-empty]").await == 1).then_some(())
    })
    .await;
    screenshot(&client, "duplicates-resolved.png").await;
    client.close().await.unwrap();
}
