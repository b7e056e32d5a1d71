//! `haul add --wait` and `haul login` against fake AllDebrid, Real-Debrid and TorBox
//! servers on 127.0.0.1: exact files, exit codes, typed errors, and the key never
//! written to the data folder or the logs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use haul_e2e::fake_debrid::{FakeServer, FakeTorrent, alldebrid, realdebrid, torbox};
use haul_e2e::{haul_bin, test_bytes};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

const KEY: &str = "cli-key-5d1e88c0";
const TIMEOUT: Duration = Duration::from_secs(120);

/// `haul` with a data folder, a provider pointed at a fake, and nothing else from
/// the environment that could change its behaviour.
fn haul(data: &Path, provider: &str, server: &FakeServer, key: Option<&str>) -> Command {
    let mut command = Command::new(haul_bin());
    command
        .arg("--data-dir")
        .arg(data)
        .env_remove("HAUL_DATA_DIR")
        .env(
            format!("HAUL_{}_URL", provider.to_uppercase()),
            server.url(),
        )
        .kill_on_drop(true);
    for name in ["ALLDEBRID", "REALDEBRID", "TORBOX"] {
        command.env_remove(format!("HAUL_{name}_API_KEY"));
    }
    if let Some(key) = key {
        command.env(format!("HAUL_{}_API_KEY", provider.to_uppercase()), key);
    }
    command
}

async fn run(mut command: Command) -> std::process::Output {
    tokio::time::timeout(TIMEOUT, command.output())
        .await
        .expect("haul finished in time")
        .unwrap()
}

fn season() -> FakeTorrent {
    FakeTorrent::new(
        "Season 2",
        vec![
            ("Season 2/e01.mkv", test_bytes(3 << 20, 11)),
            ("Season 2/e02.mkv", test_bytes(2 << 20, 12)),
            ("Season 2/notes.txt", test_bytes(500, 13)),
        ],
    )
}

