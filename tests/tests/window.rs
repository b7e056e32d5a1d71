//! The real desktop window under Xvfb, driven over WebDriver (tauri-driver +
//! WebKitWebDriver). Run by `cargo xtask test`, which starts those and sets
//! HAUL_DESKTOP_BIN, HAUL_WEBDRIVER_URL and HAUL_E2E_SHOTS.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use haul_e2e::fake_debrid::{FakeServer, FakeTorrent, alldebrid};
use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::window::{attr, click, env, launch, screenshot, text, wait_for, write_settings};
use haul_e2e::{sha256_hex, test_bytes};
use tempfile::TempDir;

const MIB: usize = 1 << 20;

/// Settings that send downloads to `downloads` and AllDebrid calls to the fake;
/// no update check (test traffic stays on 127.0.0.1) unless a test asks for one.
fn write_settings_for(data: &Path, downloads: &Path, alldebrid_url: &str) {
    write_settings(
        data,
        serde_json::json!({
            "downloadDir": downloads,
            "theme": "light",
            "debrid": { "alldebridUrl": alldebrid_url },
            "updates": { "checkOnStart": false },
        }),
    );
}

/// Haul running on a fresh data folder, with a download folder of its own and a
/// fake AllDebrid that knows `torrent`; returns once the main window is up.
async fn app_knowing(torrent: &FakeTorrent) -> (FakeServer, TempDir, TempDir, Client) {
    let server = alldebrid::start(&env("HAUL_E2E_ALLDEBRID_KEY"))
        .await
        .unwrap();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    write_settings_for(data.path(), downloads.path(), &server.url());
    let client = launch(data.path()).await;
    client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=empty-state]"))
        .await
        .expect("the main window");
    (server, data, downloads, client)
}

/// Waits for the window's only task to complete, then checks its file's bytes.
async fn task_completes_with(client: &Client, what: &str, file: &Path, bytes: &[u8]) {
    wait_for(client, what, Duration::from_secs(60), async |c: &Client| {
        (attr(c, "[data-testid=task-row]", "data-state").await? == "completed").then_some(())
    })
    .await;
    assert_eq!(std::fs::read(file).unwrap(), bytes, "{}", file.display());
}

