#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Real-Debrid and TorBox clients against the fake services on 127.0.0.1.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use haul_debrid::magnet::Magnet;
use haul_debrid::realdebrid::RealDebrid;
use haul_debrid::torbox::TorBox;
use haul_debrid::{
    AuthKind, DebridErrorKind, DebridProvider, DirectLink, LoginPoll, RemoteFile, RemotePhase,
    Secret, Unlocked,
};
use haul_e2e::fake_debrid::{self, FakeServer, FakeTorrent, Fault};
use haul_e2e::test_bytes;

const RD_KEY: &str = "rd-private-token-5F2A";
const TB_KEY: &str = "tb-api-key-9c1e7d";

fn base(server: &FakeServer) -> url::Url {
    url::Url::parse(&server.url()).unwrap()
}

fn magnet(torrent: &FakeTorrent) -> Magnet {
    Magnet::parse(&torrent.magnet()).unwrap()
}

/// A minimal bencoded body the fakes recognise by its name.
fn torrent_file(torrent: &FakeTorrent) -> Vec<u8> {
    format!(
        "d4:infod6:lengthi1e4:name{}:{}12:piece lengthi16384eee",
        torrent.name.len(),
        torrent.name
    )
    .into_bytes()
}

/// Polls until `phase`, failing on a failure or after too many polls.
async fn poll_until(
    provider: &dyn DebridProvider,
    remote_id: &str,
    phase: RemotePhase,
) -> Vec<RemotePhase> {
    let mut seen = Vec::new();
    for _ in 0..20 {
        let status = provider.status(remote_id).await.unwrap();
        seen.push(status.phase);
        if status.phase == phase {
            return seen;
        }
        assert_ne!(status.phase, RemotePhase::Failed, "{}", status.message);
    }
    panic!("never reached {phase:?}: {seen:?}");
}

async fn unlock_ready(
    provider: &dyn DebridProvider,
    remote_id: &str,
    file: &RemoteFile,
) -> DirectLink {
    match provider.unlock(remote_id, file).await.unwrap() {
        Unlocked::Ready(link) => link,
        Unlocked::Delayed { id } => panic!("unexpected delayed link {id}"),
    }
}

async fn fetch(url: &str) -> Vec<u8> {
    let response = reqwest::get(url).await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.bytes().await.unwrap().to_vec()
}

fn path(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|p| (*p).to_string()).collect()
}

// ---------------------------------------------------------------- Real-Debrid

fn real_debrid(server: &FakeServer, key: &str) -> RealDebrid {
    RealDebrid::new(base(server), Some(Secret::new(key)), None).unwrap()
}

