//! A real `haul serve` for tests: a data folder with a password set through
//! `--init` on stdin, the server on 127.0.0.1 with a free port, stopped on drop.

// Test support: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::haul_bin;

pub const PASSWORD: &str = "correct horse battery staple 42";

/// Runs `haul --data-dir DATA ARGS…` to completion with `stdin` as input.
pub fn haul_with_stdin(data: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(haul_bin())
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A data folder whose settings point downloads at `downloads`, with the
/// password set.
pub fn prepare(data: &Path, downloads: &Path) {
    std::fs::write(
        data.join("settings.json"),
        serde_json::json!({ "downloadDir": downloads, "updates": { "checkOnStart": false } })
            .to_string(),
    )
    .unwrap();
    let out = haul_with_stdin(data, &["serve", "--init"], &format!("{PASSWORD}\n"));
    assert!(
        out.status.success(),
        "serve --init: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub struct Served {
    pub child: Child,
    /// `http://127.0.0.1:PORT` (or https).
    pub url: String,
    pub stderr: PathBuf,
}

impl Served {
    /// Starts `haul serve --listen 127.0.0.1:0 EXTRA…` and waits for its address.
    pub fn start(data: &Path, extra: &[&str]) -> Self {
        let stderr = data.join("serve-stderr.txt");
        let mut child = Command::new(haul_bin())
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr).unwrap())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "haul serve did not start: {line:?} {}",
                    std::fs::read_to_string(&stderr).unwrap_or_default()
                )
            })
            .to_string();
        Self { child, url, stderr }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
