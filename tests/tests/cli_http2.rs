//! HTTP/2 where offered: `haul get` over TLS to a server that offers h2 by ALPN
//! fetches its ranges over HTTP/2 and ends with the exact bytes.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Version, header};
use axum::response::{IntoResponse, Response};
use haul_e2e::{haul_bin, sha256_hex, test_bytes};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair, KeyUsagePurpose};

struct Served {
    body: Vec<u8>,
    /// The protocol and Range header of each GET.
    requests: Mutex<Vec<(Version, Option<String>)>>,
}

async fn serve(
    State(served): State<Arc<Served>>,
    version: Version,
    headers: HeaderMap,
) -> Response {
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    served
        .requests
        .lock()
        .unwrap()
        .push((version, range.clone()));
    let total = served.body.len();
    let Some((start, end)) = range.as_deref().and_then(|r| parse_range(r, total)) else {
        return (
            [(header::ACCEPT_RANGES, "bytes"), (header::ETAG, "\"h2\"")],
            served.body.clone(),
        )
            .into_response();
    };
    (
        StatusCode::PARTIAL_CONTENT,
        [
            (header::ACCEPT_RANGES, "bytes".to_string()),
            (header::ETAG, "\"h2\"".to_string()),
            (
                header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{total}"),
            ),
        ],
        served.body[start..=end].to_vec(),
    )
        .into_response()
}

/// `bytes=a-b` or `bytes=a-`, inclusive, within the body.
fn parse_range(value: &str, total: usize) -> Option<(usize, usize)> {
    let (start, end) = value.strip_prefix("bytes=")?.split_once('-')?;
    let start: usize = start.parse().ok()?;
    let end = if end.is_empty() {
        total - 1
    } else {
        end.parse::<usize>().ok()?.min(total - 1)
    };
    (start <= end).then_some((start, end))
}

#[tokio::test(flavor = "multi_thread")]
async fn ranges_go_over_http2_when_the_server_offers_it() {
    // A CA of the test's own, trusted by `haul` through SSL_CERT_FILE, and a
    // certificate for 127.0.0.1 that it signs.
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();

    let mut tls = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![cert.der().clone()],
        rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
    )
    .unwrap();
    tls.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));

    let body = test_bytes(24 << 20, 91);
    let served = Arc::new(Served {
        body: body.clone(),
        requests: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .fallback(serve)
        .with_state(Arc::clone(&served));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, app) = (acceptor.clone(), app.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(tcp).await else {
                    return;
                };
                let service = hyper_util::service::TowerToHyperService::new(app);
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            });
        }
    });

    let downloads = dir.path().join("downloads");
    let status = tokio::process::Command::new(haul_bin())
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .args(["get", &format!("https://127.0.0.1:{port}/h2.bin")])
        .args(["--connections", "8", "--dir"])
        .arg(&downloads)
        .env("SSL_CERT_FILE", &ca_file)
        .status()
        .await
        .unwrap();
    assert!(status.success());
    assert_eq!(
        sha256_hex(&std::fs::read(downloads.join("h2.bin")).unwrap()),
        sha256_hex(&body)
    );
    let requests = served.requests.lock().unwrap().clone();
    let ranged = requests.iter().filter(|(_, range)| range.is_some()).count();
    assert!(ranged >= 2, "several ranges: {requests:?}");
    assert!(
        requests
            .iter()
            .all(|(version, _)| *version == Version::HTTP_2),
        "every request over HTTP/2: {requests:?}"
    );
    server.abort();
}
