//! Logs go to a daily-rotated file in the OS log folder and to stderr.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer, fmt};

const KEEP_LOG_FILES: usize = 7;

/// Installs the global subscriber. `stderr_default` is the stderr filter unless
/// `RUST_LOG` says otherwise; the file always gets `info` and up. Keep the guard
/// alive until exit so buffered lines are written.
pub fn init(log_dir: &Path, stderr_default: &str) -> Option<WorkerGuard> {
    let stderr_filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(stderr_default));
    let stderr_layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(stderr_filter);

    let file = std::fs::create_dir_all(log_dir).ok().and_then(|()| {
        RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix("haul")
            .filename_suffix("log")
            .max_log_files(KEEP_LOG_FILES)
            .build(log_dir)
            .ok()
    });
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = tracing_appender::non_blocking(appender);
            let layer = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(EnvFilter::new("info"));
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    // A second init (tests, embedding) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init();
    if guard.is_none() {
        tracing::warn!(dir = %log_dir.display(), "cannot write log files; logging to stderr only");
    }
    guard
}
