//! The engine against a fault-injecting server on 127.0.0.1: every fault ends with
//! the exact bytes or a typed error, never wrong bytes under the final name, and
//! recorded progress never claims bytes that are not on disk.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use haul_download::{
    Checkpoint, CheckpointError, Error, ExpectedHash, HashAlgorithm, LiveCounters, Options,
    Outcome, ResumeState, Signal, Transfer, http_client, run,
};
use haul_e2e::file_server::{Behaviour, Failure, FileServer};
use haul_e2e::{sha256_hex, test_bytes};
use tokio::sync::watch;

const MIB: usize = 1 << 20;

/// Keeps every saved state and checks, at each save, that the recorded segments
/// are on disk: the bytes they claim match the file's bytes.
struct Recorder<'a> {
    part: std::path::PathBuf,
    body: &'a [u8],
    saves: Mutex<Vec<ResumeState>>,
    /// The last state saved.
    latest: watch::Sender<ResumeState>,
}

impl<'a> Recorder<'a> {
    fn new(part: std::path::PathBuf, body: &'a [u8]) -> Self {
        Self {
            part,
            body,
            saves: Mutex::new(Vec::new()),
            latest: watch::channel(ResumeState::default()).0,
        }
    }
}

impl Checkpoint for Recorder<'_> {
    async fn save(&self, state: &ResumeState) -> Result<(), CheckpointError> {
        if let Ok(disk) = std::fs::read(&self.part) {
            for segment in state.segments.iter().filter(|s| s.received > 0) {
                let (from, to) = (segment.start as usize, segment.position() as usize);
                if disk.get(from..to) != self.body.get(from..to) && disk.len() >= to {
                    return Err(CheckpointError(format!(
                        "recorded {from}..{to} does not match the disk"
                    )));
                }
            }
        }
        self.saves.lock().unwrap().push(state.clone());
        self.latest.send_replace(state.clone());
        Ok(())
    }
}

struct Run {
    result: Result<Outcome, Error>,
    state: ResumeState,
}

async fn fetch(server: &FileServer, dir: &Path, body: &[u8], options: Options) -> Run {
    fetch_alongside(server, dir, body, options, |_| std::future::ready(())).await
}

/// One fetch, with `alongside` running beside it; it is handed the states the
/// transfer saves.
async fn fetch_alongside<F: Future<Output = ()>>(
    server: &FileServer,
    dir: &Path,
    body: &[u8],
    options: Options,
    alongside: impl FnOnce(watch::Receiver<ResumeState>) -> F,
) -> Run {
    let mut transfer = Transfer {
        headers: Default::default(),
        url: server.url("file.bin").parse().unwrap(),
        dir: dir.to_path_buf(),
        state: ResumeState::default(),
    };
    let (_control, control_rx) = watch::channel(Signal::Run);
    let recorder = Recorder::new(dir.join("file.bin.part"), body);
    let saved = recorder.latest.subscribe();
    let client = http_client().unwrap();
    let live = LiveCounters::default();
    let downloading = run(
        &client,
        &mut transfer,
        &control_rx,
        &live,
        &recorder,
        &options,
    );
    let (result, ()) = tokio::time::timeout(Duration::from_secs(120), async {
        tokio::join!(downloading, alongside(saved))
    })
    .await
    .expect("the transfer neither finished nor failed");
    Run {
        result,
        state: transfer.state,
    }
}

/// A server answering with `behaviour`, and one fetch of `body` from it into a
/// folder of its own.
async fn serve_and_fetch(
    body: &[u8],
    behaviour: Behaviour,
    options: Options,
) -> (FileServer, tempfile::TempDir, Run) {
    let server = FileServer::start(body.to_vec(), behaviour).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = fetch(&server, dir.path(), body, options).await;
    (server, dir, run)
}

fn assert_exact(dir: &Path, body: &[u8], run: &Run) {
    match &run.result {
        Ok(Outcome::Completed { path, bytes }) => {
            assert_eq!(*bytes, body.len() as u64);
            let file = std::fs::read(path).unwrap();
            assert_eq!(sha256_hex(&file), sha256_hex(body));
            assert!(!dir.join("file.bin.part").exists());
        }
        other => panic!("expected completion, got {other:?}"),
    }
}

fn options(connections: usize) -> Options {
    Options {
        connections,
        ..Options::default()
    }
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_continues_from_its_checkpoint() {
    let body = test_bytes(6 * MIB + 9, 20);
    let (server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            drop_after: Some((MIB as u64 + 17, 2)),
            ..Behaviour::default()
        },
        options(2),
    )
    .await;
    assert_exact(dir.path(), &body, &run);
    assert!(server.requests().len() >= 4, "{:?}", server.requests());
}

