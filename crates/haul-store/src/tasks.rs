//! The `tasks` and `task_files` tables.

use sqlx::SqlitePool;

use crate::{StoreError, now_millis};

#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct TaskRow {
    pub id: i64,
    pub info_hash: String,
    pub name: String,
    pub provider: String,
    pub magnet: String,
    pub torrent: Option<Vec<u8>>,
    pub remote_id: Option<String>,
    pub state: String,
    pub dir: String,
    pub label: Option<String>,
    pub selection: String,
    pub files_chosen: bool,
    pub remote_selected: bool,
    pub provider_status: Option<String>,
    pub provider_progress: f64,
    pub provider_speed: i64,
    pub seeders: Option<i64>,
    pub total_bytes: Option<i64>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TaskFileRow {
    pub task_id: i64,
    pub idx: i64,
    pub remote_id: String,
    pub path: String,
    pub size: i64,
    pub link: Option<String>,
    pub selected: bool,
    pub download_id: Option<i64>,
}

/// What a new task starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTask<'a> {
    pub info_hash: &'a str,
    pub name: &'a str,
    pub provider: &'a str,
    pub magnet: &'a str,
    pub torrent: Option<&'a [u8]>,
    pub dir: &'a str,
    pub label: Option<&'a str>,
    pub selection: &'a str,
}

/// A file as the provider lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTaskFile<'a> {
    pub remote_id: &'a str,
    pub path: &'a str,
    pub size: i64,
    pub link: Option<&'a str>,
}

/// The provider's view of a task, refreshed while it resolves. `total_bytes` only
/// fills a size not known yet (a choice of files sets its own).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderProgress<'a> {
    pub status: &'a str,
    pub progress: f64,
    pub speed: i64,
    pub seeders: Option<i64>,
    pub total_bytes: Option<i64>,
}

pub struct Tasks<'a> {
    pub(crate) pool: &'a SqlitePool,
}

const COLUMNS: &str = "id, info_hash, name, provider, magnet, torrent, remote_id, state, dir, \
                       label, selection, files_chosen, remote_selected, provider_status, \
                       provider_progress, provider_speed, seeders, total_bytes, error_code, \
                       error_message, created_at, updated_at";
const FILE_COLUMNS: &str = "task_id, idx, remote_id, path, size, link, selected, download_id";

