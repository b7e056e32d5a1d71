//! A Tauri update server on 127.0.0.1: `latest.json` in the updater's manifest
//! format and one bundle, signed with minisign the way `tauri signer sign` signs
//! (base64 of the signature box, the version in the trusted comment).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use data_encoding::BASE64;

/// The key that debug builds of Haul trust when `HAUL_UPDATER_PUBKEY` holds
/// [`UpdateKey::public_base64`] of it; `cargo xtask test` sets that.
const TEST_SECRET_KEY: &str = include_str!("../fixtures/updater/test-key.sec");
pub const TEST_PUBLIC_KEY: &str = include_str!("../fixtures/updater/test-key.pub");

pub struct UpdateKey {
    secret: minisign::SecretKey,
    public: minisign::PublicKey,
}

impl UpdateKey {
    /// The committed test key.
    pub fn test_key() -> Self {
        let secret = minisign::SecretKeyBox::from_string(TEST_SECRET_KEY)
            .and_then(minisign::SecretKeyBox::into_unencrypted_secret_key)
            .unwrap_or_else(|e| panic!("the committed test key cannot be read: {e}"));
        let public = minisign::PublicKey::from_secret_key(&secret)
            .unwrap_or_else(|e| panic!("no public key for the test key: {e}"));
        Self { secret, public }
    }

    /// A fresh key nobody trusts.
    pub fn stranger() -> Self {
        let pair = minisign::KeyPair::generate_unencrypted_keypair()
            .unwrap_or_else(|e| panic!("cannot make a key: {e}"));
        Self {
            secret: pair.sk,
            public: pair.pk,
        }
    }

    /// The public key as Tauri's config holds it: base64 of the key box.
    pub fn public_base64(&self) -> String {
        let text = self
            .public
            .to_box()
            .unwrap_or_else(|e| panic!("cannot box the public key: {e}"))
            .into_string();
        BASE64.encode(text.as_bytes())
    }

    /// The `signature` field of the manifest for `bytes` released as `version`.
    pub fn sign(&self, bytes: &[u8], version: &str) -> String {
        let trusted =
            format!("timestamp:1764547200\tfile:haul_{version}_amd64.deb\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            std::io::Cursor::new(bytes),
            Some(&trusted),
            Some("signature from the Haul test key"),
        )
        .unwrap_or_else(|e| panic!("cannot sign: {e}"));
        BASE64.encode(signature.into_string().as_bytes())
    }
}

struct Served {
    manifest: String,
    bundle: Vec<u8>,
    downloads: AtomicU32,
}

/// Serves `/latest.json` and `/bundle`; stops when dropped.
pub struct UpdateServer {
    addr: SocketAddr,
    served: Arc<Served>,
    task: tokio::task::JoinHandle<()>,
}

impl UpdateServer {
    /// Offers `version` with `notes`; the manifest carries `signature`, the bundle
    /// route serves `bundle` (which may differ from what was signed).
    pub async fn start(
        version: &str,
        notes: &str,
        signature: &str,
        bundle: Vec<u8>,
    ) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let manifest = serde_json::json!({
            "version": version,
            "notes": notes,
            "pub_date": "2026-12-01T00:00:00Z",
            "platforms": {
                format!("linux-{}", std::env::consts::ARCH): {
                    "signature": signature,
                    "url": format!("http://{addr}/bundle"),
                }
            }
        })
        .to_string();
        let served = Arc::new(Served {
            manifest,
            bundle,
            downloads: AtomicU32::new(0),
        });
        let app = Router::new()
            .route("/latest.json", get(manifest_route))
            .route("/bundle", get(bundle_route))
            .with_state(Arc::clone(&served));
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("test update server stopped: {error}");
            }
        });
        Ok(Self { addr, served, task })
    }

    pub fn manifest_url(&self) -> String {
        format!("http://{}/latest.json", self.addr)
    }

    /// How many times the bundle was fetched.
    pub fn downloads(&self) -> u32 {
        self.served.downloads.load(Ordering::SeqCst)
    }
}

impl Drop for UpdateServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn manifest_route(State(served): State<Arc<Served>>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        served.manifest.clone(),
    )
}

async fn bundle_route(State(served): State<Arc<Served>>) -> impl IntoResponse {
    served.downloads.fetch_add(1, Ordering::SeqCst);
    (
        [(header::CONTENT_TYPE, "application/octet-stream")],
        served.bundle.clone(),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_committed_key_pair_matches() {
        let key = UpdateKey::test_key();
        let text =
            String::from_utf8(BASE64.decode(key.public_base64().as_bytes()).unwrap()).unwrap();
        assert_eq!(text.trim(), TEST_PUBLIC_KEY.trim());
        // What `cargo xtask test` hands the app as HAUL_UPDATER_PUBKEY.
        let for_the_app = include_str!("../fixtures/updater/test-key.pub.base64");
        assert_eq!(
            String::from_utf8(BASE64.decode(for_the_app.trim().as_bytes()).unwrap()).unwrap(),
            TEST_PUBLIC_KEY
        );
    }

    #[test]
    fn signatures_verify_only_with_their_key_and_bytes() {
        let key = UpdateKey::test_key();
        let signature = key.sign(b"bundle", "0.2.0");
        let decoded = String::from_utf8(BASE64.decode(signature.as_bytes()).unwrap()).unwrap();
        let signature_box = minisign::SignatureBox::from_string(&decoded).unwrap();
        assert!(
            signature_box
                .trusted_comment()
                .unwrap()
                .ends_with("version:0.2.0")
        );
        minisign::verify(
            &key.public,
            &signature_box,
            std::io::Cursor::new(b"bundle"),
            true,
            false,
            false,
        )
        .unwrap();
        assert!(
            minisign::verify(
                &key.public,
                &signature_box,
                std::io::Cursor::new(b"bundlf"),
                true,
                false,
                false
            )
            .is_err()
        );
        assert!(
            minisign::verify(
                &UpdateKey::stranger().public,
                &signature_box,
                std::io::Cursor::new(b"bundle"),
                true,
                false,
                false
            )
            .is_err()
        );
    }
}