#[tokio::test]
async fn realdebrid_full_flow_selects_downloads_and_unlocks() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let contents = [
        test_bytes(50_000, 1),
        test_bytes(20_000, 2),
        test_bytes(70_001, 3),
    ];
    let mut torrent = FakeTorrent::new(
        "Show S01",
        vec![
            ("Show/e01.mkv", contents[0].clone()),
            ("Show/sample.mkv", contents[1].clone()),
            ("Show/e02.mkv", contents[2].clone()),
        ],
    );
    torrent.cached = false;
    torrent.polls_before_ready = 2;
    server.know(torrent.clone());
    let rd = real_debrid(&server, RD_KEY);
    let caps = rd.capabilities();
    assert!(caps.preselect_files && !caps.cached_on_add && !caps.permalinks && !caps.restart);
    assert_eq!(caps.auth, AuthKind::OAuthDevice);

    let added = rd.add_magnet(&magnet(&torrent)).await.unwrap();
    assert!(!added.ready);
    assert_eq!(added.name.as_deref(), Some("Show S01"));
    let id = added.remote_id;

    let seen = poll_until(&rd, &id, RemotePhase::WaitingSelection).await;
    assert_eq!(
        seen.first(),
        Some(&RemotePhase::Queued),
        "magnet conversion first"
    );

    let files = rd.files(&id).await.unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0].path, path(&["Show", "e01.mkv"]));
    assert_eq!(files[1].path, path(&["Show", "sample.mkv"]));
    assert_eq!(files[2].size, 70_001);
    assert!(files.iter().all(|f| f.link.is_none()));

    rd.select_files(&id, &[files[0].id.clone(), files[2].id.clone()])
        .await
        .unwrap();
    // Choosing again is "already done", which is fine.
    rd.select_files(&id, &[files[0].id.clone()]).await.unwrap();

    let seen = poll_until(&rd, &id, RemotePhase::Ready).await;
    assert!(seen.contains(&RemotePhase::Downloading), "{seen:?}");
    let status = rd.status(&id).await.unwrap();
    assert_eq!(status.progress, 1.0);
    assert_eq!(status.name.as_deref(), Some("Show S01"));

    let files = rd.files(&id).await.unwrap();
    let linked: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| f.link.is_some())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(linked, [0, 2], "links for exactly the chosen files");

    for index in linked {
        let link = unlock_ready(&rd, &id, &files[index]).await;
        assert_eq!(
            link.file_name.as_deref(),
            files[index].path.last().map(String::as_str)
        );
        assert_eq!(link.size, Some(contents[index].len() as u64));
        assert_eq!(fetch(&link.url).await, contents[index]);
    }

    rd.delete(&id).await.unwrap();
    let gone = rd.status(&id).await.unwrap_err();
    assert_eq!(gone.kind, DebridErrorKind::NotFound);

    let requests = server.requests();
    assert!(!requests.is_empty());
    for request in &requests {
        assert!(
            !request.query.contains(RD_KEY),
            "key in a query: {request:?}"
        );
        assert!(!request.path.contains(RD_KEY));
        if request.path.starts_with("/cdn/") {
            continue;
        }
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("Bearer {RD_KEY}").as_str()),
            "{} {}",
            request.method,
            request.path
        );
    }
}

#[tokio::test]
async fn realdebrid_adds_torrent_files_and_unknown_hashes_stay_converting() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let torrent = FakeTorrent::new("Album", vec![("Album/01.flac", test_bytes(3000, 9))]);
    server.know(torrent.clone());
    let rd = real_debrid(&server, RD_KEY);

    let added = rd
        .add_torrent("album.torrent", &torrent_file(&torrent))
        .await
        .unwrap();
    poll_until(&rd, &added.remote_id, RemotePhase::WaitingSelection).await;
    let files = rd.files(&added.remote_id).await.unwrap();
    rd.select_files(&added.remote_id, &[files[0].id.clone()])
        .await
        .unwrap();
    poll_until(&rd, &added.remote_id, RemotePhase::Ready).await;

    let unknown = FakeTorrent::new("Nobody seeds this", vec![("x.bin", vec![1])]);
    let added = rd.add_magnet(&magnet(&unknown)).await.unwrap();
    for _ in 0..5 {
        let status = rd.status(&added.remote_id).await.unwrap();
        assert_eq!(status.phase, RemotePhase::Queued);
    }

    let invalid = rd
        .add_torrent("bad.torrent", b"d4:infod4:name3:zzzee")
        .await
        .unwrap_err();
    assert_eq!(invalid.kind, DebridErrorKind::InvalidTorrent);
}

#[tokio::test]
async fn realdebrid_dead_torrents_fail_with_the_reason() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let mut torrent = FakeTorrent::new("Dead", vec![("a.bin", vec![1, 2, 3])]);
    torrent.fails = true;
    server.know(torrent.clone());
    let rd = real_debrid(&server, RD_KEY);
    let id = rd.add_magnet(&magnet(&torrent)).await.unwrap().remote_id;
    poll_until(&rd, &id, RemotePhase::WaitingSelection).await;
    rd.select_files(&id, &["1".to_string()]).await.unwrap();
    let status = rd.status(&id).await.unwrap();
    assert_eq!(status.phase, RemotePhase::Failed);
    assert!(status.message.contains("dead"), "{}", status.message);
}

