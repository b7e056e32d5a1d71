//! Binding and serving: loopback over plain HTTP, anything else only over TLS
//! (rustls) or behind a named reverse proxy; one accept loop for both, which
//! stops at shutdown without waiting for event streams that never end.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use haul_core::{Core, Error, ErrorCode};
use haul_store::Store;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::auth::Auth;
use crate::dirs::AllowedDirs;
use crate::events::EventHub;
use crate::http::headers::Tls;
use crate::http::rate::RateLimits;
use crate::routes::ui::UiAssets;
use crate::state::{AppState, ServeOptions};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
/// A client has this long to send its request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(15);

pub struct Server {
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    app: Router,
    local: SocketAddr,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidInput, message)
}

fn tls_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, Error> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::{CertificateDer, PrivateKeyDer};
    let certs = CertificateDer::pem_file_iter(cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .map_err(|e| {
            invalid(format!(
                "Cannot read the certificate {}: {e}",
                cert.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(invalid(format!("{} holds no certificate", cert.display())));
    }
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| {
        invalid(format!(
            "Cannot read the private key {}: {e}",
            key.display()
        ))
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| invalid(format!("TLS: {e}")))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| {
            invalid(format!(
                "The certificate and key do not make a TLS identity: {e}"
            ))
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

impl Server {
    /// Checks the options, binds, and builds the app. Refuses to start without
    /// an account, or on a non-loopback address without TLS or a proxy.
    pub async fn bind(core: Arc<Core>, store: Store, options: ServeOptions) -> Result<Self, Error> {
        if !crate::admin::has_account(&store).await? {
            return Err(Error::new(
                ErrorCode::InvalidState,
                "No password is set: run `haul serve --init` first (there is no default).",
            ));
        }
        let listen = match options.listen {
            Some(listen) => listen,
            None => DEFAULT_LISTEN
                .parse()
                .map_err(|_| invalid("bad default address".into()))?,
        };
        let tls = match (&options.tls_cert, &options.tls_key) {
            (Some(cert), Some(key)) => Some(TlsAcceptor::from(Arc::new(tls_config(cert, key)?))),
            (None, None) => None,
            _ => return Err(invalid("Give both --tls-cert and --tls-key.".into())),
        };
        if !listen.ip().is_loopback() && tls.is_none() && options.behind_proxy.is_none() {
            return Err(invalid(format!(
                "Listening on {listen} (not loopback) needs TLS: give --tls-cert and --tls-key, \
                 or --behind-proxy ADDR for a reverse proxy that terminates TLS."
            )));
        }
        let download_dir = std::path::PathBuf::from(core.settings().download_dir);
        let dirs = AllowedDirs::new(&download_dir, &options.allow_dirs)?;
        tracing::info!(folders = ?dirs.roots(), "remote clients may write inside these folders");
        let ui = match UiAssets::find(options.ui_dir.as_deref()) {
            Some(dir) => UiAssets::load(&dir).map_err(invalid)?,
            None => {
                tracing::warn!("no built UI found (HAUL_UI_DIR): serving the API only");
                UiAssets::none()
            }
        };
        let secure_cookies = tls.is_some() || options.behind_proxy.is_some();
        let listener = TcpListener::bind(listen)
            .await
            .map_err(|e| Error::from_io(&format!("Cannot listen on {listen}"), &e))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::from_io("Cannot read the bound address", &e))?;
        let state = AppState {
            events: EventHub::start(&core),
            core,
            auth: Arc::new(Auth::new(store, secure_cookies)),
            options: Arc::new(options),
            rate: Arc::new(RateLimits::default()),
            ui: Arc::new(ui),
            dirs: Arc::new(dirs),
            readiness: Arc::default(),
        };
        Ok(Self {
            listener,
            tls,
            app: crate::router(state),
            local,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// `http://…` or `https://…` of the bound address.
    pub fn url(&self) -> String {
        let scheme = if self.tls.is_some() { "https" } else { "http" };
        format!("{scheme}://{}", self.local)
    }

    /// Serves until `shutdown` completes; open connections are then dropped.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let mut connections = tokio::task::JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                () = &mut shutdown => break,
                accepted = self.listener.accept() => accepted,
                Some(_) = connections.join_next(), if !connections.is_empty() => continue,
            };
            let (stream, peer) = match accepted {
                Ok(pair) => pair,
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let app = self.app.clone();
            let tls = self.tls.clone();
            connections.spawn(async move {
                let secure = tls.is_some();
                let service = tower::service_fn(
                    move |mut request: axum::http::Request<hyper::body::Incoming>| {
                        request.extensions_mut().insert(ConnectInfo(peer));
                        if secure {
                            request.extensions_mut().insert(Tls);
                        }
                        app.clone().oneshot(request.map(Body::new))
                    },
                );
                let service = TowerToHyperService::new(service);
                let mut builder = Builder::new(TokioExecutor::new());
                builder
                    .http1()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_TIMEOUT);
                let served = match tls {
                    Some(acceptor) => {
                        match tokio::time::timeout(HEADER_TIMEOUT, acceptor.accept(stream)).await {
                            Ok(Ok(stream)) => {
                                builder
                                    .serve_connection_with_upgrades(TokioIo::new(stream), service)
                                    .await
                            }
                            _ => return,
                        }
                    }
                    None => {
                        builder
                            .serve_connection_with_upgrades(TokioIo::new(stream), service)
                            .await
                    }
                };
                if let Err(error) = served {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
            });
        }
        connections.abort_all();
    }
}
