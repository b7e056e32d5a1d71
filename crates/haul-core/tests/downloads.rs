//! The downloads service against a real HTTP server on 127.0.0.1 and a real SQLite
//! file: exact bytes, pause/resume, crash/resume, servers that ignore ranges or
//! change the file.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use haul_core::{AddOptions, Core, CoreEvent, DownloadState, ErrorCode, OpenMode, Settings};
use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::test_bytes;

const MIB: u64 = 1 << 20;
/// Generous: only reached when something is broken.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Into `dir` over one connection, so the server's request log reads simply.
fn one_connection(dir: &Path) -> AddOptions {
    AddOptions {
        dir: Some(dir.to_path_buf()),
        connections: Some(1),
        ..AddOptions::default()
    }
}

fn into(dir: &Path) -> AddOptions {
    AddOptions {
        dir: Some(dir.to_path_buf()),
        ..AddOptions::default()
    }
}

async fn open(data: &Path) -> Core {
    Core::open(data, OpenMode::Worker { autostart: true })
        .await
        .unwrap()
}

/// Waits (on the event bus, not on time) until download `id` has durably recorded
/// at least `min` bytes.
async fn wait_for_checkpoint(core: &Core, id: i64, min: u64) {
    let mut events = core.events().subscribe();
    if core.downloads().get(id).await.unwrap().received_bytes >= min {
        return;
    }
    tokio::time::timeout(TIMEOUT, async {
        loop {
            match events.recv().await {
                Ok(CoreEvent::DownloadCheckpoint {
                    id: got,
                    received_bytes,
                }) if got == id && received_bytes >= min => return,
                Ok(_) => {}
                Err(error) => panic!("event bus: {error}"),
            }
        }
    })
    .await
    .expect("no checkpoint reached the hold point");
}

async fn wait_settled(core: &Core, id: i64) -> haul_core::DownloadView {
    tokio::time::timeout(TIMEOUT, core.downloads().wait(id))
        .await
        .expect("download did not settle")
        .unwrap()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_download_completes_with_the_exact_bytes_under_a_safe_name() {
    let body = test_bytes(3 * MIB as usize + 123, 1);
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            content_disposition: Some("attachment; filename=\"../../evil\u{202E}name.bin\"".into()),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let added = core
        .downloads()
        .add(&server.url("/x/file.bin"), &one_connection(target.path()))
        .await
        .unwrap();
    let done = wait_settled(&core, added.id).await;

    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(done.file_name, "evilname.bin");
    assert_eq!(done.received_bytes, body.len() as u64);
    assert_eq!(done.total_bytes, Some(body.len() as u64));
    assert_eq!(read(&target.path().join("evilname.bin")), body);
    assert_eq!(files_in(target.path()), vec!["evilname.bin"]);
}

#[tokio::test]
async fn pause_then_resume_continues_from_the_byte_reached() {
    let body = test_bytes(4 * MIB as usize, 2);
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let added = core
        .downloads()
        .add(&server.url("big.bin"), &one_connection(target.path()))
        .await
        .unwrap();
    wait_for_checkpoint(&core, added.id, MIB).await;
    let paused = core.downloads().pause(added.id).await.unwrap();
    assert_eq!(paused.state, DownloadState::Paused);
    assert_eq!(paused.received_bytes, MIB);
    // The partial file is allocated to full size; its first MiB is the data.
    let part = read(&target.path().join("big.bin.part"));
    assert_eq!(part.len(), body.len());
    assert_eq!(&part[..MIB as usize], &body[..MIB as usize]);
    assert!(core.downloads().snapshot().transfers.is_empty());

    server.release();
    core.downloads().resume(added.id).await.unwrap();
    let done = wait_settled(&core, added.id).await;
    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("big.bin")), body);

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].range.as_deref(), Some("bytes=0-"));
    assert_eq!(requests[1].range.as_deref(), Some("bytes=1048576-4194303"));
    assert_eq!(requests[1].if_range.as_deref(), Some("\"v1\""));
    assert_eq!(requests[1].status, 206);
}