#[tokio::test]
async fn a_server_without_ranges_is_fetched_over_one_connection() {
    let body = test_bytes(5 * MIB, 21);
    let (server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            honour_ranges: false,
            ..Behaviour::default()
        },
        options(8),
    )
    .await;
    assert_exact(dir.path(), &body, &run);
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].status, 200);
}

#[tokio::test]
async fn the_first_request_asks_for_the_first_mib_and_the_requests_cover_the_file() {
    let body = test_bytes(20 * MIB, 23);
    let (server, dir, run) = serve_and_fetch(&body, Behaviour::default(), options(4)).await;
    assert_exact(dir.path(), &body, &run);
    let requests = server.requests();
    assert_eq!(requests[0].range.as_deref(), Some("bytes=0-1048575"));
    // The rest was split among the connections: together they asked for all of it.
    let mut asked: Vec<(u64, u64)> = requests
        .iter()
        .filter_map(|r| {
            let (from, to) = r
                .range
                .as_deref()?
                .strip_prefix("bytes=")?
                .split_once('-')?;
            Some((from.parse().ok()?, to.parse::<u64>().ok()? + 1))
        })
        .collect();
    asked.sort_unstable();
    let mut covered = 0u64;
    for (from, to) in asked {
        assert!(
            from <= covered,
            "nobody asked for {covered}..{from}: {requests:?}"
        );
        covered = covered.max(to);
    }
    assert_eq!(covered, 20 * MIB as u64, "{requests:?}");
}

#[tokio::test]
async fn a_server_that_does_not_tell_the_length_is_asked_for_all_of_it() {
    let body = test_bytes(3 * MIB, 24);
    let (server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            unknown_length: true,
            ..Behaviour::default()
        },
        options(8),
    )
    .await;
    assert_exact(dir.path(), &body, &run);
    let ranges: Vec<_> = server.requests().into_iter().map(|r| r.range).collect();
    assert_eq!(
        ranges,
        [
            Some("bytes=0-1048575".to_string()),
            Some("bytes=0-".to_string())
        ],
        "one bounded probe, then the whole file over one connection"
    );
}

#[tokio::test]
async fn a_wrong_content_range_is_refused_and_nothing_is_published() {
    let body = test_bytes(4 * MIB, 22);
    let (_server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            wrong_content_range: true,
            ..Behaviour::default()
        },
        options(4),
    )
    .await;
    assert!(
        matches!(run.result, Err(Error::RangeMismatch { .. })),
        "{:?}",
        run.result
    );
    assert!(!dir.path().join("file.bin").exists());
}

#[tokio::test]
async fn a_stalled_connection_is_dropped_and_its_range_fetched_again() {
    let body = test_bytes(3 * MIB, 23);
    // The first response stops after 1 MiB and never continues.
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(MIB as u64),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = fetch(
        &server,
        dir.path(),
        &body,
        Options {
            stall_timeout: Duration::from_millis(300),
            ..options(1)
        },
    )
    .await;
    assert_exact(dir.path(), &body, &run);
    let requests = server.requests();
    assert_eq!(requests[1].range.as_deref(), Some("bytes=1048576-3145727"));
}

