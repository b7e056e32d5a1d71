//! Notifications reach a real notification daemon on D-Bus (dunst under Xvfb,
//! inside `dbus-run-session`, started by `cargo xtask test`): the finished files
//! grouped into one message, a failure with the core's error.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use haul_core::notifications::DesktopNotifications;
use haul_core::{AddOptions, Core, DownloadState, OpenMode};
use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::test_bytes;

fn dunstctl(args: &[&str]) -> Option<String> {
    let output = std::process::Command::new("dunstctl")
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Polls the daemon's history (it has no other way to tell) until `check` holds.
async fn wait_for_history(what: &str, check: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        dunstctl(&["close-all"]);
        if let Some(history) = dunstctl(&["history"])
            && check(&history)
        {
            return history;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no notification: {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a notification daemon on D-Bus; run by cargo xtask test"]
async fn finished_and_failed_downloads_reach_the_notification_daemon() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no session bus: run inside dbus-run-session with dunst"
    );
    // The daemon answers once it owns the notification service.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while dunstctl(&["count", "history"]).is_none() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "dunst did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    dunstctl(&["history-clear"]);

    let server = FileServer::start(test_bytes(200_000, 3), Behaviour::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = Core::open(data.path(), OpenMode::Worker { autostart: true })
        .await
        .unwrap();
    core.start_notifications(Arc::new(DesktopNotifications));
    let options = AddOptions {
        dir: Some(downloads.path().to_path_buf()),
        ..AddOptions::default()
    };

    let mut ids = Vec::new();
    for name in ["one.bin", "two.bin", "three.bin"] {
        ids.push(
            core.downloads()
                .add(&server.url(name), &options)
                .await
                .unwrap()
                .id,
        );
    }
    for id in ids {
        assert_eq!(
            core.downloads().wait(id).await.unwrap().state,
            DownloadState::Completed
        );
    }
    // Finished together, they are grouped (on a slow machine one may miss the window
    // and come alone, but never all three apart).
    let history = wait_for_history("the three files", |h| {
        ["one.bin", "two.bin", "three.bin"]
            .iter()
            .all(|name| h.contains(name))
    })
    .await;
    assert!(
        history.contains("3 downloads finished") && history.contains("585.9 KiB")
            || history.contains("2 downloads finished"),
        "{history}"
    );

    server.configure(|b| b.status = Some(404));
    let failed = core
        .downloads()
        .add(&server.url("gone.iso"), &options)
        .await
        .unwrap();
    assert_eq!(
        core.downloads().wait(failed.id).await.unwrap().state,
        DownloadState::Failed
    );
    let history =
        wait_for_history("the failure", |h| h.contains("Download failed: gone.iso")).await;
    assert!(history.contains("404"), "{history}");
    core.shutdown().await;
}