impl Tasks<'_> {
    /// Adds a queued task; `None` when a task for this info hash exists already.
    pub async fn insert(&self, new: &NewTask<'_>) -> Result<Option<TaskRow>, StoreError> {
        let now = now_millis();
        let row = sqlx::query_as::<_, TaskRow>(&format!(
            "INSERT INTO tasks (info_hash, name, provider, magnet, torrent, dir, label, selection, \
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (info_hash) DO NOTHING RETURNING {COLUMNS}"
        ))
        .bind(new.info_hash)
        .bind(new.name)
        .bind(new.provider)
        .bind(new.magnet)
        .bind(new.torrent)
        .bind(new.dir)
        .bind(new.label)
        .bind(new.selection)
        .bind(now)
        .bind(now)
        .fetch_optional(self.pool)
        .await?;
        Ok(row)
    }

    pub async fn get(&self, id: i64) -> Result<Option<TaskRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, TaskRow>(&format!("SELECT {COLUMNS} FROM tasks WHERE id = ?"))
                .bind(id)
                .fetch_optional(self.pool)
                .await?,
        )
    }

    pub async fn find_by_hash(&self, info_hash: &str) -> Result<Option<TaskRow>, StoreError> {
        Ok(sqlx::query_as::<_, TaskRow>(&format!(
            "SELECT {COLUMNS} FROM tasks WHERE info_hash = ?"
        ))
        .bind(info_hash)
        .fetch_optional(self.pool)
        .await?)
    }

    /// Newest first.
    pub async fn list(&self) -> Result<Vec<TaskRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, TaskRow>(&format!("SELECT {COLUMNS} FROM tasks ORDER BY id DESC"))
                .fetch_all(self.pool)
                .await?,
        )
    }

    pub async fn list_in_states(&self, states: &[&str]) -> Result<Vec<TaskRow>, StoreError> {
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql =
            format!("SELECT {COLUMNS} FROM tasks WHERE state IN ({placeholders}) ORDER BY id");
        let mut query = sqlx::query_as::<_, TaskRow>(&sql);
        for state in states {
            query = query.bind(*state);
        }
        Ok(query.fetch_all(self.pool).await?)
    }

    /// Sets the state; an error is recorded with failures and cleared otherwise.
    pub async fn set_state(
        &self,
        id: i64,
        state: &str,
        error: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tasks SET state = ?, error_code = ?, error_message = ?, updated_at = ? \
             WHERE id = ?",
        )
        .bind(state)
        .bind(error.map(|(code, _)| code))
        .bind(error.map(|(_, message)| message))
        .bind(now_millis())
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    /// Records (or with `None` forgets) the provider's id for the task.
    pub async fn set_remote(
        &self,
        id: i64,
        remote_id: Option<&str>,
        name: Option<&str>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tasks SET remote_id = ?, name = COALESCE(?, name), remote_selected = 0, \
             updated_at = ? WHERE id = ?",
        )
        .bind(remote_id)
        .bind(name)
        .bind(now_millis())
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_provider_progress(
        &self,
        id: i64,
        progress: &ProviderProgress<'_>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tasks SET provider_status = ?, provider_progress = ?, provider_speed = ?, \
             seeders = ?, total_bytes = COALESCE(total_bytes, ?), updated_at = ? WHERE id = ?",
        )
        .bind(progress.status)
        .bind(progress.progress)
        .bind(progress.speed)
        .bind(progress.seeders)
        .bind(progress.total_bytes)
        .bind(now_millis())
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    pub async fn set_remote_selected(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE tasks SET remote_selected = 1, updated_at = ? WHERE id = ?")
            .bind(now_millis())
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    pub async fn files(&self, task_id: i64) -> Result<Vec<TaskFileRow>, StoreError> {
        Ok(sqlx::query_as::<_, TaskFileRow>(&format!(
            "SELECT {FILE_COLUMNS} FROM task_files WHERE task_id = ? ORDER BY idx"
        ))
        .bind(task_id)
        .fetch_all(self.pool)
        .await?)
    }

    /// Stores the provider's file list the first time; later calls only refresh
    /// the links of files already listed (a choice once made is kept).
    pub async fn save_files(
        &self,
        task_id: i64,
        files: &[NewTaskFile<'_>],
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let (listed,): (i64,) = sqlx::query_as("SELECT count(*) FROM task_files WHERE task_id = ?")
            .bind(task_id)
            .fetch_one(&mut *tx)
            .await?;
        for (idx, file) in files.iter().enumerate() {
            let idx = i64::try_from(idx).unwrap_or(i64::MAX);
            if listed == 0 {
                sqlx::query(
                    "INSERT INTO task_files (task_id, idx, remote_id, path, size, link) \
                     VALUES (?, ?, ?, ?, ?, ?)",
                )
                .bind(task_id)
                .bind(idx)
                .bind(file.remote_id)
                .bind(file.path)
                .bind(file.size)
                .bind(file.link)
                .execute(&mut *tx)
                .await?;
            } else {
                sqlx::query(
                    "UPDATE task_files SET link = COALESCE(?, link) WHERE task_id = ? AND remote_id = ?",
                )
                .bind(file.link)
                .bind(task_id)
                .bind(file.remote_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let total: i64 = files.iter().map(|f| f.size).sum();
        sqlx::query(
            "UPDATE tasks SET total_bytes = COALESCE(total_bytes, ?), updated_at = ? WHERE id = ?",
        )
        .bind(total)
        .bind(now_millis())
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Chooses which files to download (by `idx`), in one transaction.
    pub async fn choose_files(&self, task_id: i64, chosen: &[i64]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE task_files SET selected = 0 WHERE task_id = ?")
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        for idx in chosen {
            sqlx::query("UPDATE task_files SET selected = 1 WHERE task_id = ? AND idx = ?")
                .bind(task_id)
                .bind(idx)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "UPDATE tasks SET files_chosen = 1, total_bytes = \
             (SELECT COALESCE(SUM(size), 0) FROM task_files WHERE task_id = ? AND selected = 1), \
             updated_at = ? WHERE id = ?",
        )
        .bind(task_id)
        .bind(now_millis())
        .bind(task_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_file_download(
        &self,
        task_id: i64,
        idx: i64,
        download_id: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE task_files SET download_id = ? WHERE task_id = ? AND idx = ?")
            .bind(download_id)
            .bind(task_id)
            .bind(idx)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    /// Forgets the provider's file list (the torrent is added again).
    pub async fn clear_files(&self, task_id: i64) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM task_files WHERE task_id = ?")
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE tasks SET files_chosen = 0, remote_selected = 0 WHERE id = ?")
            .bind(task_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes the task, its file list and its downloads' rows.
    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        let result = sqlx::query("DELETE FROM tasks WHERE id = ?")
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(result.rows_affected() > 0)
    }
}
