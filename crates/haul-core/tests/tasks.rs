//! Debrid tasks through the core against a fake AllDebrid on 127.0.0.1 that speaks
//! the documented wire format, and a real SQLite file: magnets and .torrent files
//! become exact files on disk; provider errors become typed, actionable errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use haul_core::{
    AddTaskOptions, Core, CoreOptions, ErrorCode, FileSelection, MemoryStore, OpenMode,
    ProviderOverrides, SecretStore, TaskState, TaskTimings, TaskView,
};
use haul_debrid::{ProviderKind, Secret};
use haul_e2e::fake_debrid::{FakeServer, FakeTorrent, Fault, alldebrid};
use haul_e2e::test_bytes;

const KEY: &str = "ad-key-7f3c1e0b9a";
const TIMEOUT: Duration = Duration::from_secs(60);

fn fast() -> TaskTimings {
    TaskTimings {
        status_poll: Duration::from_millis(20),
        delayed_poll: Duration::from_millis(20),
        retry_base: Duration::from_millis(20),
    }
}

/// A core whose AllDebrid is the fake, with `key` in an in-memory secret store.
async fn open(data: &Path, server: &FakeServer, key: Option<&str>) -> Core {
    let secrets = Arc::new(MemoryStore::default());
    if let Some(key) = key {
        secrets
            .set("alldebrid-credential", &Secret::new(key))
            .unwrap();
    }
    let mut overrides = ProviderOverrides::default();
    overrides.urls.insert(ProviderKind::AllDebrid, server.url());
    Core::open_with(
        data,
        OpenMode::Worker { autostart: true },
        CoreOptions {
            secrets,
            overrides,
            task_timings: fast(),
        },
    )
    .await
    .unwrap()
}

fn into(dir: &Path) -> AddTaskOptions {
    AddTaskOptions {
        dir: Some(dir.display().to_string()),
        ..AddTaskOptions::default()
    }
}

async fn wait(core: &Core, id: i64) -> TaskView {
    tokio::time::timeout(TIMEOUT, core.tasks().wait(id))
        .await
        .expect("task settles")
        .unwrap()
}

fn show() -> FakeTorrent {
    FakeTorrent::new(
        "Show S01",
        vec![
            ("Show S01/e01.mkv", test_bytes(3 << 20, 1)),
            ("Show S01/e02.mkv", test_bytes(2 << 20, 2)),
            ("Show S01/Subs/en.srt", test_bytes(1000, 3)),
        ],
    )
}

