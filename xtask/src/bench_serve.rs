//! `cargo xtask bench serve`: a release `haul serve` on 127.0.0.1 under 200
//! browsers' worth of event streams and 1,000 API reads per second for 60 s,
//! with a download running so the streams carry progress; errors, latency
//! percentiles and the server's memory are printed. The load is
//! `crates/haul-server/examples/serve_load.rs`.

use std::io::{BufRead, Write};
use std::process::{Command, Stdio};

use crate::{Result, cargo, run_command, step, target_dir};

const PASSWORD: &str = "bench password for haul serve";

pub fn serve() -> Result {
    step("bench: build haul and the load program (release)");
    run_command(cargo().args(["build", "--release", "-p", "haul-cli"]))?;
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "haul-server",
        "--example",
        "serve_load",
    ]))?;
    let haul = target_dir().join("release/haul");
    let dir = target_dir().join("bench-serve");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let data = dir.join("data");
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    std::fs::write(
        data.join("settings.json"),
        format!(
            "{{\"downloadDir\": {:?}, \"updates\": {{\"checkOnStart\": false}}}}",
            downloads.display().to_string()
        ),
    )
    .map_err(|e| e.to_string())?;
    if let Ok(photos) = crate::setup::test_photos() {
        run_command(
            Command::new(&haul)
                .arg("--data-dir")
                .arg(&data)
                .args(["library", "add"])
                .arg(photos),
        )?;
    }
    let mut init = Command::new(&haul)
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "--init"])
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("haul serve --init: {e}"))?;
    if let Some(mut stdin) = init.stdin.take() {
        writeln!(stdin, "{PASSWORD}").map_err(|e| e.to_string())?;
    }
    if !init.wait().map_err(|e| e.to_string())?.success() {
        return Err("haul serve --init failed".into());
    }
    let token = Command::new(&haul)
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "token", "create", "bench"])
        .output()
        .map_err(|e| format!("haul serve token create: {e}"))?;
    let token = String::from_utf8_lossy(&token.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .trim()
        .to_string();
    let mut server = Command::new(&haul)
        .arg("--data-dir")
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("haul serve: {e}"))?;
    let mut line = String::new();
    if let Some(stdout) = server.stdout.take() {
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
    }
    let Some(url) = line
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_string)
    else {
        let _ = server.kill();
        return Err(format!("haul serve did not start: {line:?}"));
    };
    step("bench serve: 200 event streams, 1,000 API reads/s, 60 s");
    let result = run_command(
        Command::new(target_dir().join("release/examples/serve_load"))
            .arg(&url)
            .arg(&token)
            .arg(server.id().to_string())
            .args(["200", "1000", "60"]),
    );
    let _ = server.kill();
    let _ = server.wait();
    result
}
