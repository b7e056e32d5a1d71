//! The recycle bin under SIGKILL: `haul library rm`, `haul bin restore` and `haul
//! bin purge` are killed at random moments, 200 times. After every start-up each
//! file is where its record says, with its own content, and no file is lost or
//! duplicated: the files on disk are exactly the library's present paths plus the
//! bin's, and a content is gone only if a purge was asked for it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use haul_e2e::{haul_bin, test_bytes};
use serde_json::Value;
use tokio::process::Command;

const FILES: u64 = 40;
const OPERATIONS: usize = 200;

struct Random(u64);

impl Random {
    fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}

async fn haul_json(data: &Path, args: &[&str]) -> Value {
    let output = Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "haul {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn files_under(dir: &Path, out: &mut BTreeSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let entry = entry.unwrap();
        let path = entry.path();
        if entry.file_type().unwrap().is_dir() {
            files_under(&path, out);
        } else {
            out.insert(path);
        }
    }
}

/// Reads the library and the bin (each start-up settles interrupted moves first)
/// and checks them against the disk. Returns the present ids and the binned ids.
async fn check(
    data: &Path,
    folder: &Path,
    contents: &HashMap<String, u64>,
    purge_asked: &HashSet<u64>,
) -> (Vec<i64>, Vec<i64>) {
    let bin = haul_json(data, &["bin", "list", "--json"]).await;
    let present = haul_json(data, &["library", "list", "--json"]).await;
    let mut expected_files = BTreeSet::new();
    let mut seen_contents = HashSet::new();
    let mut verify = |path: &str, blake3: &str| {
        let bytes = std::fs::read(path)
            .unwrap_or_else(|e| panic!("the record says {path} exists, but: {e}"));
        assert_eq!(
            blake3::hash(&bytes).to_hex().as_str(),
            blake3,
            "{path} has other content"
        );
        let seed = contents[blake3];
        assert!(
            seen_contents.insert(seed),
            "file {seed} is in the library twice"
        );
        expected_files.insert(PathBuf::from(path));
    };
    let mut present_ids = Vec::new();
    for item in present.as_array().unwrap() {
        verify(
            item["path"].as_str().unwrap(),
            item["blake3"].as_str().unwrap(),
        );
        present_ids.push(item["id"].as_i64().unwrap());
    }
    let mut binned_ids = Vec::new();
    for entry in bin.as_array().unwrap() {
        verify(
            entry["bin_path"].as_str().unwrap(),
            entry["blake3"].as_str().unwrap(),
        );
        binned_ids.push(entry["id"].as_i64().unwrap());
    }
    let mut on_disk = BTreeSet::new();
    files_under(folder, &mut on_disk);
    files_under(&data.join("bin"), &mut on_disk);
    assert_eq!(on_disk, expected_files, "the disk and the records disagree");
    for seed in 0..FILES {
        if !seen_contents.contains(&seed) {
            assert!(
                purge_asked.contains(&seed),
                "file {seed} was lost without a purge"
            );
        }
    }
    (present_ids, binned_ids)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bin_never_loses_or_duplicates_a_file_under_sigkill() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("bin kill harness seed {seed}");
    let mut random = Random(seed);
    let data = tempfile::tempdir().unwrap();
    let folder = tempfile::tempdir().unwrap();
    let mut contents = HashMap::new();
    for n in 0..FILES {
        let bytes = test_bytes(64 * 1024 + n as usize, n + 1);
        contents.insert(blake3::hash(&bytes).to_hex().to_string(), n);
        let sub = folder.path().join(format!("album-{}", n % 4));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join(format!("photo-{n}.bin")), bytes).unwrap();
    }
    let folder_text = folder.path().display().to_string();
    let added = Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data.path())
        .args(["library", "add", &folder_text])
        .output()
        .await
        .unwrap();
    assert!(added.status.success());

    let seed_of_id = |items: &Value, id: i64| -> u64 {
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap();
        contents[item["blake3"].as_str().unwrap()]
    };
    let mut purge_asked = HashSet::new();
    let (mut killed, mut finished) = (0, 0);
    let (mut present, mut binned) =
        check(data.path(), folder.path(), &contents, &purge_asked).await;
    assert_eq!(present.len() as u64, FILES);
    // How long a command takes on this machine now (start-up dominates): the
    // kills land at random moments within one and a half of that.
    let mut runs = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        haul_json(data.path(), &["bin", "list", "--json"]).await;
        runs.push(started.elapsed());
    }
    runs.sort();
    let window = u64::try_from(runs[3].as_micros() * 3 / 2).unwrap_or(45_000);
    for _ in 0..OPERATIONS {
        let choice = random.next(100);
        let mut args: Vec<String>;
        if (choice < 45 || binned.is_empty()) && !present.is_empty() {
            args = vec!["library".into(), "rm".into()];
            for _ in 0..=random.next(3) {
                args.push(present[random.next(present.len() as u64) as usize].to_string());
            }
        } else if (choice < 85 || present.is_empty()) && !binned.is_empty() {
            args = vec!["bin".into(), "restore".into()];
            args.push(binned[random.next(binned.len() as u64) as usize].to_string());
        } else if !binned.is_empty() {
            let id = binned[random.next(binned.len() as u64) as usize];
            let bin = haul_json(data.path(), &["bin", "list", "--json"]).await;
            purge_asked.insert(seed_of_id(&bin, id));
            args = vec!["bin".into(), "purge".into(), id.to_string()];
        } else {
            break;
        }
        args.dedup();
        let mut child = Command::new(haul_bin())
            .arg("--data-dir")
            .arg(data.path())
            .args(&args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // A random moment within a command's usual run: the kill's timing is the
        // experiment, not a synchronisation.
        let moment = Duration::from_micros(random.next(window));
        tokio::select! {
            _ = child.wait() => finished += 1,
            () = tokio::time::sleep(moment) => {
                let _ = child.start_kill();
                let _ = child.wait().await;
                killed += 1;
            }
        }
        (present, binned) = check(data.path(), folder.path(), &contents, &purge_asked).await;
    }
    let mut logs = BTreeSet::new();
    files_under(&data.path().join("logs"), &mut logs);
    let settled: usize = logs
        .iter()
        .map(|log| {
            std::fs::read_to_string(log)
                .unwrap_or_default()
                .matches("a stop cut short")
                .count()
        })
        .sum();
    eprintln!(
        "{killed} operations killed, {finished} finished, {settled} interrupted moves settled at start-up \
         (kills within {window} µs)"
    );
    assert!(
        killed >= 40,
        "too few kills landed ({killed}) to test anything"
    );
    assert!(finished >= 20, "too few operations finished ({finished})");
}
