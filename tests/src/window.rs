//! Helpers for the real-window tests (`tests/tests/window*.rs`): start the app
//! over WebDriver, click, read, wait, and take screenshots that must not be blank.

// Test support: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

pub fn env(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run this test through `cargo xtask test`"))
}

/// Starts the app on its own data folder and opens a WebDriver session on it.
pub async fn launch(data_dir: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "tauri:options".into(),
        serde_json::json!({
            "application": env("HAUL_DESKTOP_BIN"),
            "args": ["--data-dir", data_dir],
        }),
    );
    capabilities.insert("browserName".into(), "wry".into());
    ClientBuilder::native()
        .capabilities(capabilities)
        .connect(&env("HAUL_WEBDRIVER_URL"))
        .await
        .expect("WebDriver session on the desktop app")
}

pub async fn screenshot(client: &Client, name: &str) -> PathBuf {
    // The page may have changed since the last frame was painted: wait for two
    // animation frames, so the picture shows what the test just checked.
    client
        .execute_async(
            "const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));",
            Vec::new(),
        )
        .await
        .expect("a painted frame");
    let png = client.screenshot().await.expect("screenshot");
    let path = PathBuf::from(env("HAUL_E2E_SHOTS")).join(name);
    std::fs::write(&path, &png).expect("write screenshot");
    // A blank window compresses to almost nothing; a rendered one does not.
    assert!(
        png.len() > 10_000,
        "{} looks blank ({} bytes)",
        path.display(),
        png.len()
    );
    path
}

pub async fn attr(client: &Client, css: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Css(css)).await.ok()?;
    element.attr(name).await.ok().flatten()
}

pub async fn click(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {css}: {e}"));
}

pub fn write_settings(data: &Path, settings: serde_json::Value) {
    std::fs::write(data.join("settings.json"), settings.to_string()).unwrap();
}

/// How many elements match `css` now.
pub async fn count(client: &Client, css: &str) -> usize {
    client
        .find_all(Locator::Css(css))
        .await
        .map(|v| v.len())
        .unwrap_or(0)
}

pub async fn text(client: &Client, css: &str) -> Option<String> {
    let element = client.find(Locator::Css(css)).await.ok()?;
    element.prop("textContent").await.ok().flatten()
}

/// WebDriver has no push notifications: poll the page until `check` says yes.
pub async fn wait_for<T>(
    client: &Client,
    what: &str,
    timeout: Duration,
    check: impl AsyncFn(&Client) -> Option<T>,
) -> T {
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(value) = check(client).await {
            return value;
        }
        if tokio::time::Instant::now() > deadline {
            let _ = screenshot(client, &format!("timeout-{}.png", what.replace(' ', "-"))).await;
            panic!("timed out waiting for {what}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