fn file_at(dir: &Path, relative: &str) -> Vec<u8> {
    std::fs::read(dir.join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                out.push(path.strip_prefix(base).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn assert_key_only_in_headers(server: &FakeServer) {
    for request in server.requests() {
        assert!(
            !request.query.contains(KEY) && !request.path.contains(KEY),
            "the key leaked into a URL: {request:?}"
        );
        if !request.path.starts_with("/cdn/") && !request.path.contains("/pin/") {
            assert_eq!(
                request.authorization.as_deref(),
                Some(format!("Bearer {KEY}").as_str()),
                "{request:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_cached_magnet_becomes_exact_files_by_the_rules() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = show();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, Some(KEY)).await;

    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    assert_eq!(task.info_hash, torrent.hash);
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    assert_eq!(task.files.len(), 3);
    assert!(task.files.iter().all(|f| f.selected));
    assert_eq!(task.received_bytes, torrent.total_size());

    assert_eq!(
        tree(downloads.path()),
        [
            "Show S01/Subs/en.srt",
            "Show S01/e01.mkv",
            "Show S01/e02.mkv"
        ]
    );
    for file in &torrent.files {
        assert_eq!(file_at(downloads.path(), &file.path.join("/")), file.bytes);
    }
    assert_key_only_in_headers(&server);
    // Adding the same torrent again is the same task.
    let again = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    assert_eq!(again.id, task.id);
    assert_eq!(core.tasks().list().await.unwrap().len(), 1);
    assert_eq!(server.calls("magnet/upload"), 1);
}

#[tokio::test]
async fn manual_selection_waits_for_the_user_and_downloads_only_the_chosen_files() {
    let server = alldebrid::start(KEY).await.unwrap();
    let mut torrent = show();
    // Not cached: the provider downloads it first, reporting progress.
    torrent.cached = false;
    torrent.polls_before_ready = 3;
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, Some(KEY)).await;

    let options = AddTaskOptions {
        selection: FileSelection::Manual,
        label: Some("tv".into()),
        ..into(downloads.path())
    };
    let task = core.tasks().add(&torrent.magnet(), &options).await.unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Selecting);
    assert_eq!(task.label.as_deref(), Some("tv"));
    assert_eq!(task.provider_status.as_deref(), Some("Ready"));
    let paths: Vec<&str> = task.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "Show S01/e01.mkv",
            "Show S01/e02.mkv",
            "Show S01/Subs/en.srt"
        ]
    );
    assert!(
        server.calls("magnet/status") >= 3,
        "the driver polled while AllDebrid downloaded"
    );

    let error = core.tasks().select_files(task.id, &[]).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    let error = core.tasks().select_files(task.id, &[9]).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);

    core.tasks().select_files(task.id, &[0, 2]).await.unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    assert_eq!(
        tree(downloads.path()),
        ["Show S01/Subs/en.srt", "Show S01/e01.mkv"]
    );
    assert_eq!(
        file_at(downloads.path(), "Show S01/e01.mkv"),
        torrent.files[0].bytes
    );
    assert_eq!(server.calls("link/unlock"), 2);
}

#[tokio::test]
async fn delayed_and_expired_links_are_waited_for_and_unlocked_again() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = show();
    server.know(torrent.clone());
    server.delay_links(1);
    server.refuse_link_once("Show S01/e02.mkv");
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, Some(KEY)).await;

    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    for file in &torrent.files {
        assert_eq!(file_at(downloads.path(), &file.path.join("/")), file.bytes);
    }
    assert!(
        server.calls("link/delayed") >= 2,
        "the delayed link was polled"
    );
    // Three files, and the refused one a second time.
    assert_eq!(server.calls("link/unlock"), 4);
}

#[tokio::test]
async fn a_torrent_file_is_uploaded_and_hostile_names_stay_inside_the_folder() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = FakeTorrent::new(
        "evil",
        vec![
            ("../../escape.txt", test_bytes(100, 1)),
            ("/abs/CON", test_bytes(100, 2)),
            ("dir/a\u{202E}gpj.exe. ", test_bytes(100, 3)),
        ],
    );
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let root = tempfile::tempdir().unwrap();
    let downloads = root.path().join("inside");
    let core = open(data.path(), &server, Some(KEY)).await;

    let file = root.path().join("evil.torrent");
    std::fs::write(&file, single_file_torrent("evil", 300)).unwrap();
    let task = core
        .tasks()
        .add(file.to_str().unwrap(), &into(&downloads))
        .await
        .unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    assert_eq!(server.calls("magnet/upload/file"), 1);
    assert_eq!(tree(root.path()).len(), 4, "{:?}", tree(root.path()));
    assert_eq!(
        tree(&downloads),
        ["evil/abs/_CON", "evil/dir/agpj.exe", "evil/escape.txt"]
    );
    assert_eq!(
        file_at(&downloads, "evil/escape.txt"),
        torrent.files[0].bytes
    );
}

/// A minimal single-file v1 .torrent.
fn single_file_torrent(name: &str, length: u64) -> Vec<u8> {
    let mut info = format!(
        "d6:lengthi{length}e4:name{}:{name}12:piece lengthi16384e6:pieces20:",
        name.len()
    )
    .into_bytes();
    info.extend_from_slice(&[7u8; 20]);
    info.push(b'e');
    let mut out = b"d8:announce22:http://127.0.0.1:1/ann4:info".to_vec();
    out.extend_from_slice(&info);
    out.push(b'e');
    out
}