/// No file under `dir` holds `needle`.
fn assert_absent(dir: &Path, needle: &str) {
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            seen += 1;
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle:?} was written to {}",
                path.display()
            );
        }
    }
    assert!(seen > 0, "nothing to check in {}", dir.display());
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn add_wait_downloads_the_selected_files_from_each_provider() {
    for provider in ["alldebrid", "realdebrid", "torbox"] {
        let server = match provider {
            "alldebrid" => alldebrid::start(KEY).await,
            "realdebrid" => realdebrid::start(KEY).await,
            _ => torbox::start(KEY).await,
        }
        .unwrap();
        let torrent = season();
        server.know(torrent.clone());
        let data = tempfile::tempdir().unwrap();
        let downloads = tempfile::tempdir().unwrap();

        let mut command = haul(data.path(), provider, &server, Some(KEY));
        command
            .args([
                "add",
                "--wait",
                "--provider",
                provider,
                "--select",
                "*.MKV",
                "--dir",
            ])
            .arg(downloads.path())
            .arg(torrent.magnet());
        let output = run(command).await;
        assert!(
            output.status.success(),
            "{provider}: {}",
            text(&output.stderr)
        );
        for (index, file) in torrent.files.iter().enumerate() {
            let path = downloads.path().join(file.path.join("/"));
            if index < 2 {
                assert_eq!(
                    std::fs::read(&path).unwrap(),
                    file.bytes,
                    "{provider}: {}",
                    path.display()
                );
                assert!(text(&output.stdout).contains(&path.display().to_string()));
            } else {
                assert!(
                    !path.exists(),
                    "{provider}: {} was not selected",
                    path.display()
                );
            }
        }

        let mut command = haul(data.path(), provider, &server, None);
        command.args(["list", "--json"]);
        let output = run(command).await;
        assert!(output.status.success());
        let listed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let task = &listed["tasks"][0];
        assert_eq!(task["infoHash"], torrent.hash.as_str());
        assert_eq!(task["state"], "completed");
        assert_eq!(task["provider"], provider);
        assert_eq!(listed["downloads"].as_array().unwrap().len(), 0);

        let mut command = haul(data.path(), provider, &server, None);
        command.arg("list");
        let output = run(command).await;
        assert!(
            text(&output.stdout).contains(&torrent.hash),
            "{}",
            text(&output.stdout)
        );

        assert_absent(data.path(), KEY);
        for request in server.requests() {
            assert!(
                !request.query.contains(KEY) || request.path.ends_with("/requestdl"),
                "{request:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn add_fails_with_a_clear_message_and_exit_1() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = season();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();

    // A refused key.
    let mut command = haul(data.path(), "alldebrid", &server, Some("not-the-key"));
    command
        .args(["add", "--wait", "--dir"])
        .arg(downloads.path())
        .arg(torrent.magnet());
    let output = run(command).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("AUTH_BAD_APIKEY") && stderr.contains("AuthRequired"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("not-the-key"),
        "the key was printed: {stderr}"
    );

    // A malformed magnet: refused before any request.
    let before = server.requests().len();
    let mut command = haul(data.path(), "alldebrid", &server, Some(KEY));
    command.args(["add", "--wait", "magnet:?xt=urn:btih:12345&dn=x"]);
    let output = run(command).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("InvalidMagnet") && stderr.contains("btih"),
        "{stderr}"
    );
    assert_eq!(server.requests().len(), before);

    // A pattern that matches nothing names the files there are.
    let data = tempfile::tempdir().unwrap();
    let mut command = haul(data.path(), "alldebrid", &server, Some(KEY));
    command
        .args(["add", "--wait", "--select", "*.iso", "--dir"])
        .arg(downloads.path())
        .arg(torrent.magnet());
    let output = run(command).await;
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("*.iso") && stderr.contains("e01.mkv"),
        "{stderr}"
    );
}

/// Runs where a real Secret Service is on the session bus (`cargo xtask test` runs
/// it inside `dbus-run-session` with GNOME Keyring unlocked).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service on D-Bus; run by cargo xtask test"]
async fn login_keeps_the_key_in_the_os_keyring_only() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "no session bus: run inside dbus-run-session with a Secret Service"
    );
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = season();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();

    let mut command = haul(data.path(), "alldebrid", &server, None);
    command
        .args(["login", "alldebrid"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let prompt = tokio::time::timeout(TIMEOUT, async {
        loop {
            let line = stderr.next_line().await.unwrap().expect("a prompt line");
            if line.contains("enter the code") {
                return line;
            }
        }
    })
    .await
    .unwrap();
    assert!(prompt.contains(&server.url()), "{prompt}");
    server.confirm_logins();
    let output = tokio::time::timeout(TIMEOUT, child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("haul-tester"),
        "{}",
        text(&output.stdout)
    );

    // The key now comes from the keyring, not the environment.
    let mut command = haul(data.path(), "alldebrid", &server, None);
    command
        .args(["add", "--wait", "--dir"])
        .arg(downloads.path())
        .arg(torrent.magnet());
    let output = run(command).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        std::fs::read(downloads.path().join("Season 2/e01.mkv")).unwrap(),
        torrent.files[0].bytes
    );
    let lookup = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "haul",
            "username",
            "alldebrid-credential",
        ])
        .output()
        .unwrap();
    assert_eq!(
        text(&lookup.stdout).trim(),
        KEY,
        "the key is in the Secret Service"
    );
    assert_absent(data.path(), KEY);

    let mut command = haul(data.path(), "alldebrid", &server, None);
    command.args(["logout", "alldebrid"]);
    assert!(run(command).await.status.success());
    let lookup = std::process::Command::new("secret-tool")
        .args([
            "lookup",
            "service",
            "haul",
            "username",
            "alldebrid-credential",
        ])
        .output()
        .unwrap();
    assert!(text(&lookup.stdout).trim().is_empty());
}
