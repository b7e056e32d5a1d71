//! `haul serve` attacked on 127.0.0.1: every API route refuses a request without
//! a session or token; a cross-site POST without the CSRF proof is refused; the
//! sixth wrong password in a row is locked out for the address and the
//! account; a revoked token stops at once; media routes take ids of library
//! items only; remote clients write only inside the allowed folders; TOTP is
//! enforced; security headers are on every response; the password and tokens
//! appear in no log or data file.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use haul_e2e::file_server::{Behaviour, FileServer};
use haul_e2e::haul_bin;
use haul_e2e::serve::{
    Browser, PASSWORD, Served, assert_nowhere, assert_security_headers, client, client_from,
    code_of, haul_with_stdin, login, post_password, prepare, raw_get,
};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

struct Setup {
    data: tempfile::TempDir,
    /// The download folder, kept while the test runs.
    _downloads: tempfile::TempDir,
}

fn setup() -> Setup {
    let data = tempfile::tempdir().unwrap();
    let downloads = tempfile::tempdir().unwrap();
    prepare(data.path(), downloads.path());
    Setup {
        data,
        _downloads: downloads,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_api_route_refuses_a_request_without_a_session_or_token() {
    let setup = setup();
    let served = Served::start(setup.data.path(), &[]);
    let client = client();
    let document = haul_server::openapi_document();
    let mut checked = 0;
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.starts_with("/api") {
            continue;
        }
        let concrete = path.replace("{kind}", "thumb").replace("{id}", "1");
        for method in item.as_object().unwrap().keys() {
            if path == "/api/session" && method == "post" {
                continue;
            }
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            for auth in [
                None,
                Some(("cookie", "haul_session=forged")),
                Some(("authorization", "Bearer haul_forged")),
            ] {
                let mut request = client.request(method.clone(), served.url(&concrete));
                if let Some((name, value)) = auth {
                    request = request.header(name, value);
                }
                let response = request.json(&json!({})).send().await.unwrap();
                assert_eq!(
                    response.status(),
                    StatusCode::UNAUTHORIZED,
                    "{method} {concrete} {auth:?}"
                );
                assert_security_headers(&response, &concrete);
                assert_eq!(
                    code_of(response).await,
                    "NotAuthenticated",
                    "{method} {concrete}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "only {checked} routes checked");
    // Routes the document does not name are refused the same way.
    for path in [
        "/api/nothing",
        "/api/rpc/not_a_command",
        "/api/media/file/../../etc/passwd",
        "/api",
    ] {
        let response = client.get(served.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // What needs no login: liveness, the verdict of readiness, the UI's files.
    let health = client.get(served.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_security_headers(&health, "/health");
    let ready = client.get(served.url("/ready")).send().await.unwrap();
    assert_security_headers(&ready, "/ready");
    let verdict: Value = ready.json().await.unwrap();
    assert!(
        verdict.get("checks").is_none(),
        "details need a login: {verdict}"
    );
    let page = client.get(served.url("/")).send().await.unwrap();
    assert_security_headers(&page, "/");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_session_needs_its_csrf_token_and_ends_at_logout() {
    let setup = setup();
    let allowed = tempfile::tempdir().unwrap();
    let served = Served::start(
        setup.data.path(),
        &["--allow-dir", allowed.path().to_str().unwrap()],
    );
    let files = FileServer::start(vec![7u8; 100_000], Behaviour::default())
        .await
        .unwrap();
    let wrong = post_password(&served, &client(), "not the password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
    let browser = Browser::login(&served).await;
    let download = json!({ "url": files.url("/file.bin") });

    // A cross-site POST: the cookie comes along, the CSRF token cannot.
    let forged = browser
        .client
        .post(served.url("/api/downloads"))
        .header("cookie", &browser.cookie)
        .header("origin", "https://evil.example")
        .json(&download)
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(code_of(forged).await, "CsrfRejected");
    let no_token = browser
        .client
        .post(served.url("/api/rpc/pause_all"))
        .header("cookie", &browser.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(no_token).await, "CsrfRejected");
    let wrong_token = browser
        .client
        .post(served.url("/api/downloads"))
        .header("cookie", &browser.cookie)
        .header("x-csrf-token", "x".repeat(browser.csrf.len()))
        .json(&download)
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(wrong_token).await, "CsrfRejected");

    // Folders: inside the download folder or an --allow-dir folder only.
    for dir in ["/etc", "../escape", "sub/../../escape", "/tmp"] {
        let refused = browser
            .post(
                "/api/downloads",
                &json!({ "url": files.url("/file.bin"), "dir": dir }),
            )
            .await;
        assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{dir}");
        assert_eq!(code_of(refused).await, "DirNotAllowed", "{dir}");
    }
    let settings: Value = browser
        .send(Method::POST, "/api/rpc/get_settings", None)
        .await
        .json()
        .await
        .unwrap();
    let mut moved = settings.clone();
    moved["downloadDir"] = json!("/etc");
    let refused = browser
        .post("/api/rpc/update_settings", &json!({ "settings": moved }))
        .await;
    assert_eq!(code_of(refused).await, "DirNotAllowed");
    let mut tool = settings.clone();
    tool["sources"]["ytDlpPath"] = json!("/bin/sh");
    let refused = browser
        .post("/api/rpc/update_settings", &json!({ "settings": tool }))
        .await;
    assert_eq!(code_of(refused).await, "InvalidSetting");
    let task = browser
        .post(
            "/api/rpc/add_task",
            &json!({ "source": "/etc/passwd", "options": {} }),
        )
        .await;
    assert_eq!(code_of(task).await, "InvalidMagnet");
    let added = browser
        .post(
            "/api/downloads",
            &json!({ "url": files.url("/file.bin"), "dir": allowed.path().join("inbox") }),
        )
        .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    let view: Value = added.json().await.unwrap();
    assert!(view["dir"].as_str().unwrap().contains("inbox"), "{view}");
    let listed: Value = browser.get("/api/downloads").await.json().await.unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Ending every session from the server's console: refused at once.
    let ended = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(setup.data.path())
        .args(["serve", "sessions", "end"])
        .output()
        .unwrap();
    assert!(ended.status.success());
    assert_eq!(
        browser.get("/api/session").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let browser = Browser::login(&served).await;

    // Log out: the same cookie is refused from then on.
    let out = browser.send(Method::DELETE, "/api/session", None).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        browser.get("/api/session").await.status(),
        StatusCode::UNAUTHORIZED
    );

    // The session's secrets are in no file of the data folder or the server's output.
    drop(served);
    let session_token = browser.cookie.split_once('=').unwrap().1.to_string();
    assert_nowhere(
        setup.data.path(),
        &[PASSWORD, &session_token, &browser.csrf],
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sixth_wrong_password_in_a_row_is_locked_out() {
    let setup = setup();
    let served = Served::start(setup.data.path(), &[]);
    let here = client_from("127.0.0.1".parse().unwrap());
    for attempt in 1..=5 {
        let response = post_password(&served, &here, &format!("guess number {attempt}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    // The sixth, even with the right password, is locked out…
    let sixth = post_password(&served, &here, PASSWORD).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = sixth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry >= 60, "{retry}");
    assert_eq!(code_of(sixth).await, "LockedOut");
    // …and so is the account from another address (127.0.0.2 is loopback too).
    let elsewhere = client_from("127.0.0.2".parse().unwrap());
    let other = post_password(&served, &elsewhere, PASSWORD).await;
    assert_eq!(other.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread")]
async fn api_tokens_work_without_csrf_and_stop_at_once_when_revoked() {
    let setup = setup();
    let served = Served::start(setup.data.path(), &[]);
    let created = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(setup.data.path())
        .args(["serve", "token", "create", "ci-script"])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8(created.stdout).unwrap();
    let token = stdout.lines().last().unwrap().trim().to_string();
    assert!(token.len() > 40, "{token}");
    let client = client();
    let bearer = format!("Bearer {token}");
    let with_token = |method: Method, path: &str| {
        client
            .request(method, served.url(path))
            .header("authorization", &bearer)
            .send()
    };
    let listed = with_token(Method::GET, "/api/downloads").await.unwrap();
    assert_eq!(listed.status(), StatusCode::OK);
    let who: Value = with_token(Method::GET, "/api/session")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(who["via"], "token");
    // A script's POST needs no CSRF token.
    let paused = with_token(Method::POST, "/api/rpc/pause_all")
        .await
        .unwrap();
    assert_eq!(paused.status(), StatusCode::OK);
    let openapi: Value = with_token(Method::GET, "/api/openapi.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(openapi["openapi"], "3.1.0");
    assert!(openapi["paths"]["/api/session"]["post"].is_object());

    let revoked = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(setup.data.path())
        .args(["serve", "token", "revoke", "ci-script"])
        .output()
        .unwrap();
    assert!(revoked.status.success());
    let refused = with_token(Method::GET, "/api/downloads").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);

    // Neither the password nor the token is in any file of the data folder
    // (database, WAL, settings, logs) or in the server's output.
    drop(served);
    assert_nowhere(setup.data.path(), &[PASSWORD, &token]);
}

#[tokio::test(flavor = "multi_thread")]
async fn media_routes_serve_library_items_by_id_and_nothing_else() {
    let setup = setup();
    let photos = tempfile::tempdir().unwrap();
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 3, y as u8 * 5, 90]));
    image.save(photos.path().join("photo.jpg")).unwrap();
    let added = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(setup.data.path())
        .args(["library", "add"])
        .arg(photos.path())
        .output()
        .unwrap();
    assert!(added.status.success());
    let listed = std::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(setup.data.path())
        .args(["library", "list", "--json"])
        .output()
        .unwrap();
    let items: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id = items[0]["id"].as_i64().unwrap();
    let served = Served::start(setup.data.path(), &[]);
    let client = client();
    let (cookie, _) = login(&served, &client).await;
    let get = |path: String| {
        client
            .get(served.url(&path))
            .header("cookie", &cookie)
            .send()
    };

    let thumb = get(format!("/api/media/thumb/{id}")).await.unwrap();
    assert_eq!(thumb.status(), StatusCode::OK);
    assert_eq!(thumb.headers()["content-type"], "image/jpeg");
    assert_security_headers(&thumb, "thumb");
    let file = get(format!("/api/media/file/{id}")).await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(
        file.bytes().await.unwrap().as_ref(),
        std::fs::read(photos.path().join("photo.jpg")).unwrap()
    );
    let range = client
        .get(served.url(&format!("/api/media/file/{id}")))
        .header("cookie", &cookie)
        .header("range", "bytes=0-9")
        .send()
        .await
        .unwrap();
    assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(range.bytes().await.unwrap().len(), 10);

    for missing in [id + 1000, 0] {
        let response = get(format!("/api/media/file/{missing}")).await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
    for attempt in [
        "/api/media/file/..%2f..%2f..%2fetc%2fpasswd",
        "/api/media/file/%2fetc%2fpasswd",
        "/api/media/file/../../../etc/passwd",
        "/api/media/thumb/1/../../../../etc/passwd",
        "/api/media/file/-1",
        "/api/media/file/1e3",
        "/api/media/passwd/1",
        "/api/media/file/%00",
        "/api/media/../../../../etc/passwd",
    ] {
        let reply = raw_get(&served.url, attempt, &cookie);
        let status: u16 = reply.split(' ').nth(1).unwrap_or("0").parse().unwrap_or(0);
        assert!(
            (400..500).contains(&status),
            "{attempt}: {}",
            reply.lines().next().unwrap_or("")
        );
        assert!(!reply.contains("root:"), "{attempt} leaked a file");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn totp_is_enforced_once_enabled() {
    let setup = setup();
    let enabled = haul_with_stdin(setup.data.path(), &["serve", "totp", "enable"], "");
    assert!(
        enabled.status.success(),
        "{}",
        String::from_utf8_lossy(&enabled.stderr)
    );
    let text = String::from_utf8(enabled.stdout).unwrap();
    let secret = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("secret: "))
        .unwrap()
        .to_string();
    let recovery: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Recovery codes"))
        .skip(1)
        .map(|l| l.trim().to_string())
        .collect();
    assert_eq!(recovery.len(), 10);
    let served = Served::start(setup.data.path(), &[]);
    let client = client();
    let post = |body: Value| client.post(served.url("/api/session")).json(&body).send();

    let without = post(json!({ "password": PASSWORD })).await.unwrap();
    assert_eq!(without.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(code_of(without).await, "TotpRequired");
    let wrong = post(json!({ "password": PASSWORD, "totp": "000000" }))
        .await
        .unwrap();
    assert_eq!(code_of(wrong).await, "TotpRequired");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = haul_server::auth::totp::code_at(&secret, now).unwrap();
    let right = post(json!({ "password": PASSWORD, "totp": code }))
        .await
        .unwrap();
    assert_eq!(right.status(), StatusCode::NO_CONTENT);
    // The same code does not work twice.
    let replay = post(json!({ "password": PASSWORD, "totp": code }))
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    // A recovery code works once.
    let first = post(json!({ "password": PASSWORD, "totp": recovery[0] }))
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    let again = post(json!({ "password": PASSWORD, "totp": recovery[0] }))
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_password_no_server_and_no_plain_http_off_loopback() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(haul_bin())
            .arg("--data-dir")
            .arg(data.path())
            .args(args)
            .output()
            .unwrap()
    };
    let unset = run(&["serve", "--listen", "127.0.0.1:0"]);
    assert!(!unset.status.success());
    assert!(String::from_utf8_lossy(&unset.stderr).contains("--init"));
    let short = haul_with_stdin(data.path(), &["serve", "--init"], "hunter2\n");
    assert!(!short.status.success(), "a short password is refused");
    let set = haul_with_stdin(data.path(), &["serve", "--init"], &format!("{PASSWORD}\n"));
    assert!(set.status.success());
    let open = run(&["serve", "--listen", "0.0.0.0:0"]);
    assert!(!open.status.success());
    assert!(
        String::from_utf8_lossy(&open.stderr).contains("TLS"),
        "{}",
        String::from_utf8_lossy(&open.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn over_tls_the_cookie_is_secure() {
    let setup = setup();
    let cert =
        rcgen::generate_simple_self_signed(vec!["localhost".into(), "127.0.0.1".into()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    let served = Served::start(
        setup.data.path(),
        &[
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
    );
    assert!(served.url.starts_with("https://"), "{}", served.url);
    let client = Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .build()
        .unwrap();
    let response = post_password(&served, &client, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("__Host-haul_session="), "{cookie}");
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(response.headers().contains_key("strict-transport-security"));
}
