//! A bounded pool of threads for media work, so hashing and decoding never run on
//! the async runtime and never take more cores than the user allows.

use std::sync::Arc;
use std::time::Duration;

use crate::error::{MediaError, Result};

#[derive(Clone)]
pub struct MediaPool {
    pool: Arc<rayon::ThreadPool>,
    threads: usize,
}

impl MediaPool {
    /// `threads` workers (at least one).
    pub fn new(threads: usize) -> std::io::Result<Self> {
        let threads = threads.max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("haul-media-{i}"))
            .build()
            .map_err(std::io::Error::other)?;
        Ok(Self {
            pool: Arc::new(pool),
            threads,
        })
    }

    /// Half the machine's cores, at least one: leaves room for the window.
    pub fn default_threads() -> usize {
        std::thread::available_parallelism()
            .map(|n| n.get() / 2)
            .unwrap_or(1)
            .max(1)
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    /// Runs `work` on the pool and waits for it without blocking the runtime.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.pool.spawn(move || {
            let _ = tx.send(work());
        });
        rx.await.map_err(|_| MediaError::PoolStopped)?
    }

    /// Like [`MediaPool::run`], but gives up waiting after `budget`: the work
    /// finishes on its own (its size is bounded by the decode limits) and its
    /// result is dropped.
    pub async fn run_within<T, F>(&self, budget: Duration, what: &str, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T> + Send + 'static,
    {
        match tokio::time::timeout(budget, self.run(work)).await {
            Ok(result) => result,
            Err(_) => Err(MediaError::Limit {
                path: what.to_string(),
                what: format!("took longer than {} s to decode", budget.as_secs()),
            }),
        }
    }

    /// Runs `work` on the pool's threads from synchronous code (rayon's
    /// parallel iterators inside use this pool).
    pub fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        self.pool.install(work)
    }
}
