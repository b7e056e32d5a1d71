//! Haul's SQLite store. Nothing outside this crate writes SQL.

pub mod bin;
pub mod downloads;
pub mod faces;
pub mod history;
pub mod history_stats;
pub mod library;
pub mod server_auth;
pub mod sources;
pub mod tasks;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open {
        path: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("cannot upgrade the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("the database holds an unknown value {value:?} in {column}")]
    Corrupt { column: &'static str, value: String },
}

/// How much of the database file each connection maps (address space only:
/// pages are shared with the OS cache and counted once).
const MMAP_BYTES: u64 = 1 << 30;

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database file, in WAL mode with foreign keys,
    /// and applies the embedded migrations. Only the process that owns the data
    /// folder calls this, so two processes never migrate at once.
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        let store = Self::connect(path, true).await?;
        sqlx::migrate!("./migrations").run(&store.pool).await?;
        Ok(store)
    }

    /// Opens the database another process owns, without creating or migrating it.
    /// `None` when it does not exist yet or its schema is not in place.
    pub async fn open_existing(path: &Path) -> Result<Option<Self>, StoreError> {
        if !path.exists() {
            return Ok(None);
        }
        let store = Self::connect(path, false).await?;
        let (tables,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'downloads'",
        )
        .fetch_one(&store.pool)
        .await?;
        Ok((tables > 0).then_some(store))
    }

    /// An empty, migrated database in memory: what a reader sees before the
    /// owner has created the real one.
    pub async fn open_empty() -> Result<Self, StoreError> {
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect("sqlite::memory:")
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    async fn connect(path: &Path, create: bool) -> Result<Self, StoreError> {
        let open_error = |source| StoreError::Open {
            path: path.display().to_string(),
            source,
        };
        let mut options = SqliteConnectOptions::from_str("sqlite:")
            .map_err(open_error)?
            .filename(path)
            .create_if_missing(create)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Reads through a memory map: a page already in the OS cache costs no
            // system call (a history search visits thousands of scattered rows).
            .pragma("mmap_size", MMAP_BYTES.to_string());
        // Only the owner sets WAL mode: the pragma takes an exclusive lock that the
        // busy timeout does not wait for, so a reader opening while the owner
        // creates the file would fail with "database is locked". Readers find
        // WAL mode in the file's header.
        if create {
            options = options.journal_mode(SqliteJournalMode::Wal);
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(open_error)?;
        Ok(Self { pool })
    }

    pub fn downloads(&self) -> downloads::Downloads<'_> {
        downloads::Downloads { pool: &self.pool }
    }

    pub fn library(&self) -> library::Library<'_> {
        library::Library { pool: &self.pool }
    }

    pub fn faces(&self) -> faces::Faces<'_> {
        faces::Faces { pool: &self.pool }
    }

    pub fn bin(&self) -> bin::Bin<'_> {
        bin::Bin { pool: &self.pool }
    }

    pub fn sources(&self) -> sources::Sources<'_> {
        sources::Sources { pool: &self.pool }
    }

    pub fn history(&self) -> history::History<'_> {
        history::History { pool: &self.pool }
    }

    /// One trivial query: the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub fn history_stats(&self) -> history_stats::HistoryStats<'_> {
        history_stats::HistoryStats { pool: &self.pool }
    }

    pub fn server_auth(&self) -> server_auth::ServerAuth<'_> {
        server_auth::ServerAuth { pool: &self.pool }
    }

    pub fn tasks(&self) -> tasks::Tasks<'_> {
        tasks::Tasks { pool: &self.pool }
    }

    /// `PRAGMA quick_check`: "ok" when the file is sound.
    pub async fn quick_check(&self) -> Result<String, StoreError> {
        let (result,): (String,) = sqlx::query_as("PRAGMA quick_check")
            .fetch_one(&self.pool)
            .await?;
        Ok(result)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The time now, in milliseconds since the Unix epoch: how every table stores time.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}