#[tokio::test]
async fn provider_errors_are_typed_and_transient_ones_are_retried() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = show();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();

    // A wrong key: failed with AuthRequired and what to do.
    let core = open(data.path(), &server, Some("wrong")).await;
    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Failed);
    let error = task.error.unwrap();
    assert_eq!(error.code, ErrorCode::AuthRequired);
    assert!(
        error.message.contains("AUTH_BAD_APIKEY") && error.message.contains("Log in"),
        "{}",
        error.message
    );
    core.shutdown().await;
    drop(core);

    // Too many magnets: a limit, not retried.
    let core = open(data.path(), &server, Some(KEY)).await;
    server.fail_next(
        "magnet/upload",
        Fault::Api {
            status: 200,
            code: "MAGNET_TOO_MANY_ACTIVE".into(),
            message: "Already have maximum allowed active magnets (30)".into(),
        },
    );
    let task = core.tasks().retry(task.id).await.unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Failed);
    assert_eq!(task.error.unwrap().code, ErrorCode::ProviderLimit);

    // Maintenance, a 503 page and a 429 are retried; then it completes.
    server.fail_next(
        "magnet/upload",
        Fault::Api {
            status: 200,
            code: "MAINTENANCE".into(),
            message: "Alldebrid is under maintenance, please retry later".into(),
        },
    );
    server.fail_next(
        "magnet/status",
        Fault::Http {
            status: 503,
            retry_after: None,
        },
    );
    server.fail_next(
        "magnet/files",
        Fault::Http {
            status: 429,
            retry_after: Some(1),
        },
    );
    server.fail_next("link/unlock", Fault::NotJson);
    let task = core.tasks().retry(task.id).await.unwrap();
    let task = wait(&core, task.id).await;
    // The non-JSON reply is a protocol error: the task fails with it, then a retry
    // completes it.
    let task = if task.state == TaskState::Failed {
        assert_eq!(
            task.error.as_ref().unwrap().code,
            ErrorCode::ProviderProtocol
        );
        let task = core.tasks().retry(task.id).await.unwrap();
        wait(&core, task.id).await
    } else {
        task
    };
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);

    // Refused by AllDebrid: an invalid magnet, and a file that is down.
    let other = FakeTorrent::new("Other", vec![("Other/a.bin", test_bytes(1000, 9))]);
    server.know(other.clone());
    server.fail_next(
        "magnet/upload",
        Fault::Api {
            status: 200,
            code: "MAGNET_INVALID_URI".into(),
            message: "Magnet is not valid".into(),
        },
    );
    let refused = core
        .tasks()
        .add(&other.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let refused = wait(&core, refused.id).await;
    assert_eq!(refused.state, TaskState::Failed);
    assert_eq!(refused.error.unwrap().code, ErrorCode::InvalidMagnet);
    server.fail_next(
        "link/unlock",
        Fault::Api {
            status: 200,
            code: "LINK_DOWN".into(),
            message: "This link is not available on the file hoster website".into(),
        },
    );
    let down = core.tasks().retry(refused.id).await.unwrap();
    let down = wait(&core, down.id).await;
    assert_eq!(down.state, TaskState::Failed);
    let error = down.error.unwrap();
    assert_eq!(error.code, ErrorCode::ProviderFailed);
    assert!(error.message.contains("LINK_DOWN"), "{}", error.message);
    let done = core.tasks().retry(down.id).await.unwrap();
    assert_eq!(wait(&core, done.id).await.state, TaskState::Completed);

    // Not a magnet at all: refused before any request.
    let before = server.requests().len();
    let error = core
        .tasks()
        .add("magnet:?xt=urn:btih:xyz", &into(downloads.path()))
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidMagnet);
    assert!(error.message.contains("btih"), "{}", error.message);
    let error = core
        .tasks()
        .add("https://example.com/a", &into(downloads.path()))
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidMagnet);
    assert_eq!(server.requests().len(), before);
}

#[tokio::test]
async fn a_torrent_that_fails_on_the_provider_is_restarted_by_retry() {
    let server = alldebrid::start(KEY).await.unwrap();
    let mut torrent = show();
    torrent.fails = true;
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, Some(KEY)).await;

    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Failed);
    let error = task.error.unwrap();
    assert_eq!(error.code, ErrorCode::ProviderFailed);
    assert!(error.message.contains("no peer"), "{}", error.message);

    let task = core.tasks().retry(task.id).await.unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    assert_eq!(server.calls("magnet/restart"), 1);
    assert_eq!(server.calls("magnet/upload"), 1);
}

