//! A real `haul serve` for tests: a data folder with a password set through
//! `--init` on stdin, the server on 127.0.0.1 with a free port, stopped on drop.

// Test support: a failed expectation is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::{files_under, haul_bin};

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

pub fn client() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub fn client_from(address: IpAddr) -> Client {
    Client::builder().local_address(address).build().unwrap()
}

pub fn assert_security_headers(response: &Response, what: &str) {
    let headers = response.headers();
    let csp = headers
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("{what}: no CSP"))
        .to_str()
        .unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(
        !csp.contains("script-src 'self' 'unsafe-inline'"),
        "{what}: {csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["referrer-policy"], "no-referrer", "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
}

pub async fn code_of(response: Response) -> String {
    let body: Value = response.json().await.unwrap_or(Value::Null);
    body["code"].as_str().unwrap_or("").to_string()
}

/// A login attempt with `password` (no TOTP code).
pub async fn post_password(served: &Served, client: &Client, password: &str) -> Response {
    client
        .post(served.url("/api/session"))
        .json(&json!({ "password": password }))
        .send()
        .await
        .unwrap()
}

/// Logs in; the session cookie and its CSRF token.
pub async fn login(served: &Served, client: &Client) -> (String, String) {
    let response = post_password(served, client, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let session: Value = client
        .get(served.url("/api/session"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = session["csrf"].as_str().unwrap().to_string();
    (cookie, csrf)
}

/// No file under `dir` (recursively) contains any of `secrets`.
pub fn assert_nowhere(dir: &Path, secrets: &[&str]) {
    for entry in files_under(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        for secret in secrets {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret:?} is in {}",
                entry.display()
            );
        }
    }
}

/// A request line sent as is (no client normalises the path).
pub fn raw_get(url: &str, path: &str, cookie: &str) -> String {
    let authority = url.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {authority}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply
}

/// A logged-in browser: its session cookie and CSRF token.
pub struct Browser {
    pub client: Client,
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

impl Browser {
    pub async fn login(served: &Served) -> Self {
        let client = client();
        let (cookie, csrf) = login(served, &client).await;
        Self {
            client,
            base: served.url.clone(),
            cookie,
            csrf,
        }
    }

    /// A request that may change state, as the page sends it: cookie and CSRF token.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Response {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf);
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, path, Some(body)).await
    }

    /// A read with the cookie only.
    pub async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .unwrap()
    }
}
