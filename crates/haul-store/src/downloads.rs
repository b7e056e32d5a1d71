//! The `downloads` table.

use sqlx::SqlitePool;

use crate::{StoreError, now_millis};

/// One row of `downloads`. Byte counts are stored as SQLite integers (i64).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DownloadRow {
    pub id: i64,
    pub url: String,
    pub dir: String,
    pub file_name: Option<String>,
    pub total_bytes: Option<i64>,
    pub received_bytes: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub state: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What a checkpoint records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumeRecord<'a> {
    pub file_name: Option<&'a str>,
    pub total_bytes: Option<i64>,
    pub received_bytes: i64,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

pub struct Downloads<'a> {
    pub(crate) pool: &'a SqlitePool,
}

const COLUMNS: &str = "id, url, dir, file_name, total_bytes, received_bytes, etag, last_modified, \
                       state, error_code, error_message, created_at, updated_at";

impl Downloads<'_> {
    pub async fn insert(&self, url: &str, dir: &str) -> Result<DownloadRow, StoreError> {
        let now = now_millis();
        let row = sqlx::query_as::<_, DownloadRow>(&format!(
            "INSERT INTO downloads (url, dir, state, created_at, updated_at) \
             VALUES (?, ?, 'queued', ?, ?) RETURNING {COLUMNS}"
        ))
        .bind(url)
        .bind(dir)
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

    /// All downloads, oldest first.
    pub async fn list(&self) -> Result<Vec<DownloadRow>, StoreError> {
        let rows = sqlx::query_as::<_, DownloadRow>(&format!(
            "SELECT {COLUMNS} FROM downloads ORDER BY id"
        ))
        .fetch_all(self.pool)
        .await?;
        Ok(rows)
    }

    pub async fn list_in_states(&self, states: &[&str]) -> Result<Vec<DownloadRow>, StoreError> {
        let placeholders = vec!["?"; states.len()].join(", ");
        let sql =
            format!("SELECT {COLUMNS} FROM downloads WHERE state IN ({placeholders}) ORDER BY id");
        let mut query = sqlx::query_as::<_, DownloadRow>(&sql);
        for state in states {
            query = query.bind(*state);
        }
        Ok(query.fetch_all(self.pool).await?)
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
            "SELECT {COLUMNS} FROM downloads WHERE url = ? AND dir = ? AND state IN ({placeholders}) \
             ORDER BY id DESC LIMIT 1"
        );
        let mut query = sqlx::query_as::<_, DownloadRow>(&sql).bind(url).bind(dir);
        for state in states {
            query = query.bind(*state);
        }
        Ok(query.fetch_optional(self.pool).await?)
    }

    pub async fn save_resume(&self, id: i64, record: &ResumeRecord<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE downloads SET file_name = ?, total_bytes = ?, received_bytes = ?, etag = ?, \
             last_modified = ?, updated_at = ? WHERE id = ?",
        )
        .bind(record.file_name)
        .bind(record.total_bytes)
        .bind(record.received_bytes)
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

    #[tokio::test]
    async fn rows_round_trip_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("haul.db");
        let store = Store::open(&path).await.unwrap();
        let row = store
            .downloads()
            .insert("http://127.0.0.1/a", "/tmp/x")
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
        let row = store.downloads().insert("u", "d").await.unwrap();
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