#[tokio::test]
async fn a_dropped_core_resumes_in_a_new_one_on_the_same_data_folder() {
    let body = test_bytes(4 * MIB as usize + 7, 3);
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(2 * MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();

    let core = open(data.path()).await;
    let id = core
        .downloads()
        .add(&server.url("crash.bin"), &one_connection(target.path()))
        .await
        .unwrap()
        .id;
    wait_for_checkpoint(&core, id, 2 * MIB).await;
    drop(core); // as a crash: no shutdown, workers abandoned

    server.release();
    let core = open(data.path()).await;
    let done = wait_settled(&core, id).await;
    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("crash.bin")), body);
    assert_eq!(files_in(target.path()), vec!["crash.bin"]);
    let requests = server.requests();
    assert_eq!(
        requests.last().unwrap().range.as_deref(),
        Some("bytes=2097152-4194310")
    );
    assert_eq!(core.downloads().list().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_server_that_answers_200_to_a_range_restarts_the_file_cleanly() {
    let body = test_bytes(3 * MIB as usize, 4);
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            honour_ranges: false,
            hold_after: Some(MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let id = core
        .downloads()
        .add(&server.url("norange.bin"), &one_connection(target.path()))
        .await
        .unwrap()
        .id;
    wait_for_checkpoint(&core, id, MIB).await;
    core.downloads().pause(id).await.unwrap();
    server.release();
    core.downloads().resume(id).await.unwrap();
    let done = wait_settled(&core, id).await;

    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("norange.bin")), body);
    let requests = server.requests();
    assert_eq!(requests[1].range.as_deref(), Some("bytes=1048576-3145727"));
    assert_eq!(requests[1].status, 200);
}

