//! `haul get` of a 256 MiB file killed with SIGKILL at random moments, 30 times,
//! then completed: the hash is exact, and after every kill the recorded progress
//! claims only bytes that are on disk.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::{haul_bin, sha256_hex, test_bytes};
use haul_store::Store;
use tokio::process::Command;

const MIB: usize = 1 << 20;
const KILLS: usize = 30;

/// Small xorshift: random kill moments without a dependency; the seed is printed
/// so a failure can be replayed.
struct Moments(u64);

impl Moments {
    fn next_millis(&mut self, from: u64, to: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from + self.0 % (to - from)
    }
}

/// Every byte range the database says is on disk must be on disk.
async fn check_recorded(data: &Path, part: &Path, body: &[u8]) -> u64 {
    let Some(store) = Store::open_existing(&data.join("haul.db")).await.unwrap() else {
        return 0;
    };
    let rows = store.downloads().list().await.unwrap();
    store.close().await;
    let Some(row) = rows.first() else { return 0 };
    let Some(segments) = row.segments.as_deref() else {
        return 0;
    };
    let segments: Vec<serde_json::Value> = serde_json::from_str(segments).unwrap();
    let disk = std::fs::read(part).unwrap_or_default();
    let mut recorded = 0;
    for segment in segments {
        let start = segment["start"].as_u64().unwrap() as usize;
        let received = segment["received"].as_u64().unwrap() as usize;
        if received == 0 {
            continue;
        }
        let range = start..start + received;
        assert!(
            disk.get(range.clone()) == body.get(range.clone()),
            "the database claims bytes {range:?} that are not on disk"
        );
        recorded += received as u64;
    }
    recorded
}

#[tokio::test(flavor = "multi_thread")]
async fn haul_get_killed_thirty_times_still_ends_with_the_exact_bytes() {
    let body = test_bytes(256 * MIB, 77);
    // 3 MiB/s per connection, 8 connections: long enough to be killed 30 times.
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            rate: Some(3 * MIB as u64),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let part = target.path().join("big.bin.part");
    let url = server.url("big.bin");
    let get = || {
        let mut command = Command::new(haul_bin());
        command
            .arg("--data-dir")
            .arg(data.path())
            .args(["get", &url, "--connections", "8", "--dir"])
            .arg(target.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        command
    };

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("kill moments seed: {seed}");
    let mut moments = Moments(seed);
    let mut killed_mid_download = 0;
    let mut last_recorded = 0;
    for _ in 0..KILLS {
        let mut child = get().spawn().unwrap();
        // The random moment is the point of this harness, not a synchronisation.
        let moment = Duration::from_millis(moments.next_millis(150, 600));
        let finished = tokio::time::timeout(moment, child.wait()).await;
        if let Ok(status) = finished {
            assert!(status.unwrap().success(), "haul get failed on its own");
            break;
        }
        child.start_kill().unwrap();
        child.wait().await.unwrap();
        killed_mid_download += 1;
        let recorded = check_recorded(data.path(), &part, &body).await;
        assert!(
            recorded >= last_recorded,
            "recorded progress went back: {recorded} < {last_recorded}"
        );
        last_recorded = recorded;
    }
    assert!(
        killed_mid_download >= 10,
        "only {killed_mid_download} kills landed mid-download"
    );

    let status = tokio::time::timeout(Duration::from_secs(300), get().status())
        .await
        .expect("the last run finishes")
        .unwrap();
    assert!(status.success());
    let names: Vec<String> = std::fs::read_dir(target.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["big.bin"]);
    let file = std::fs::read(target.path().join("big.bin")).unwrap();
    assert_eq!(sha256_hex(&file), sha256_hex(&body));
    eprintln!(
        "{killed_mid_download} kills mid-download; {} bytes served for a {} byte file",
        server.bytes_sent(),
        body.len()
    );
}
