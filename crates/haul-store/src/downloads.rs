//! The `downloads` table.

use sqlx::SqlitePool;

use crate::{StoreError, now_millis};

/// One row of `downloads`. Byte counts are stored as SQLite integers (i64).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DownloadRow {
    pub id: i64,
    pub url: String,
    pub dir: String,
    pub position: i64,
    pub connections: i64,
    pub speed_limit: Option<i64>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub total_bytes: Option<i64>,
    pub received_bytes: i64,
    pub segments: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub state: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The debrid task this download belongs to.
    pub task_id: Option<i64>,
    /// The platform account whose cookies (from the keyring) the fetch sends.
    pub account: Option<String>,
    /// JSON array of `[name, value]` headers the fetch sends (never cookies).
    pub headers: Option<String>,
    /// The finished file's modification time (Unix seconds): a post's date.
    pub mtime: Option<i64>,
}

/// What a checkpoint records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeRecord<'a> {
    pub file_name: Option<&'a str>,
    pub total_bytes: Option<i64>,
    pub received_bytes: i64,
    /// JSON, as the engine's segments serialise.
    pub segments: Option<&'a str>,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// What a new download starts with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDownload<'a> {
    pub url: &'a str,
    pub dir: &'a str,
    pub connections: i64,
    pub speed_limit: Option<i64>,
    pub sha256: Option<&'a str>,
    /// A name chosen before the first response (a task's file).
    pub file_name: Option<&'a str>,
    pub task_id: Option<i64>,
    pub account: Option<&'a str>,
    pub headers: Option<&'a str>,
    pub mtime: Option<i64>,
}

pub struct Downloads<'a> {
    pub(crate) pool: &'a SqlitePool,
}

const COLUMNS: &str = "id, url, dir, position, connections, speed_limit, sha256, file_name, \
                       total_bytes, received_bytes, segments, etag, last_modified, state, \
                       error_code, error_message, created_at, updated_at, task_id, account, \
                       headers, mtime";