#[tokio::test]
async fn realdebrid_device_login_yields_a_working_credential() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let rd = RealDebrid::new(base(&server), None, None).unwrap();
    let not_logged_in = rd.account().await.unwrap_err();
    assert_eq!(not_logged_in.kind, DebridErrorKind::AuthInvalid);

    let challenge = rd.start_login().await.unwrap();
    assert!(!challenge.user_code.is_empty());
    assert!(challenge.verification_url.ends_with("/device"));
    assert_eq!(challenge.interval, Duration::from_secs(5));
    assert_eq!(challenge.expires_in, Duration::from_secs(1800));
    assert!(!format!("{challenge:?}").contains(challenge.poll_token.expose()));

    assert_eq!(rd.poll_login(&challenge).await.unwrap(), LoginPoll::Pending);
    server.confirm_logins();
    let LoginPoll::Done(credential) = rd.poll_login(&challenge).await.unwrap() else {
        panic!("the login should be done");
    };
    let json: serde_json::Value = serde_json::from_str(credential.expose()).unwrap();
    for key in [
        "client_id",
        "client_secret",
        "access_token",
        "refresh_token",
    ] {
        assert!(
            json[key].as_str().is_some_and(|v| !v.is_empty()),
            "{key} missing"
        );
    }

    let logged_in = RealDebrid::new(base(&server), Some(credential), None).unwrap();
    let account = logged_in.account().await.unwrap();
    assert_eq!(account.username, "haul-tester");
    assert!(account.premium);
    assert_eq!(account.premium_until, Some(1_893_456_000));
}

#[tokio::test]
async fn realdebrid_renews_a_refused_oauth_token_once() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let credential = serde_json::json!({
        "client_id": "client-x", "client_secret": "secret-x",
        "access_token": RD_KEY, "refresh_token": "refresh-0",
    })
    .to_string();
    let renewed: Arc<Mutex<Vec<Secret>>> = Arc::default();
    let sink = Arc::clone(&renewed);
    let rd = RealDebrid::new(
        base(&server),
        Some(Secret::new(credential)),
        Some(Box::new(move |secret| sink.lock().unwrap().push(secret))),
    )
    .unwrap();

    server.fail_next(
        "user",
        Fault::Api {
            status: 401,
            code: "8".into(),
            message: "bad_token".into(),
        },
    );
    let account = rd.account().await.unwrap();
    assert_eq!(account.username, "haul-tester");

    let renewed = renewed.lock().unwrap().clone();
    assert_eq!(renewed.len(), 1, "on_refresh called once");
    let json: serde_json::Value = serde_json::from_str(renewed[0].expose()).unwrap();
    let access = json["access_token"].as_str().unwrap().to_string();
    assert_ne!(access, RD_KEY);
    assert_ne!(json["refresh_token"], "refresh-0");
    assert_eq!(json["client_id"], "client-x");
    assert_eq!(json["client_secret"], "secret-x");
    assert_eq!(server.calls("/oauth/v2/token"), 1);
    assert_eq!(server.calls("/rest/1.0/user"), 2);
    let token_request = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/v2/token")
        .unwrap();
    assert!(token_request.body.contains("code=refresh-0"));
    assert!(
        token_request
            .body
            .contains("grant_type=http%3A%2F%2Foauth.net")
    );

    // The renewed token is used from now on, without renewing again.
    rd.account().await.unwrap();
    assert_eq!(server.calls("/oauth/v2/token"), 1);
    let last = server
        .requests()
        .into_iter()
        .rev()
        .find(|r| r.path == "/rest/1.0/user")
        .unwrap();
    assert_eq!(last.authorization, Some(format!("Bearer {access}")));
}

