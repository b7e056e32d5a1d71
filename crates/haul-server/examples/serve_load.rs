//! The load behind `cargo xtask bench serve`: STREAMS event streams held open
//! (browsers' worth) while API reads arrive at RATE per second for SECONDS,
//! against a running `haul serve`, with a download in progress so every stream
//! carries progress snapshots. Prints latencies, errors and the server's
//! memory (from /proc).
//!
//! serve_load URL TOKEN SERVER_PID [STREAMS RATE SECONDS]

// A benchmark program: a failed unwrap ends the run with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A server that sends a 4 GiB body slowly: the download stays active all run.
async fn slow_file_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                continue;
            };
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\nContent-Length: 4294967296\r\n\
                            Content-Type: application/octet-stream\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![0x5au8; 64 * 1024];
                loop {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            });
        }
    });
    format!("http://{address}/big.bin")
}

fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let base = args[1].trim_end_matches('/').to_string();
    let token = args[2].clone();
    let pid: u32 = args[3].parse().unwrap();
    let streams: usize = args.get(4).and_then(|v| v.parse().ok()).unwrap_or(200);
    let rate: u64 = args.get(5).and_then(|v| v.parse().ok()).unwrap_or(1000);
    let seconds: u64 = args.get(6).and_then(|v| v.parse().ok()).unwrap_or(60);
    let auth = format!("Bearer {token}");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()
        .unwrap();

    let file = slow_file_server().await;
    let added = client
        .post(format!("{base}/api/downloads"))
        .header("authorization", &auth)
        .json(&json!({ "url": file }))
        .send()
        .await
        .unwrap();
    assert!(
        added.status().is_success(),
        "cannot add the download: {}",
        added.status()
    );

    let errors = Arc::new(AtomicU64::new(0));
    let events = Arc::new(AtomicU64::new(0));
    let idle_rss = rss_kib(pid, "VmRSS:");
    let mut stream_tasks = Vec::new();
    for _ in 0..streams {
        let (client, url, auth) = (client.clone(), format!("{base}/api/events"), auth.clone());
        let (errors, events) = (Arc::clone(&errors), Arc::clone(&events));
        stream_tasks.push(tokio::spawn(async move {
            let response = match client.get(&url).header("authorization", &auth).send().await {
                Ok(r) if r.status().is_success() => r,
                _ => {
                    errors.fetch_add(1, Ordering::Relaxed);
                    return;
                }
            };
            let mut body = response.bytes_stream();
            while let Some(chunk) = body.next().await {
                match chunk {
                    Ok(bytes) => {
                        let n = bytes.windows(7).filter(|w| w == b"event: ").count() as u64;
                        events.fetch_add(n, Ordering::Relaxed);
                    }
                    Err(_) => {
                        errors.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
        }));
    }

    // API reads, open loop: one every 1/RATE s, whatever the last one took.
    let reads: [(&str, &str, Option<serde_json::Value>); 5] = [
        ("GET", "/api/downloads", None),
        (
            "POST",
            "/api/rpc/library_list",
            Some(json!({ "query": { "limit": 100 } })),
        ),
        ("POST", "/api/rpc/sources_list", Some(json!({}))),
        ("GET", "/api/session", None),
        (
            "POST",
            "/api/rpc/history_search",
            Some(json!({ "query": { "limit": 50 } })),
        ),
    ];
    let latencies = Arc::new(std::sync::Mutex::new(Vec::new()));
    let started = Instant::now();
    let total = rate * seconds;
    let mut ticker = tokio::time::interval(Duration::from_nanos(1_000_000_000 / rate));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut peak_rss = 0;
    let mut requests = Vec::new();
    for n in 0..total {
        ticker.tick().await;
        if n % rate == 0 {
            peak_rss = peak_rss.max(rss_kib(pid, "VmRSS:"));
        }
        let (method, path, body) = &reads[(n % reads.len() as u64) as usize];
        let mut request = client
            .request(method.parse().unwrap(), format!("{base}{path}"))
            .header("authorization", &auth);
        if let Some(body) = body {
            request = request.json(body);
        }
        let (errors, latencies) = (Arc::clone(&errors), Arc::clone(&latencies));
        requests.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = match request.send().await {
                Ok(response) => response.status().is_success() && response.bytes().await.is_ok(),
                Err(_) => false,
            };
            if ok {
                latencies.lock().unwrap().push(sent.elapsed());
            } else {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for request in requests {
        let _ = request.await;
    }
    let elapsed = started.elapsed();
    let streams_alive = stream_tasks.iter().filter(|t| !t.is_finished()).count();
    for task in &stream_tasks {
        task.abort();
    }
    let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "\nhaul serve under load: {streams} event streams, {rate} API reads/s for {seconds} s"
    );
    println!(
        "  reads: {} done in {:.1} s ({:.0}/s), errors: {}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    );
    println!(
        "  latency: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!(
        "  event streams still open at the end: {streams_alive}/{streams}, events received: {}",
        events.load(Ordering::Relaxed)
    );
    println!(
        "  server memory: {:.1} MiB before, {:.1} MiB peak RSS during (VmHWM {:.1} MiB)",
        idle_rss as f64 / 1024.0,
        peak_rss as f64 / 1024.0,
        rss_kib(pid, "VmHWM:") as f64 / 1024.0
    );
    if errors.load(Ordering::Relaxed) > 0 || streams_alive < streams {
        std::process::exit(1);
    }
}