#[tokio::test]
async fn busy_answers_are_retried_after_the_time_the_server_asks() {
    let body = test_bytes(2 * MIB, 24);
    let (server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            fail_first: Some(Failure {
                status: 503,
                count: 1,
                retry_after: Some(2),
            }),
            ..Behaviour::default()
        },
        options(2),
    )
    .await;
    assert_exact(dir.path(), &body, &run);
    let requests = server.requests();
    assert_eq!(requests[0].status, 503);
    // A lower bound only: the engine must not come back before it was told to.
    let waited = requests[1].at.duration_since(requests[0].at);
    assert!(
        waited >= Duration::from_millis(1900),
        "came back after {waited:?}"
    );

    let limited = FileServer::start(
        body.clone(),
        Behaviour {
            fail_first: Some(Failure {
                status: 429,
                count: 10,
                retry_after: None,
            }),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = fetch(&limited, dir.path(), &body, options(1)).await;
    assert!(
        matches!(run.result, Err(Error::Busy { status: 429, .. })),
        "gives up with a typed error: {:?}",
        run.result
    );
}

#[tokio::test]
async fn a_throttled_server_still_gives_the_exact_bytes() {
    let body = test_bytes(2 * MIB, 25);
    let (_server, dir, run) = serve_and_fetch(
        &body,
        Behaviour {
            rate: Some(4 * MIB as u64),
            ..Behaviour::default()
        },
        options(4),
    )
    .await;
    assert_exact(dir.path(), &body, &run);
}

#[tokio::test]
async fn a_flipped_byte_is_caught_by_the_checksum_and_never_published() {
    let body = test_bytes(3 * MIB, 26);
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            flip_byte: Some(2 * MIB as u64 + 5),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let expected = ExpectedHash::parse(HashAlgorithm::Sha256, &sha256_hex(&body)).unwrap();
    // What the server really sends, for the recorder's on-disk check.
    let mut served = body.clone();
    served[2 * MIB + 5] ^= 0xFF;
    let run = fetch(
        &server,
        dir.path(),
        &served,
        Options {
            expected_hash: Some(expected),
            ..options(4)
        },
    )
    .await;
    match &run.result {
        Err(Error::ChecksumMismatch {
            expected, actual, ..
        }) => {
            assert_eq!(*expected, sha256_hex(&body));
            assert_ne!(expected, actual);
        }
        other => panic!("expected a checksum mismatch, got {other:?}"),
    }
    assert!(!dir.path().join("file.bin").exists());
    assert_eq!(
        run.state.received_bytes(),
        0,
        "a retry fetches the file again"
    );
}

#[tokio::test]
async fn an_etag_and_length_change_between_requests_starts_the_file_over() {
    let old = test_bytes(4 * MIB, 27);
    let new = test_bytes(3 * MIB + 1, 28);
    let server = FileServer::start(
        old.clone(),
        Behaviour {
            hold_after: Some(MIB as u64),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = http_client().unwrap();
    let mut transfer = Transfer {
        headers: Default::default(),
        url: server.url("file.bin").parse().unwrap(),
        dir: dir.path().to_path_buf(),
        state: ResumeState::default(),
    };
    let recorder = Recorder::new(dir.path().join("file.bin.part"), &old);
    let live = LiveCounters::default();
    let (control, control_rx) = watch::channel(Signal::Run);
    let one = options(1);
    // Pause once the held first range has recorded its first MiB.
    let paused = {
        let pause = async {
            loop {
                let recorded = recorder
                    .saves
                    .lock()
                    .unwrap()
                    .last()
                    .map(ResumeState::received_bytes);
                if recorded.is_some_and(|r| r >= MIB as u64) {
                    control.send_replace(Signal::Pause);
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        let (outcome, ()) = tokio::join!(
            run(&client, &mut transfer, &control_rx, &live, &recorder, &one),
            pause
        );
        outcome
    };
    assert_eq!(paused.unwrap(), Outcome::Stopped(Signal::Pause));

    server.replace_body(new.clone(), "\"v2\"");
    server.release();
    control.send_replace(Signal::Run);
    let recorder = Recorder::new(dir.path().join("file.bin.part"), &new);
    let result = run(
        &client,
        &mut transfer,
        &control_rx,
        &live,
        &recorder,
        &options(2),
    )
    .await;
    assert_exact(
        dir.path(),
        &new,
        &Run {
            result,
            state: transfer.state.clone(),
        },
    );
}

/// Connections that have finished their ranges wait while a running range may
/// still turn out slow; when the last range ends they leave at once, not at their
/// next look (an hour away here).
#[tokio::test]
async fn idle_connections_leave_as_soon_as_the_last_range_ends() {
    let body = test_bytes(32 * MIB, 21);
    // After the first MiB, 4 ranges of 7.75 MiB; the first of them is held after
    // its first MiB.
    let held_from = MIB as u64;
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(MIB as u64),
            hold_from: held_from,
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        connections: 4,
        split_after: Duration::from_secs(3600),
        split_recheck: Duration::from_secs(3600),
        ..Options::default()
    };
    let server = &server;
    let run = fetch_alongside(server, dir.path(), &body, options, |mut saved| async move {
        // Release once only the held range is still running.
        saved
            .wait_for(|state| {
                state.segments.len() == 5
                    && state
                        .segments
                        .iter()
                        .filter(|s| s.start != held_from)
                        .all(|s| s.position() >= s.end)
            })
            .await
            .unwrap();
        server.release();
    })
    .await;
    assert_exact(dir.path(), &body, &run);
    assert_eq!(server.requests().len(), 5, "{:?}", server.requests());
}