/// Starts Haul again on the same data folder, as a browser, a file manager or a
/// desktop shortcut would; it hands its arguments to the running window and exits.
async fn second_launch(data: &Path, arguments: &[&str]) -> std::process::ExitStatus {
    let mut command = tokio::process::Command::new(env("HAUL_DESKTOP_BIN"));
    command
        .arg("--data-dir")
        .arg(data)
        .args(arguments)
        .kill_on_drop(true);
    tokio::time::timeout(Duration::from_secs(30), command.status())
        .await
        .expect("the second launch exits within seconds")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb and tauri-driver: run by `cargo xtask test`"]
async fn a_link_pasted_in_the_window_downloads_with_the_exact_bytes() {
    let body = test_bytes(50 * MIB, 50);
    // 10 MiB/s: slow enough to watch the bar move, fast enough for CI.
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            rate: Some(10 * MIB as u64),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    write_settings(
        data.path(),
        serde_json::json!({
            "downloadDir": downloads.path(),
            "maxActiveDownloads": 3,
            "theme": "light",
            // Test traffic stays on 127.0.0.1.
            "updates": { "checkOnStart": false },
        }),
    );

    let client = launch(data.path()).await;
    let empty = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=empty-state]"))
        .await
        .expect("the empty state on first start");
    assert!(empty.text().await.unwrap().to_lowercase().contains("paste"));
    screenshot(&client, "01-empty.png").await;

    // A link that is not one is refused with the core's message.
    let input = client
        .find(Locator::Css("[data-testid=add-input]"))
        .await
        .unwrap();
    input.send_keys("ftp://127.0.0.1/nope").await.unwrap();
    client
        .find(Locator::Css("[data-testid=add-button]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let refusal = wait_for(
        &client,
        "the add error",
        Duration::from_secs(10),
        async |c: &Client| {
            let text = c
                .find(Locator::Css("[data-testid=add-error]"))
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            (!text.is_empty()).then_some(text)
        },
    )
    .await;
    assert!(refusal.contains("only http and https"), "{refusal}");
    input.clear().await.unwrap();

    let url = server.url("files/big%20file.bin");
    input.send_keys(&url).await.unwrap();
    client
        .find(Locator::Css("[data-testid=add-button]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    let row = "[data-testid=download-row]";
    let first = wait_for(
        &client,
        "progress above 0",
        Duration::from_secs(30),
        async |c: &Client| {
            let percent: u32 = attr(c, &format!("{row} [data-testid=progress]"), "data-percent")
                .await?
                .parse()
                .ok()?;
            (percent > 0 && percent < 60).then_some(percent)
        },
    )
    .await;
    // The details panel of the selected row maps the ranges its connections fetch.
    client
        .find(Locator::Css(row))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let segments = wait_for(
        &client,
        "the segment map",
        Duration::from_secs(30),
        async |c: &Client| {
            let segments = c
                .find_all(Locator::Css(
                    "[data-testid=segment-map] [data-testid=segment]",
                ))
                .await
                .ok()?;
            (segments.len() >= 2).then_some(segments.len())
        },
    )
    .await;
    assert!(
        segments >= 2,
        "a 50 MiB file is fetched over several connections"
    );
    screenshot(&client, "02-progress.png").await;
    let later = wait_for(
        &client,
        "the bar to move",
        Duration::from_secs(30),
        async |c: &Client| {
            let percent: u32 = attr(c, &format!("{row} [data-testid=progress]"), "data-percent")
                .await?
                .parse()
                .ok()?;
            (percent > first).then_some(percent)
        },
    )
    .await;
    assert!(later > first);

    wait_for(
        &client,
        "completed",
        Duration::from_secs(120),
        async |c: &Client| (attr(c, row, "data-state").await? == "completed").then_some(()),
    )
    .await;
    // WebKitWebDriver's element text is empty inside the virtualised list; the DOM
    // property is what a person sees there.
    let name = client
        .find(Locator::Css("[data-testid=download-name]"))
        .await
        .unwrap()
        .prop("textContent")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(name.trim(), "big file.bin");
    screenshot(&client, "03-completed.png").await;

    let file = std::fs::read(downloads.path().join("big file.bin")).unwrap();
    assert_eq!(sha256_hex(&file), sha256_hex(&body));
    assert!(!downloads.path().join("big file.bin.part").exists());

    // The settings page shows the saved values and refuses an invalid one.
    client
        .find(Locator::Css("[data-testid=nav-settings]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let max_active = client
        .wait()
        .for_element(Locator::Css("[data-testid=settings-max-active]"))
        .await
        .unwrap();
    max_active.clear().await.unwrap();
    max_active.send_keys("99").await.unwrap();
    client
        .find(Locator::Css("[data-testid=settings-save]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let message = wait_for(
        &client,
        "the settings message",
        Duration::from_secs(10),
        async |c: &Client| {
            let text = c
                .find(Locator::Css("[data-testid=settings-message]"))
                .await
                .ok()?
                .text()
                .await
                .ok()?;
            text.contains("maxActiveDownloads").then_some(text)
        },
    )
    .await;
    assert!(message.contains("between 1 and 16"), "{message}");
    screenshot(&client, "04-settings-refused.png").await;

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb and tauri-driver: run by `cargo xtask test`"]
async fn a_magnet_pasted_in_the_window_downloads_the_two_files_picked() {
    // The app takes this key from its environment (set by xtask); the fake accepts it.
    let server = alldebrid::start(&env("HAUL_E2E_ALLDEBRID_KEY"))
        .await
        .unwrap();
    let mut torrent = FakeTorrent::new(
        "Show S01",
        vec![
            ("Show S01/e01.mkv", test_bytes(6 * MIB, 61)),
            ("Show S01/e02.mkv", test_bytes(5 * MIB, 62)),
            ("Show S01/Subs/en.srt", test_bytes(20_000, 63)),
        ],
    );
    // AllDebrid fetches it first: the row shows the provider's progress.
    torrent.cached = false;
    torrent.polls_before_ready = 3;
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    write_settings_for(data.path(), downloads.path(), &server.url());

    let client = launch(data.path()).await;
    let input = client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=add-input]"))
        .await
        .unwrap();
    input.send_keys(&torrent.magnet()).await.unwrap();
    click(&client, "[data-testid=add-button]").await;
    click(
        &client,
        "[data-testid=add-dialog] [data-testid=add-dialog-mode-manual]",
    )
    .await;
    click(&client, "[data-testid=add-dialog-confirm]").await;

    let row = "[data-testid=task-row]";
    wait_for(
        &client,
        "the provider's progress",
        Duration::from_secs(30),
        async |c: &Client| {
            let state = attr(c, row, "data-state").await?;
            let status = c
                .find(Locator::Css(&format!("{row} [data-testid=task-state]")))
                .await
                .ok()?
                .prop("textContent")
                .await
                .ok()??;
            (state == "resolving").then_some(status)
        },
    )
    .await;
    screenshot(&client, "05-task-resolving.png").await;

    // Manual mode: the select dialog opens once AllDebrid lists the files (the
    // <dialog> element is always there; its content only while open).
    let pattern = client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(
            "[data-testid=select-dialog] [data-testid=select-pattern]",
        ))
        .await
        .expect("the select dialog");
    pattern.send_keys("*e01*").await.unwrap();
    click(&client, "[data-testid=select-matching]").await;
    click(&client, "[data-testid=select-file][data-index='2']").await;
    let summary = wait_for(
        &client,
        "two files chosen",
        Duration::from_secs(10),
        async |c: &Client| {
            let text = c
                .find(Locator::Css("[data-testid=select-summary]"))
                .await
                .ok()?
                .prop("textContent")
                .await
                .ok()??;
            text.contains("2 files").then_some(text)
        },
    )
    .await;
    assert!(summary.contains("2 files"), "{summary}");
    screenshot(&client, "06-select-files.png").await;
    click(&client, "[data-testid=select-confirm]").await;

    wait_for(
        &client,
        "the task completed",
        Duration::from_secs(60),
        async |c: &Client| (attr(c, row, "data-state").await? == "completed").then_some(()),
    )
    .await;
    click(&client, &format!("{row} [data-testid=task-expand]")).await;
    let files = wait_for(
        &client,
        "the task's files",
        Duration::from_secs(10),
        async |c: &Client| {
            let rows = c
                .find_all(Locator::Css("[data-testid=task-file-row]"))
                .await
                .ok()?;
            (rows.len() == 3).then_some(rows.len())
        },
    )
    .await;
    assert_eq!(files, 3);
    screenshot(&client, "07-task-completed.png").await;

    let base = downloads.path().join("Show S01");
    assert_eq!(
        sha256_hex(&std::fs::read(base.join("e01.mkv")).unwrap()),
        sha256_hex(&torrent.files[0].bytes)
    );
    assert_eq!(
        std::fs::read(base.join("Subs/en.srt")).unwrap(),
        torrent.files[2].bytes
    );
    assert!(!base.join("e02.mkv").exists(), "e02 was not picked");
    assert_eq!(server.calls("link/unlock"), 2);

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb, tauri-driver and a session bus: run by `cargo xtask test`"]
async fn a_second_launch_hands_its_magnet_to_the_running_window() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no session bus: single-instance forwarding goes over D-Bus"
    );
    let torrent = FakeTorrent::new("Forwarded", vec![("Forwarded/a.bin", test_bytes(MIB, 71))]);
    let (server, data, downloads, client) = app_knowing(&torrent).await;

    // A second launch, as a browser's magnet handler would start it: it hands the
    // link over and exits.
    assert!(
        second_launch(data.path(), &[&torrent.magnet()])
            .await
            .success()
    );
    let row = "[data-testid=task-row]";
    task_completes_with(
        &client,
        "the forwarded task",
        &downloads.path().join("a.bin"),
        &torrent.files[0].bytes,
    )
    .await;

    // Hostile arguments create nothing; the window says why.
    let long = "x".repeat(50_000);
    for hostile in ["--help", "$(id)", &long] {
        assert!(second_launch(data.path(), &[hostile]).await.success());
    }
    let notices = wait_for(
        &client,
        "three refusals",
        Duration::from_secs(30),
        async |c: &Client| {
            let notices = c
                .find_all(Locator::Css("[data-testid=launch-notice]"))
                .await
                .ok()?;
            let mut texts = Vec::new();
            for notice in notices {
                texts.push(notice.prop("textContent").await.ok()??);
            }
            (texts.len() == 3).then_some(texts)
        },
    )
    .await;
    assert!(
        notices[0].contains("\"--help\"") && notices[0].contains("options are not accepted"),
        "{notices:?}"
    );
    assert!(notices[1].contains("\"$(id)\""), "{notices:?}");
    assert!(notices[2].contains("50000 bytes"), "{notices:?}");
    assert_eq!(
        client.find_all(Locator::Css(row)).await.unwrap().len(),
        1,
        "nothing was added"
    );
    assert_eq!(server.calls("magnet/upload"), 1);
    screenshot(&client, "08-second-launch.png").await;

    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb, tauri-driver and a session bus: run by `cargo xtask test`"]
async fn quick_add_adds_the_magnet_on_the_clipboard() {
    let torrent = FakeTorrent::new(
        "Quick Added",
        vec![("Quick Added/q.bin", test_bytes(MIB, 73))],
    );
    let (server, data, downloads, client) = app_knowing(&torrent).await;
    let main = client.window().await.unwrap();

    // The user copies a magnet in the browser (this test owns the X selection
    // while `clipboard` lives), then opens quick add. The tray's "Quick add…"
    // and a desktop shortcut run the same code; the shortcut's command line is
    // what a test can reach.
    let mut clipboard = arboard::Clipboard::new().expect("the X clipboard (is DISPLAY set?)");
    clipboard.set_text(torrent.magnet()).unwrap();
    assert!(second_launch(data.path(), &["--quick-add"]).await.success());

    let quick = wait_for(
        &client,
        "the quick-add window",
        Duration::from_secs(30),
        async |c: &Client| {
            let windows = c.windows().await.ok()?;
            windows.into_iter().find(|handle| *handle != main)
        },
    )
    .await;
    client.switch_to_window(quick).await.unwrap();
    let magnet = torrent.magnet();
    wait_for(
        &client,
        "the field filled from the clipboard",
        Duration::from_secs(30),
        async |c: &Client| {
            let input = c
                .find(Locator::Css("[data-testid=quick-add-input]"))
                .await
                .ok()?;
            (input.prop("value").await.ok()?? == magnet).then_some(())
        },
    )
    .await;
    let kind = text(&client, "[data-testid=quick-add-kind]").await.unwrap();
    assert!(kind.contains("Quick Added"), "{kind}");
    screenshot(&client, "09-quick-add.png").await;
    click(&client, "[data-testid=quick-add-submit]").await;

    // The window closes itself once the task exists; the main window shows it.
    wait_for(
        &client,
        "the quick-add window to close",
        Duration::from_secs(30),
        async |c: &Client| (c.windows().await.ok()?.len() == 1).then_some(()),
    )
    .await;
    client.switch_to_window(main).await.unwrap();
    task_completes_with(
        &client,
        "the quick-added task",
        &downloads.path().join("q.bin"),
        &torrent.files[0].bytes,
    )
    .await;
    assert_eq!(server.calls("magnet/upload"), 1);
    drop(clipboard);
    client.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app (a debug build, which trusts HAUL_UPDATER_PUBKEY), Xvfb and tauri-driver: run by `cargo xtask test`"]
async fn updates_are_accepted_only_with_a_valid_signature() {
    use haul_e2e::update_server::{UpdateKey, UpdateServer};

    let bundle = test_bytes(512 * 1024, 81);
    let mut tampered = bundle.clone();
    tampered[100_000] ^= 0x01;
    let trusted = UpdateKey::test_key();
    let notes = "Faster resume.\nA tray that shows the total speed.";
    let cases = [
        ("signed", trusted.sign(&bundle, "0.2.0"), bundle.clone()),
        ("tampered", trusted.sign(&bundle, "0.2.0"), tampered),
        (
            "other-key",
            UpdateKey::stranger().sign(&bundle, "0.2.0"),
            bundle.clone(),
        ),
    ];
    for (case, signature, served) in cases {
        let server = UpdateServer::start("0.2.0", notes, &signature, served)
            .await
            .unwrap();
        let data = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();
        write_settings(
            data.path(),
            serde_json::json!({
                "downloadDir": downloads.path(),
                "theme": "light",
                "updates": { "endpoint": server.manifest_url(), "checkOnStart": true },
            }),
        );
        let client = launch(data.path()).await;
        let prompt = "[data-testid=update-prompt]";
        wait_for(
            &client,
            &format!("{case}: the update offered at start-up"),
            Duration::from_secs(30),
            async |c: &Client| (attr(c, prompt, "data-state").await? == "offered").then_some(()),
        )
        .await;
        let version = text(&client, "[data-testid=update-version]").await.unwrap();
        assert!(
            version.contains("0.2.0") && version.contains("0.1.0"),
            "{version}"
        );
        let shown_notes = text(&client, "[data-testid=update-notes]").await.unwrap();
        assert!(
            shown_notes.contains("A tray that shows the total speed."),
            "{shown_notes}"
        );
        if case == "signed" {
            screenshot(&client, "10-update-offered.png").await;
        }
        click(&client, "[data-testid=update-download]").await;
        let state = wait_for(
            &client,
            &format!("{case}: the download to be verified or refused"),
            Duration::from_secs(30),
            async |c: &Client| {
                let state = attr(c, prompt, "data-state").await?;
                ["ready", "failed"]
                    .contains(&state.as_str())
                    .then_some(state)
            },
        )
        .await;
        assert_eq!(server.downloads(), 1, "{case}");
        if case == "signed" {
            assert_eq!(state, "ready", "a correctly signed update verifies");
            screenshot(&client, "11-update-verified.png").await;
        } else {
            assert_eq!(state, "failed", "{case}: refused");
            let error = text(&client, "[data-testid=update-error]").await.unwrap();
            assert!(
                error.contains("was refused")
                    && error.contains("does not verify against Haul's public key")
                    && error.contains("Nothing was installed"),
                "{case}: {error}"
            );
            // minisign says why: other bytes, or another key.
            let why = if case == "tampered" {
                "verification failed"
            } else {
                "different key"
            };
            assert!(error.contains(why), "{case}: {error}");
            screenshot(&client, &format!("12-update-{case}.png")).await;
        }
        client.close().await.unwrap();
    }
}

/// Ticks or unticks a Settings checkbox, saves, and waits for "Saved".
async fn save_checkbox(client: &Client, testid: &str, checked: bool) {
    click(client, "[data-testid=nav-settings]").await;
    let css = format!("[data-testid={testid}]");
    click(client, &css).await;
    let now = client
        .find(Locator::Css(&css))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(
        now.as_deref() == Some("true"),
        checked,
        "{testid} after a click"
    );
    click(client, "[data-testid=settings-save]").await;
    wait_for(
        client,
        &format!("{testid} saved"),
        Duration::from_secs(10),
        async |c: &Client| {
            let text = text(c, "[data-testid=settings-message]").await?;
            text.contains("Saved").then_some(())
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the built desktop app, Xvfb, tauri-driver and a session bus: run by `cargo xtask test`"]
async fn start_at_login_and_clipboard_watching_follow_the_settings() {
    let torrent = FakeTorrent::new("Copied", vec![("Copied/c.bin", test_bytes(MIB, 77))]);
    let (server, data, downloads, client) = app_knowing(&torrent).await;

    // Start at login: an XDG autostart entry that starts Haul in the tray, and
    // none once the setting is off again. xtask gives the app a home of its own.
    let entry = PathBuf::from(env("HAUL_E2E_HOME")).join(".config/autostart/Haul.desktop");
    let _ = std::fs::remove_file(&entry);
    save_checkbox(&client, "settings-start-at-login", true).await;
    let text_of_entry = std::fs::read_to_string(&entry).expect("the autostart entry");
    assert!(
        text_of_entry.contains(&env("HAUL_DESKTOP_BIN")) && text_of_entry.contains("--minimized"),
        "{text_of_entry}"
    );

    // Clipboard watching is off by default; once on, a magnet copied afterwards is
    // offered, and added only on a click.
    save_checkbox(&client, "settings-watch-clipboard", true).await;
    let mut clipboard = arboard::Clipboard::new().expect("the X clipboard (is DISPLAY set?)");
    clipboard.set_text(torrent.magnet()).unwrap();
    let offer = wait_for(
        &client,
        "the clipboard offer",
        Duration::from_secs(30),
        async |c: &Client| text(c, "[data-testid=clipboard-offer]").await,
    )
    .await;
    assert!(offer.contains("Copied"), "{offer}");
    assert_eq!(
        server.calls("magnet/upload"),
        0,
        "nothing is added without a click"
    );
    screenshot(&client, "13-clipboard-offer.png").await;
    click(&client, "[data-testid=clipboard-offer-add]").await;
    task_completes_with(
        &client,
        "the copied magnet's task",
        &downloads.path().join("c.bin"),
        &torrent.files[0].bytes,
    )
    .await;

    save_checkbox(&client, "settings-start-at-login", false).await;
    assert!(!entry.exists(), "the autostart entry is removed");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(saved["desktop"]["startAtLogin"], false);
    assert_eq!(saved["desktop"]["watchClipboard"], true);
    drop(clipboard);
    client.close().await.unwrap();
}