#[tokio::test]
async fn realdebrid_errors_map_to_kinds_a_caller_can_act_on() {
    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let torrent = FakeTorrent::new("Errors", vec![("a.bin", vec![1])]);
    server.know(torrent.clone());
    let rd = real_debrid(&server, RD_KEY);

    // A wrong private token: refused, and never "renewed".
    let error = real_debrid(&server, "wrong-token")
        .account()
        .await
        .unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::AuthInvalid);
    assert_eq!(error.code.as_deref(), Some("8"));
    assert!(error.message.contains("Log in"), "{}", error.message);
    assert_eq!(server.calls("/oauth/"), 0);

    server.fail_next(
        "torrents/addMagnet",
        Fault::Http {
            status: 429,
            retry_after: Some(7),
        },
    );
    let error = rd.add_magnet(&magnet(&torrent)).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(7)));
    assert_eq!(error.code.as_deref(), Some("34"));

    server.fail_next(
        "torrents/info",
        Fault::Http {
            status: 503,
            retry_after: None,
        },
    );
    let error = rd.status("1").await.unwrap_err();
    assert!(
        matches!(
            error.kind,
            DebridErrorKind::Maintenance | DebridErrorKind::ServerError
        ),
        "{error:?}"
    );
    assert!(error.is_transient());

    let file = RemoteFile {
        id: "1".into(),
        path: path(&["a.bin"]),
        size: 1,
        link: Some(format!("{}/d/1-0", server.url())),
    };
    server.fail_next(
        "unrestrict/link",
        Fault::Api {
            status: 400,
            code: "4242".into(),
            message: "brand_new_error".into(),
        },
    );
    let error = rd.unlock("1", &file).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::Protocol);
    assert!(error.message.contains("4242"), "{}", error.message);
    assert!(
        error.message.contains("brand_new_error"),
        "{}",
        error.message
    );

    server.fail_next(
        "unrestrict/link",
        Fault::Api {
            status: 451,
            code: "35".into(),
            message: "infringing_file".into(),
        },
    );
    let error = rd.unlock("1", &file).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::LinkDown);
    assert!(!error.is_transient());

    server.fail_next(
        "torrents/addMagnet",
        Fault::Http {
            status: 451,
            retry_after: None,
        },
    );
    let error = rd.add_magnet(&magnet(&torrent)).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::LinkDown);

    server.fail_next(
        "torrents/addMagnet",
        Fault::Api {
            status: 400,
            code: "2".into(),
            message: "parameter_not_valid".into(),
        },
    );
    let error = rd.add_magnet(&magnet(&torrent)).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::InvalidMagnet);

    server.fail_next("user", Fault::NotJson);
    let error = rd.account().await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::Protocol);

    let error = rd.status("999999").await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::NotFound);
    assert_eq!(
        rd.delayed("x").await.unwrap_err().kind,
        DebridErrorKind::Unsupported
    );
    assert_eq!(
        rd.restart("1").await.unwrap_err().kind,
        DebridErrorKind::Unsupported
    );
}

// --------------------------------------------------------------------- TorBox

fn torbox(server: &FakeServer, key: &str) -> TorBox {
    TorBox::new(base(server), Some(Secret::new(key))).unwrap()
}

#[tokio::test]
async fn torbox_full_flow_cached_torrent_unlocks_files() {
    let server = fake_debrid::torbox::start(TB_KEY).await.unwrap();
    let contents = [test_bytes(40_000, 11), test_bytes(12_345, 12)];
    let torrent = FakeTorrent::new(
        "Movie Pack",
        vec![
            ("movie.mkv", contents[0].clone()),
            ("extras/making-of.mkv", contents[1].clone()),
        ],
    );
    server.know(torrent.clone());
    let tb = torbox(&server, TB_KEY);
    let caps = tb.capabilities();
    assert!(!caps.preselect_files && caps.cached_on_add && caps.permalinks && !caps.restart);
    assert_eq!(caps.auth, AuthKind::ApiKey);

    let added = tb.add_magnet(&magnet(&torrent)).await.unwrap();
    assert!(added.ready, "a cached torrent is ready on add");
    let id = added.remote_id;
    let status = tb.status(&id).await.unwrap();
    assert_eq!(status.phase, RemotePhase::Ready);
    assert_eq!(status.progress, 1.0);

    let files = tb.files(&id).await.unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].id, "0", "file id 0 is a real id");
    assert_eq!(files[1].id, "1");
    // TorBox lists full paths; the fake lists each file's path as the test gave it.
    assert_eq!(files[0].path, path(&["movie.mkv"]));
    assert_eq!(files[1].path, path(&["extras", "making-of.mkv"]));
    assert_eq!(files[1].size, 12_345);

    for (file, expected) in files.iter().zip(&contents) {
        let link = unlock_ready(&tb, &id, file).await;
        assert!(!link.url.contains(TB_KEY));
        assert_eq!(fetch(&link.url).await, *expected);
    }

    let requests = server.requests();
    for request in requests.iter().filter(|r| !r.path.starts_with("/cdn/")) {
        if request.path.ends_with("/torrents/requestdl") {
            assert_eq!(request.authorization, None);
            assert!(request.query.contains(&format!("token={TB_KEY}")));
            assert!(request.query.contains("file_id="));
        } else {
            assert_eq!(
                request.authorization.as_deref(),
                Some(format!("Bearer {TB_KEY}").as_str()),
                "{}",
                request.path
            );
            assert!(!request.query.contains(TB_KEY));
            assert!(!request.body.contains(TB_KEY));
        }
    }
    assert_eq!(server.calls("requestdl"), 2);

    // A failing requestdl never shows the key, even when the service echoes it.
    server.fail_next(
        "torrents/requestdl",
        Fault::Api {
            status: 500,
            code: "DATABASE_ERROR".into(),
            message: format!(
                "failed: GET /v1/api/torrents/requestdl?token={TB_KEY}&torrent_id={id}"
            ),
        },
    );
    let error = tb.unlock(&id, &files[0]).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::ServerError);
    assert!(!error.to_string().contains(TB_KEY), "{error}");
    assert!(!format!("{error:?}").contains(TB_KEY));
    server.fail_next(
        "torrents/requestdl",
        Fault::Http {
            status: 502,
            retry_after: None,
        },
    );
    let error = tb.unlock(&id, &files[0]).await.unwrap_err();
    assert!(!format!("{error:?}").contains(TB_KEY));
    let wrong = torbox(&server, "not-the-key")
        .unlock(&id, &files[0])
        .await
        .unwrap_err();
    assert_eq!(wrong.kind, DebridErrorKind::AuthInvalid);
    assert!(!format!("{wrong:?}").contains("not-the-key"));

    tb.delete(&id).await.unwrap();
    let gone = tb.status(&id).await.unwrap_err();
    assert_eq!(gone.kind, DebridErrorKind::NotFound);
}

