//! Faces in the real desktop window under Xvfb, over WebDriver: with the models
//! installed and photos in the library, the app finds the faces in the background,
//! the People page shows the groups with their face crops, a person is named, and
//! the gallery is filtered by that name. Run by `cargo xtask test` with the real
//! photos (HAUL_TEST_PHOTOS) and models (HAUL_TEST_MODELS).

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use haul_e2e::haul_bin;
use haul_e2e::window::{click, count, env, launch, screenshot, text, wait_for, write_settings};

/// Scanning five photos with debug-built tests beside it on two cores.
const WAIT: Duration = Duration::from_secs(120);

fn haul(data: &Path, args: &[&str]) {
    let out = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "haul {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// How many elements match `css` and hold a decoded image.
async fn loaded_images(client: &Client, css: &str) -> u64 {
    client
        .execute(
            &format!(
                "return [...document.querySelectorAll('{css} img')]\
                 .filter(img => img.complete && img.naturalWidth > 0).length;"
            ),
            Vec::new(),
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb, tauri-driver, HAUL_TEST_PHOTOS and HAUL_TEST_MODELS: run by `cargo xtask test`"]
async fn people_are_found_named_and_filter_the_gallery() {
    let photos = PathBuf::from(env("HAUL_TEST_PHOTOS"));
    let models = env("HAUL_TEST_MODELS");
    let folder = tempfile::tempdir().unwrap();
    for name in ["obama.jpg", "obama2.jpg", "obama3.jpg", "biden.jpg"] {
        std::fs::copy(photos.join(name), folder.path().join(name)).unwrap();
    }
    let biden = image::open(photos.join("biden.jpg")).unwrap().to_rgb8();
    image::imageops::flip_horizontal(&biden)
        .save(folder.path().join("biden-mirrored.jpg"))
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    haul(data.path(), &["faces", "models", "install", &models]);
    haul(
        data.path(),
        &["library", "add", &folder.path().display().to_string()],
    );
    write_settings(
        data.path(),
        serde_json::json!({
            "downloadDir": downloads.path(),
            "theme": "light",
            "updates": { "checkOnStart": false },
        }),
    );
    let client = launch(data.path()).await;

    // The app analyses the new photos in the background; the People page shows
    // two groups, each with its face crop decoded.
    click(&client, "[data-testid=nav-people]").await;
    if client
        .find(Locator::Css("[data-testid=people-find-faces]"))
        .await
        .is_ok()
    {
        click(&client, "[data-testid=people-find-faces]").await;
    }
    wait_for(
        &client,
        "two people with their face crops",
        WAIT,
        async |c| {
            (count(c, "[data-testid=person-card]").await == 2
                && loaded_images(c, "[data-testid=person-card]").await >= 2)
                .then_some(())
        },
    )
    .await;
    screenshot(&client, "people.png").await;

    // Name the person with three photos.
    let cards = client
        .find_all(Locator::Css("[data-testid=person-card]"))
        .await
        .unwrap();
    let mut obama = None;
    for card in cards {
        if card.text().await.unwrap().contains('3') {
            obama = Some(card);
        }
    }
    let obama = obama.expect("a person with three photos");
    obama
        .find(Locator::Css("[data-testid=person-name]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let input = client
        .find(Locator::Css("[data-testid=person-rename-input]"))
        .await
        .unwrap();
    input.send_keys("Barack\u{E007}").await.unwrap();
    wait_for(&client, "the name on the card", WAIT, async |c| {
        text(c, "[data-testid=people-grid]")
            .await?
            .contains("Barack")
            .then_some(())
    })
    .await;
    screenshot(&client, "people-named.png").await;

    // The gallery filtered by that name: his three photos.
    click(&client, "[data-testid=nav-library]").await;
    click(&client, "[data-testid=library-filter-people]").await;
    // Picked by its text content (WebKitWebDriver's rendered text of a label
    // holding a checkbox is empty).
    wait_for(
        &client,
        "Barack offered in the people filter",
        WAIT,
        async |c| {
            let clicked = c
                .execute(
                    "const option = [...document.querySelectorAll('[data-testid=people-option]')]\
                 .find(o => o.textContent.includes('Barack')); \
                 if (!option) return false; option.click(); return true;",
                    Vec::new(),
                )
                .await
                .ok()?;
            (clicked == serde_json::Value::Bool(true)).then_some(())
        },
    )
    .await;
    wait_for(&client, "three tiles for Barack", WAIT, async |c| {
        (count(c, "[data-testid=library-tile]").await == 3
            && loaded_images(c, "[data-testid=library-tile]").await == 3)
            .then_some(())
    })
    .await;
    screenshot(&client, "library-by-person.png").await;
    client.close().await.unwrap();
}