impl Downloads<'_> {
    /// Adds a download at the end of the queue.
    pub async fn insert(&self, new: &NewDownload<'_>) -> Result<DownloadRow, StoreError> {
        let now = now_millis();
        let row = sqlx::query_as::<_, DownloadRow>(&format!(
            "INSERT INTO downloads (url, dir, position, connections, speed_limit, sha256, \
             file_name, task_id, account, headers, mtime, state, created_at, updated_at) \
             VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM downloads), ?, ?, ?, ?, ?, \
             ?, ?, ?, 'queued', ?, ?) RETURNING {COLUMNS}"
        ))
        .bind(new.url)
        .bind(new.dir)
        .bind(new.connections)
        .bind(new.speed_limit)
        .bind(new.sha256)
        .bind(new.file_name)
        .bind(new.task_id)
        .bind(new.account)
        .bind(new.headers)
        .bind(new.mtime)
        .bind(now)
        .bind(now)
        .fetch_one(self.pool)
        .await?;
        Ok(row)
    }

    pub async fn get(&self, id: i64) -> Result<Option<DownloadRow>, StoreError> {
        let row = sqlx::query_as::<_, DownloadRow>(&format!(
            "SELECT {COLUMNS} FROM downloads WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(self.pool)
        .await?;
        Ok(row)
    }

    /// Plain downloads (not a task's files) in queue order.
    pub async fn list(&self) -> Result<Vec<DownloadRow>, StoreError> {
        let rows = sqlx::query_as::<_, DownloadRow>(&format!(
            "SELECT {COLUMNS} FROM downloads WHERE task_id IS NULL ORDER BY position, id"
        ))
        .fetch_all(self.pool)
        .await?;
        Ok(rows)
    }

    /// A task's downloads.
    pub async fn list_for_task(&self, task_id: i64) -> Result<Vec<DownloadRow>, StoreError> {
        let rows = sqlx::query_as::<_, DownloadRow>(&format!(
            "SELECT {COLUMNS} FROM downloads WHERE task_id = ? ORDER BY id"
        ))
        .bind(task_id)
        .fetch_all(self.pool)
        .await?;
        Ok(rows)
    }

    /// Points a download at a fresh link (an expired one was unlocked again). The
    /// bytes on disk stay; the validators decide whether they can be continued.
    pub async fn set_url(&self, id: i64, url: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE downloads SET url = ?, updated_at = ? WHERE id = ?")
            .bind(url)
            .bind(now_millis())
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    pub async fn list_in_states(&self, states: &[&str]) -> Result<Vec<DownloadRow>, StoreError> {
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM downloads WHERE state IN ({placeholders}) ORDER BY position, id"
        );
        let mut query = sqlx::query_as::<_, DownloadRow>(&sql);
        for state in states {
            query = query.bind(*state);
        }
        Ok(query.fetch_all(self.pool).await?)
    }

    /// Up to `limit` queued downloads in queue order, after the one at
    /// (`position`, `id`): the scheduler reads only as far as it can start.
    pub async fn queued_after(
        &self,
        position: i64,
        id: i64,
        limit: i64,
    ) -> Result<Vec<DownloadRow>, StoreError> {
        let rows = sqlx::query_as::<_, DownloadRow>(&format!(
            "SELECT {COLUMNS} FROM downloads WHERE state = 'queued' AND (position, id) > (?, ?) \
             ORDER BY position, id LIMIT ?"
        ))
        .bind(position)
        .bind(id)
        .bind(limit)
        .fetch_all(self.pool)
        .await?;
        Ok(rows)
    }

    /// The newest download of `url` into `dir` that is in one of `states`.
    pub async fn find_by_url(
        &self,
        url: &str,
        dir: &str,
        states: &[&str],
    ) -> Result<Option<DownloadRow>, StoreError> {
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM downloads WHERE url = ? AND dir = ? AND task_id IS NULL \
             AND state IN ({placeholders}) ORDER BY id DESC LIMIT 1"
        );
        let mut query = sqlx::query_as::<_, DownloadRow>(&sql).bind(url).bind(dir);
        for state in states {
            query = query.bind(*state);
        }
        Ok(query.fetch_optional(self.pool).await?)
    }

    pub async fn save_resume(&self, id: i64, record: &ResumeRecord<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE downloads SET file_name = ?, total_bytes = ?, received_bytes = ?, segments = ?, \
             etag = ?, last_modified = ?, updated_at = ? WHERE id = ?",
        )
        .bind(record.file_name)
        .bind(record.total_bytes)
        .bind(record.received_bytes)
        .bind(record.segments)
        .bind(record.etag)
        .bind(record.last_modified)
        .bind(now_millis())
        .bind(id)
        .execute(self.pool)
        .await?;
        Ok(())
    }

    /// Sets the state; `error` is (code, message) for failed downloads and cleared
    /// otherwise.
    pub async fn set_state(
        &self,
        id: i64,
        state: &str,
        error: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE downloads SET state = ?, error_code = ?, error_message = ?, updated_at = ? \
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

    /// Moves every download in `from` to `to`; returns how many moved.
    pub async fn move_states(&self, from: &str, to: &str) -> Result<u64, StoreError> {
        let done = sqlx::query("UPDATE downloads SET state = ?, updated_at = ? WHERE state = ?")
            .bind(to)
            .bind(now_millis())
            .bind(from)
            .execute(self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Swaps the queue position of `id` with its neighbour (the previous one when
    /// `earlier`) among downloads in `states`. Returns false at the end of the queue.
    pub async fn move_in_queue(
        &self,
        id: i64,
        earlier: bool,
        states: &[&str],
    ) -> Result<bool, StoreError> {
        // IMMEDIATE takes the write lock first, so the read below cannot go stale.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (position,): (i64,) = sqlx::query_as("SELECT position FROM downloads WHERE id = ?")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let placeholders = vec!["?"; states.len()].join(", ");
        let (compare, order) = if earlier { ("<", "DESC") } else { (">", "ASC") };
        let sql = format!(
            "SELECT id, position FROM downloads WHERE position {compare} ? \
             AND state IN ({placeholders}) ORDER BY position {order} LIMIT 1"
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql).bind(position);
        for state in states {
            query = query.bind(*state);
        }
        let Some((other, other_position)) = query.fetch_optional(&mut *tx).await? else {
            return Ok(false);
        };
        sqlx::query(
            "UPDATE downloads SET position = CASE id WHEN ? THEN ? ELSE ? END, updated_at = ? \
             WHERE id IN (?, ?)",
        )
        .bind(id)
        .bind(other_position)
        .bind(position)
        .bind(now_millis())
        .bind(id)
        .bind(other)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    pub async fn set_speed_limit(&self, id: i64, limit: Option<i64>) -> Result<(), StoreError> {
        sqlx::query("UPDATE downloads SET speed_limit = ?, updated_at = ? WHERE id = ?")
            .bind(limit)
            .bind(now_millis())
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete(&self, id: i64) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM downloads WHERE id = ?")
            .bind(id)
            .execute(self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn new(url: &str) -> NewDownload<'_> {
        NewDownload {
            url,
            dir: "/tmp/x",
            connections: 8,
            speed_limit: None,
            sha256: None,
            file_name: None,
            task_id: None,
            account: None,
            headers: None,
            mtime: None,
        }
    }

    #[tokio::test]
    async fn the_queue_order_can_be_changed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("haul.db")).await.unwrap();
        let a = store.downloads().insert(&new("a")).await.unwrap();
        let b = store.downloads().insert(&new("b")).await.unwrap();
        let c = store.downloads().insert(&new("c")).await.unwrap();
        let order = async || -> Vec<i64> {
            store
                .downloads()
                .list()
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(order().await, vec![a.id, b.id, c.id]);
        assert!(
            store
                .downloads()
                .move_in_queue(c.id, true, &["queued"])
                .await
                .unwrap()
        );
        assert_eq!(order().await, vec![a.id, c.id, b.id]);
        assert!(
            !store
                .downloads()
                .move_in_queue(a.id, true, &["queued"])
                .await
                .unwrap()
        );
        assert!(
            store
                .downloads()
                .move_in_queue(a.id, false, &["queued"])
                .await
                .unwrap()
        );
        assert_eq!(order().await, vec![c.id, a.id, b.id]);
    }

    #[tokio::test]
    async fn rows_round_trip_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haul.db");
        let store = Store::open(&path).await.unwrap();
        let row = store
            .downloads()
            .insert(&new("http://127.0.0.1/a"))
            .await
            .unwrap();
        assert_eq!(row.state, "queued");
        store
            .downloads()
            .save_resume(
                row.id,
                &ResumeRecord {
                    file_name: Some("a.bin"),
                    total_bytes: Some(10),
                    received_bytes: 4,
                    segments: Some("[]"),
                    etag: Some("\"e\""),
                    last_modified: None,
                },
            )
            .await
            .unwrap();
        store
            .downloads()
            .set_state(row.id, "failed", Some(("Network", "boom")))
            .await
            .unwrap();
        store.close().await;

        let store = Store::open(&path).await.unwrap();
        let row = store.downloads().get(row.id).await.unwrap().unwrap();
        assert_eq!(row.file_name.as_deref(), Some("a.bin"));
        assert_eq!((row.received_bytes, row.total_bytes), (4, Some(10)));
        assert_eq!(row.error_message.as_deref(), Some("boom"));
        let found = store
            .downloads()
            .find_by_url("http://127.0.0.1/a", "/tmp/x", &["failed"])
            .await
            .unwrap();
        assert_eq!(found.map(|r| r.id), Some(row.id));
        assert_eq!(store.quick_check().await.unwrap(), "ok");
    }

    #[tokio::test]
    async fn the_schema_refuses_unknown_states_and_negative_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("haul.db")).await.unwrap();
        let row = store.downloads().insert(&new("u")).await.unwrap();
        assert!(
            store
                .downloads()
                .set_state(row.id, "exploded", None)
                .await
                .is_err()
        );
        let negative = ResumeRecord {
            received_bytes: -1,
            ..ResumeRecord::default()
        };
        assert!(
            store
                .downloads()
                .save_resume(row.id, &negative)
                .await
                .is_err()
        );
    }
}