#[tokio::test]
async fn torbox_uncached_torrents_download_then_become_ready() {
    let server = fake_debrid::torbox::start(TB_KEY).await.unwrap();
    let mut torrent = FakeTorrent::new("Slow", vec![("slow.bin", test_bytes(999, 5))]);
    torrent.cached = false;
    torrent.polls_before_ready = 2;
    server.know(torrent.clone());
    let tb = torbox(&server, TB_KEY);

    let added = tb
        .add_torrent("slow.torrent", &torrent_file(&torrent))
        .await
        .unwrap();
    assert!(!added.ready);
    let seen = poll_until(&tb, &added.remote_id, RemotePhase::Ready).await;
    assert!(seen.contains(&RemotePhase::Downloading), "{seen:?}");

    let unknown = FakeTorrent::new("Nobody has it", vec![("x", vec![0])]);
    let added = tb.add_magnet(&magnet(&unknown)).await.unwrap();
    for _ in 0..3 {
        assert_eq!(
            tb.status(&added.remote_id).await.unwrap().phase,
            RemotePhase::Queued
        );
    }

    let mut failing = FakeTorrent::new("Broken", vec![("b", vec![0])]);
    failing.fails = true;
    failing.cached = false;
    server.know(failing.clone());
    let added = tb.add_magnet(&magnet(&failing)).await.unwrap();
    assert_eq!(
        tb.status(&added.remote_id).await.unwrap().phase,
        RemotePhase::Failed
    );

    let account = tb.account().await.unwrap();
    assert_eq!(account.username, "haul-tester@example.invalid");
    assert!(account.premium);
    assert_eq!(account.premium_until, Some(1_893_456_000));
}

