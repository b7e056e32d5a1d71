//! What every handler shares.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use haul_core::Core;
use haul_core::diagnostics::Readiness;

use crate::auth::Auth;
use crate::dirs::AllowedDirs;
use crate::events::EventHub;
use crate::http::rate::RateLimits;
use crate::routes::ui::UiAssets;

/// How `haul serve` runs.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// Address to listen on (`127.0.0.1:8080` by default).
    pub listen: Option<std::net::SocketAddr>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub allow_dirs: Vec<PathBuf>,
    /// The reverse proxy whose `X-Forwarded-For` is trusted; it terminates TLS.
    pub behind_proxy: Option<IpAddr>,
    /// The built UI (`ui/dist`); found next to the binary when not given.
    pub ui_dir: Option<PathBuf>,
}

#[derive(Clone)]
pub struct AppState {
    pub core: Arc<Core>,
    pub auth: Arc<Auth>,
    pub options: Arc<ServeOptions>,
    pub rate: Arc<RateLimits>,
    pub events: Arc<EventHub>,
    pub ui: Arc<UiAssets>,
    pub dirs: Arc<AllowedDirs>,
    /// The last readiness and when it was taken: `/ready` needs no login, so it
    /// must not let anyone make the server call the providers at will.
    pub readiness: Arc<tokio::sync::Mutex<Option<(std::time::Instant, Readiness)>>>,
}