#[tokio::test]
async fn a_file_changed_on_the_server_is_fetched_again_not_spliced() {
    let old = test_bytes(3 * MIB as usize, 5);
    let new = test_bytes(2 * MIB as usize + 5, 6);
    let server = FileServer::start(
        old,
        Behaviour {
            hold_after: Some(MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let id = core
        .downloads()
        .add(&server.url("v.bin"), &one_connection(target.path()))
        .await
        .unwrap()
        .id;
    wait_for_checkpoint(&core, id, MIB).await;
    core.downloads().pause(id).await.unwrap();
    server.replace_body(new.clone(), "\"v2\"");
    server.release();
    core.downloads().resume(id).await.unwrap();
    let done = wait_settled(&core, id).await;

    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("v.bin")), new);
    assert_eq!(
        server.requests()[1].status,
        200,
        "If-Range must not match the new ETag"
    );
}

#[tokio::test]
async fn errors_carry_their_code_and_are_kept_on_the_download() {
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
    let core = open(data.path()).await;

    for bad in [
        "",
        "not a url",
        "ftp://127.0.0.1/file",
        "file:///etc/passwd",
    ] {
        let error = core
            .downloads()
            .add(bad, &one_connection(target.path()))
            .await
            .unwrap_err();
        assert_eq!(
            error.code,
            ErrorCode::InvalidUrl,
            "{bad:?}: {}",
            error.message
        );
    }

    let id = core
        .downloads()
        .add(&server.url("missing.bin"), &one_connection(target.path()))
        .await
        .unwrap()
        .id;
    let failed = wait_settled(&core, id).await;
    assert_eq!(failed.state, DownloadState::Failed);
    let error = failed.error.expect("a failed download keeps its error");
    assert_eq!(error.code, ErrorCode::HttpStatus);
    assert!(error.message.contains("404"), "{}", error.message);
    assert!(
        files_in(target.path()).is_empty(),
        "nothing is created for a 404"
    );

    let missing = core.downloads().pause(9999).await.unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_same_link_is_not_added_twice_and_remove_deletes_files_only_when_asked() {
    let body = test_bytes(MIB as usize, 7);
    let server = FileServer::start(body.clone(), Behaviour::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;
    let url = server.url("same.bin");

    let first = core
        .downloads()
        .add(&url, &one_connection(target.path()))
        .await
        .unwrap();
    let again = core
        .downloads()
        .add(&url, &one_connection(target.path()))
        .await
        .unwrap();
    assert_eq!(first.id, again.id);
    wait_settled(&core, first.id).await;

    // Once finished, adding it again is a new download with its own name.
    let second = core
        .downloads()
        .add(&url, &one_connection(target.path()))
        .await
        .unwrap();
    assert_ne!(second.id, first.id);
    let second = wait_settled(&core, second.id).await;
    assert_eq!(second.file_name, "same (1).bin");

    core.downloads().remove(first.id, false).await.unwrap();
    assert!(target.path().join("same.bin").exists());
    core.downloads().remove(second.id, true).await.unwrap();
    assert!(!target.path().join("same (1).bin").exists());
    assert!(core.downloads().list().await.unwrap().is_empty());
    let gone = core.downloads().get(first.id).await.unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn cancel_deletes_the_partial_file() {
    let body = test_bytes(2 * MIB as usize, 8);
    let server = FileServer::start(
        body,
        Behaviour {
            hold_after: Some(MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let id = core
        .downloads()
        .add(&server.url("c.bin"), &one_connection(target.path()))
        .await
        .unwrap()
        .id;
    wait_for_checkpoint(&core, id, MIB).await;
    let cancelled = core.downloads().cancel(id).await.unwrap();
    assert_eq!(cancelled.state, DownloadState::Cancelled);
    assert!(files_in(target.path()).is_empty());
    let error = core.downloads().resume(id).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidState);
}

#[tokio::test]
async fn settings_are_validated_saved_and_read_back() {
    let data = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;
    let bad = Settings {
        max_active_downloads: 0,
        ..core.settings()
    };
    let error = core.update_settings(bad).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidSetting);
    assert!(error.message.contains("maxActiveDownloads"));
    let mut bad = core.settings();
    bad.debrid.alldebrid_url = "ftp://nowhere".into();
    let error = core.update_settings(bad).await.unwrap_err();
    assert!(
        error.message.contains("debrid.alldebridUrl"),
        "{}",
        error.message
    );
    let mut bad = core.settings();
    bad.debrid.rules.include = vec!["[".into()];
    let error = core.update_settings(bad).await.unwrap_err();
    assert!(
        error.message.contains("debrid.rules.include"),
        "{}",
        error.message
    );

    let good = Settings {
        download_dir: data.path().join("dl").display().to_string(),
        max_active_downloads: 2,
        connections_per_download: 4,
        speed_limit: 2 << 20,
        theme: haul_core::Theme::Dark,
        notifications: false,
        debrid: haul_core::DebridSettings {
            provider: haul_core::Provider::TorBox,
            alldebrid_url: "http://127.0.0.1:9/proxy".into(),
            ..haul_core::DebridSettings::default()
        },
        desktop: haul_core::DesktopSettings {
            close_to_tray: false,
            watch_clipboard: true,
            start_at_login: false,
        },
        library: haul_core::LibrarySettings {
            threads: 1,
            bin_retention_days: 7,
        },
        faces: haul_core::FacesSettings::default(),
        sources: haul_core::settings::SourcesSettings::default(),
        updates: haul_core::UpdateSettings {
            endpoint: "http://127.0.0.1:9/latest.json".into(),
            check_on_start: false,
        },
    };
    core.update_settings(good.clone()).await.unwrap();
    core.shutdown().await;
    drop(core);
    let core = open(data.path()).await;
    assert_eq!(core.settings(), good);
}

#[tokio::test]
async fn a_second_worker_on_the_same_folder_is_refused_but_a_reader_is_not() {
    let data = tempfile::tempdir().unwrap();
    let _core = open(data.path()).await;
    let reader = Core::open(data.path(), OpenMode::ReadOnly).await.unwrap();
    assert!(reader.downloads().list().await.unwrap().is_empty());
    let refused = reader
        .downloads()
        .add("http://127.0.0.1/x", &AddOptions::default())
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
}

#[tokio::test]
async fn eight_connections_fetch_disjoint_ranges_into_the_exact_bytes() {
    let body = test_bytes(16 * MIB as usize + 5, 10);
    let server = FileServer::start(body.clone(), Behaviour::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;
    let options = AddOptions {
        connections: Some(8),
        ..into(target.path())
    };
    let id = core
        .downloads()
        .add(&server.url("multi.bin"), &options)
        .await
        .unwrap()
        .id;
    let done = wait_settled(&core, id).await;

    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("multi.bin")), body);
    let requests = server.requests();
    assert!(requests.len() >= 8, "{requests:?}");
    // With several connections the first request asks for the first MiB only:
    // one running to the end would be cut off, wasting what the server sent.
    assert_eq!(requests[0].range.as_deref(), Some("bytes=0-1048575"));
    assert!(
        requests[1..].iter().all(|r| r.status == 206),
        "{requests:?}"
    );
    // The ranges after the probe are closed and disjoint, except a range split off
    // another's tail: it lies strictly inside the request that tail was part of.
    let mut ranges: Vec<(u64, u64)> = requests[1..]
        .iter()
        .filter_map(|r| {
            let (start, last) = r
                .range
                .as_deref()?
                .strip_prefix("bytes=")?
                .split_once('-')?;
            Some((start.parse().ok()?, last.parse().ok()?))
        })
        .collect();
    assert_eq!(ranges.len(), requests.len() - 1, "{requests:?}");
    ranges.sort_unstable();
    for (i, range) in ranges.iter().enumerate() {
        for earlier in ranges[..i].iter().filter(|earlier| range.0 <= earlier.1) {
            assert!(
                range.0 > earlier.0 && range.1 <= earlier.1,
                "{range:?} overlaps {earlier:?} without being a split of its tail"
            );
        }
    }
}

#[tokio::test]
async fn a_slow_range_is_split_by_the_connections_that_finished() {
    let body = test_bytes(32 * MIB as usize, 11);
    // After the first MiB (the first request's), the rest is planned as 4 ranges of
    // 7.75 MiB. The first of them stalls after 1 MiB; the other three finish.
    let held = MIB..MIB + 31 * MIB / 4;
    let server = FileServer::start(
        body.clone(),
        Behaviour {
            hold_after: Some(MIB),
            hold_from: held.start,
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;
    let options = AddOptions {
        connections: Some(4),
        ..into(target.path())
    };
    let id = core
        .downloads()
        .add(&server.url("tail.bin"), &options)
        .await
        .unwrap()
        .id;
    // Without splitting, at most 32 - 7 = 25 MiB could arrive while the first range
    // is held; the free connections must take over its tail.
    wait_for_checkpoint(&core, id, 29 * MIB).await;
    let stolen = server
        .requests()
        .iter()
        .filter_map(|r| {
            r.range
                .as_deref()?
                .strip_prefix("bytes=")?
                .split('-')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .filter(|start| *start > held.start && held.contains(start))
        .count();
    assert!(stolen >= 1, "{:?}", server.requests());

    server.release();
    let done = wait_settled(&core, id).await;
    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("tail.bin")), body);
}

#[tokio::test]
async fn a_checksum_mismatch_fails_with_both_values_and_no_file_is_published() {
    let body = test_bytes(2 * MIB as usize, 12);
    let server = FileServer::start(body.clone(), Behaviour::default())
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;

    let wrong = "0".repeat(64);
    let options = AddOptions {
        sha256: Some(wrong.clone()),
        ..into(target.path())
    };
    let id = core
        .downloads()
        .add(&server.url("sum.bin"), &options)
        .await
        .unwrap()
        .id;
    let failed = wait_settled(&core, id).await;
    assert_eq!(failed.state, DownloadState::Failed);
    let error = failed.error.unwrap();
    assert_eq!(error.code, ErrorCode::ChecksumMismatch);
    assert!(error.message.contains(&wrong), "{}", error.message);
    assert!(
        error.message.contains(&haul_e2e::sha256_hex(&body)),
        "{}",
        error.message
    );
    assert!(
        !target.path().join("sum.bin").exists(),
        "never wrong bytes under the final name"
    );

    let mut events = core.events().subscribe();
    let right = AddOptions {
        sha256: Some(haul_e2e::sha256_hex(&body).to_uppercase()),
        ..into(target.path())
    };
    core.downloads().remove(id, true).await.unwrap();
    let id = core
        .downloads()
        .add(&server.url("sum.bin"), &right)
        .await
        .unwrap()
        .id;
    let done = wait_settled(&core, id).await;
    assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    assert_eq!(read(&target.path().join("sum.bin")), body);
    let mut verified = false;
    while let Ok(event) = events.try_recv() {
        verified |= event
            == CoreEvent::DownloadChanged {
                id,
                state: DownloadState::Verifying,
            };
    }
    assert!(verified, "the download passed through the verifying state");

    let bad = AddOptions {
        sha256: Some("xyz".into()),
        ..into(target.path())
    };
    let refused = core
        .downloads()
        .add(&server.url("other.bin"), &bad)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput);
}

#[tokio::test]
async fn the_queue_runs_in_order_and_can_be_reordered_paused_and_resumed() {
    let body = test_bytes(2 * MIB as usize, 13);
    let server = FileServer::start(
        body,
        Behaviour {
            hold_after: Some(MIB),
            ..Behaviour::default()
        },
    )
    .await
    .unwrap();
    let data = tempfile::tempdir().unwrap();
    let target = tempfile::tempdir().unwrap();
    let core = open(data.path()).await;
    core.update_settings(Settings {
        max_active_downloads: 1,
        ..core.settings()
    })
    .await
    .unwrap();

    let mut ids = Vec::new();
    for name in ["a.bin", "b.bin", "c.bin"] {
        ids.push(
            core.downloads()
                .add(&server.url(name), &one_connection(target.path()))
                .await
                .unwrap()
                .id,
        );
    }
    let states = async || -> Vec<(i64, DownloadState)> {
        core.downloads()
            .list()
            .await
            .unwrap()
            .iter()
            .map(|d| (d.id, d.state))
            .collect()
    };
    assert_eq!(
        states().await,
        vec![
            (ids[0], DownloadState::Active),
            (ids[1], DownloadState::Queued),
            (ids[2], DownloadState::Queued)
        ]
    );
    core.downloads()
        .move_in_queue(ids[2], haul_core::MoveDirection::Up)
        .await
        .unwrap();
    let order: Vec<i64> = states().await.iter().map(|(id, _)| *id).collect();
    assert_eq!(order, vec![ids[0], ids[2], ids[1]]);

    core.downloads().pause_all().await.unwrap();
    assert!(
        states()
            .await
            .iter()
            .all(|(_, s)| *s == DownloadState::Paused)
    );

    server.release();
    core.downloads().resume_all().await.unwrap();
    for id in &ids {
        let done = wait_settled(&core, *id).await;
        assert_eq!(done.state, DownloadState::Completed, "{:?}", done.error);
    }
}
