//! The `haul` binary killed with SIGKILL mid-download and started again with the
//! same command continues the same download and fetches only what it lacked.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::{haul_bin, sha256_hex, test_bytes};
use tokio::process::Command;

const MIB: u64 = 1 << 20;

fn haul(data: &Path) -> Command {
    let mut command = Command::new(haul_bin());
    command.arg("--data-dir").arg(data).kill_on_drop(true);
    command
}

async fn recorded(data: &Path) -> Vec<serde_json::Value> {
    let output = haul(data).args(["list", "--json"]).output().await.unwrap();
    assert!(
        output.status.success(),
        "haul list: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    listed["downloads"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_haul_get_continues_the_same_download_when_run_again() {
    let body = test_bytes(24 * MIB as usize + 11, 9);
    let hold = 8 * MIB;
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(hold),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let url = server.url("media/episode.mkv");
    let get = |data: &Path| {
        let mut command = haul(data);
        command
            .args(["get", &url, "--connections", "1", "--dir"])
            .arg(target.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    };

    let mut first = get(data.path()).spawn().unwrap();
    // Across processes there is no event to wait on: poll the recorded progress
    // (read-only, beside the running worker) until it reaches the hold point.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let recorded_bytes = loop {
        let rows = recorded(data.path()).await;
        let bytes = rows
            .first()
            .and_then(|row| row["receivedBytes"].as_u64())
            .unwrap_or(0);
        if bytes >= hold {
            break bytes;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no progress recorded: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    first.start_kill().unwrap();
    let status = first.wait().await.unwrap();
    assert!(!status.success(), "SIGKILL must end it: {status:?}");

    let part = target.path().join("episode.mkv.part");
    let on_disk = std::fs::metadata(&part).unwrap().len();
    assert!(
        on_disk >= recorded_bytes,
        "recorded {recorded_bytes} but only {on_disk} on disk"
    );
    assert_eq!(recorded_bytes, hold);

    server.release();
    let sent_before = server.bytes_sent();
    let second = get(data.path()).output().await.unwrap();
    assert!(
        second.status.success(),
        "second run failed: {}",
        String::from_utf8_lossy(&second.stderr)
    );
    let stdout = String::from_utf8_lossy(&second.stdout);
    assert!(stdout.contains("episode.mkv"), "{stdout}");

    let names: Vec<String> = std::fs::read_dir(target.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["episode.mkv"], "one file, no copy, no .part");
    let file = std::fs::read(target.path().join("episode.mkv")).unwrap();
    assert_eq!(sha256_hex(&file), sha256_hex(&body));

    let requests = server.requests();
    assert_eq!(
        requests.last().unwrap().range,
        Some(format!("bytes={hold}-{}", body.len() - 1))
    );
    assert_eq!(
        server.bytes_sent() - sent_before,
        body.len() as u64 - hold,
        "only the missing bytes are fetched again"
    );

    let rows = recorded(data.path()).await;
    assert_eq!(
        rows.len(),
        1,
        "the same download, not a second one: {rows:?}"
    );
    assert_eq!(rows[0]["state"], "completed");
}

#[tokio::test(flavor = "multi_thread")]
async fn haul_get_exits_non_zero_when_a_file_cannot_be_completed() {
    let server = FileServer::start(
        Vec::new(),
        Behaviour {
            status: Some(404),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let output = haul(data.path())
        .args(["get", &server.url("gone.iso"), "not-a-link", "--dir"])
        .arg(target.path())
        .output()
        .await
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("404"), "{stderr}");
    assert!(stderr.contains("not a download link"), "{stderr}");
}
