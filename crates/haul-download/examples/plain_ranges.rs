//! The benchmark's baseline: the plainest fast downloader, a reqwest + tokio loop
//! that fetches N byte ranges at once and writes each where it belongs. No resume,
//! no fsync, no retries, no limits: what Haul's bookkeeping is measured against
//! (`cargo xtask bench download`). With `sync`, the file is flushed to disk once at
//! the end, the least a download that promises its file is on disk must do.
//!
//! usage: plain_ranges URL OUT CONNECTIONS [sync]

use std::io::SeekFrom;

use futures_util::StreamExt;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(out), Some(connections)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: plain_ranges URL OUT CONNECTIONS [sync]".into());
    };
    let sync = args.next().is_some_and(|a| a == "sync");
    let connections: u64 = connections.parse()?;
    let client = reqwest::Client::new();
    // The header itself: reqwest's content_length() is the body's, 0 for HEAD.
    let head = client.head(&url).send().await?.error_for_status()?;
    let total: u64 = head
        .headers()
        .get(reqwest::header::CONTENT_LENGTH)
        .ok_or("no Content-Length")?
        .to_str()?
        .parse()?;
    let file = tokio::fs::File::create(&out).await?;
    file.set_len(total).await?;
    drop(file);
    let share = total.div_ceil(connections);
    let mut tasks = Vec::new();
    for i in 0..connections {
        let (start, end) = (i * share, ((i + 1) * share).min(total));
        if start >= end {
            break;
        }
        let (client, url, out) = (client.clone(), url.clone(), out.clone());
        tasks.push(tokio::spawn(async move {
            let response = client
                .get(&url)
                .header("Range", format!("bytes={start}-{}", end - 1))
                .send()
                .await?
                .error_for_status()?;
            if response.status() != reqwest::StatusCode::PARTIAL_CONTENT {
                return Err("the server ignored the range".into());
            }
            let mut file = tokio::fs::OpenOptions::new().write(true).open(&out).await?;
            file.seek(SeekFrom::Start(start)).await?;
            let mut body = response.bytes_stream();
            while let Some(chunk) = body.next().await {
                file.write_all(&chunk?).await?;
            }
            file.flush().await?;
            Ok::<_, Failure>(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    if sync {
        tokio::fs::OpenOptions::new()
            .write(true)
            .open(&out)
            .await?
            .sync_data()
            .await?;
    }
    Ok(())
}