#[tokio::test]
async fn torbox_errors_map_to_kinds_a_caller_can_act_on() {
    let server = fake_debrid::torbox::start(TB_KEY).await.unwrap();
    let torrent = FakeTorrent::new("T", vec![("t", vec![0])]);
    server.know(torrent.clone());
    let tb = torbox(&server, TB_KEY);

    let error = torbox(&server, "wrong").account().await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::AuthInvalid);
    assert_eq!(error.code.as_deref(), Some("BAD_TOKEN"));

    let error = TorBox::new(base(&server), None)
        .unwrap()
        .account()
        .await
        .unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::AuthInvalid);
    assert!(error.message.contains("HAUL_TORBOX_API_KEY"));

    server.fail_next(
        "torrents/createtorrent",
        Fault::Api {
            status: 400,
            code: "ACTIVE_LIMIT".into(),
            message: "User has hit their max active download limit.".into(),
        },
    );
    let error = tb.add_magnet(&magnet(&torrent)).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::LimitReached);
    assert!(error.message.contains("ACTIVE_LIMIT"));
    assert!(error.message.contains("max active download limit"));

    server.fail_next(
        "torrents/createtorrent",
        Fault::Api {
            status: 400,
            code: "BOZO_TORRENT".into(),
            message: "The torrent sent is not a valid torrent.".into(),
        },
    );
    let error = tb.add_magnet(&magnet(&torrent)).await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::InvalidMagnet);
    let error = tb
        .add_torrent("x.torrent", b"d4:infod4:name3:zzzee")
        .await
        .unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::InvalidTorrent);

    server.fail_next(
        "torrents/mylist",
        Fault::Http {
            status: 500,
            retry_after: None,
        },
    );
    let error = tb.status("1").await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::ServerError);
    assert!(error.is_transient());
    assert!(error.message.contains("500"), "{}", error.message);

    server.fail_next(
        "torrents/mylist",
        Fault::Http {
            status: 429,
            retry_after: Some(30),
        },
    );
    let error = tb.status("1").await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::RateLimited);
    assert_eq!(error.retry_after, Some(Duration::from_secs(30)));

    server.fail_next(
        "user/me",
        Fault::Api {
            status: 400,
            code: "SHINY_NEW_CODE".into(),
            message: "Something new happened.".into(),
        },
    );
    let error = tb.account().await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::Protocol);
    assert!(error.message.contains("SHINY_NEW_CODE"));
    assert!(error.message.contains("Something new happened."));

    let error = tb.status("424242").await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::NotFound);

    let error = tb.start_login().await.unwrap_err();
    assert_eq!(error.kind, DebridErrorKind::Unsupported);
    assert!(error.message.contains("API key"));
    assert!(error.message.contains("HAUL_TORBOX_API_KEY"));
    assert_eq!(
        tb.restart("1").await.unwrap_err().kind,
        DebridErrorKind::Unsupported
    );
    assert_eq!(
        tb.delayed("1").await.unwrap_err().kind,
        DebridErrorKind::Unsupported
    );
}

// -------------------------------------------------------------- Hostile names

#[tokio::test]
async fn hostile_names_pass_through_unchanged() {
    let files = vec![
        ("../../evil.txt", test_bytes(10, 21)),
        ("dir/a\\b .txt", test_bytes(11, 22)),
    ];

    let server = fake_debrid::realdebrid::start(RD_KEY).await.unwrap();
    let torrent = FakeTorrent::new("Hostile", files.clone());
    server.know(torrent.clone());
    let rd = real_debrid(&server, RD_KEY);
    let id = rd.add_magnet(&magnet(&torrent)).await.unwrap().remote_id;
    poll_until(&rd, &id, RemotePhase::WaitingSelection).await;
    let listed = rd.files(&id).await.unwrap();
    assert_eq!(listed[0].path, path(&["..", "..", "evil.txt"]));
    assert_eq!(listed[1].path, path(&["dir", "a\\b .txt"]));
    let ids: Vec<String> = listed.iter().map(|f| f.id.clone()).collect();
    rd.select_files(&id, &ids).await.unwrap();
    poll_until(&rd, &id, RemotePhase::Ready).await;
    let listed = rd.files(&id).await.unwrap();
    let link = unlock_ready(&rd, &id, &listed[0]).await;
    assert_eq!(fetch(&link.url).await, files[0].1);

    let server = fake_debrid::torbox::start(TB_KEY).await.unwrap();
    server.know(torrent.clone());
    let tb = torbox(&server, TB_KEY);
    let id = tb.add_magnet(&magnet(&torrent)).await.unwrap().remote_id;
    let listed = tb.files(&id).await.unwrap();
    assert_eq!(listed[0].path, path(&["..", "..", "evil.txt"]));
    assert_eq!(listed[1].path, path(&["dir", "a\\b .txt"]));
}