#[tokio::test]
async fn a_task_survives_a_restart_while_the_provider_works() {
    let server = alldebrid::start(KEY).await.unwrap();
    let mut torrent = show();
    torrent.cached = false;
    torrent.polls_before_ready = u32::MAX - 1;
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();

    let core = open(data.path(), &server, Some(KEY)).await;
    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    // Wait until the provider reported progress at least once.
    let mut events = core.events().subscribe();
    tokio::time::timeout(TIMEOUT, async {
        loop {
            let view = core.tasks().get(task.id).await.unwrap();
            if view.provider_status.as_deref() == Some("Downloading") {
                return;
            }
            let _ = events.recv().await;
        }
    })
    .await
    .unwrap();
    // A crash: the core is dropped without shutdown.
    drop(core);
    {
        let state = &mut haul_e2e::fake_debrid::lock(&server.state);
        state.added[0].1.torrent.polls_before_ready = 0;
    }

    let core = open(data.path(), &server, Some(KEY)).await;
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);
    assert_eq!(
        server.calls("magnet/upload"),
        1,
        "the torrent was not added twice"
    );
    assert_eq!(tree(downloads.path()).len(), 3);
}

#[tokio::test]
async fn pause_resume_cancel_and_remove() {
    let server = alldebrid::start(KEY).await.unwrap();
    let mut torrent = show();
    torrent.cached = false;
    torrent.polls_before_ready = u32::MAX - 1;
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, Some(KEY)).await;

    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let task = core.tasks().pause(task.id).await.unwrap();
    assert_eq!(task.state, TaskState::Paused);
    let polls = server.calls("magnet/status");
    let task = core.tasks().resume(task.id).await.unwrap();
    assert!(!task.state.is_settled());
    let task = core.tasks().cancel(task.id).await.unwrap();
    assert_eq!(task.state, TaskState::Cancelled);
    assert!(
        server.added().is_empty(),
        "cancel deletes the magnet on AllDebrid"
    );
    assert!(server.calls("magnet/status") >= polls);
    let error = core.tasks().resume(task.id).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidState);
    core.tasks().remove(task.id, true).await.unwrap();
    assert!(core.tasks().list().await.unwrap().is_empty());
    let error = core.tasks().get(task.id).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn no_key_asks_for_a_login_and_the_pin_flow_stores_one() {
    let server = alldebrid::start(KEY).await.unwrap();
    let torrent = show();
    server.know(torrent.clone());
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    let core = open(data.path(), &server, None).await;

    let task = core
        .tasks()
        .add(&torrent.magnet(), &into(downloads.path()))
        .await
        .unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.error.as_ref().unwrap().code, ErrorCode::AuthRequired);

    let accounts = core.accounts().list().await.unwrap();
    assert!(!accounts[0].configured);
    let prompt = core
        .accounts()
        .start_login(haul_core::Provider::AllDebrid)
        .await
        .unwrap();
    assert!(prompt.verification_url.starts_with(&server.url()));
    assert!(!prompt.user_code.is_empty());
    let status = core.accounts().poll_login(prompt.login_id).await.unwrap();
    assert_eq!(status, haul_core::LoginStatus::Pending);
    server.confirm_logins();
    let haul_core::LoginStatus::Done { account } =
        core.accounts().poll_login(prompt.login_id).await.unwrap()
    else {
        panic!("login not done");
    };
    assert!(account.configured);
    assert_eq!(account.username.as_deref(), Some("haul-tester"));
    assert_eq!(account.premium, Some(true));

    let task = core.tasks().retry(task.id).await.unwrap();
    let task = wait(&core, task.id).await;
    assert_eq!(task.state, TaskState::Completed, "{:?}", task.error);

    // The key is nowhere in the data folder.
    core.shutdown().await;
    drop(core);
    assert_no_key_in(data.path());
}

fn assert_no_key_in(dir: &Path) {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !bytes.windows(KEY.len()).any(|w| w == KEY.as_bytes()),
            "the API key is in {}",
            file.display()
        );
    }
}
