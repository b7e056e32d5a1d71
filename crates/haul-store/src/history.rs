//! The `history` table: one row per file Haul fetched, from any origin, with an
//! FTS5 index over its name, title, caption and account. Pages are read newest
//! first by keyset on the row id (the order files finished in), never OFFSET, so
//! FTS5 can walk its matches in rowid order and stop at the page's end.

use sqlx::SqlitePool;

use crate::StoreError;

#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow, serde::Deserialize)]
pub struct HistoryRow {
    pub id: i64,
    pub finished_at: i64,
    pub origin: String,
    pub platform: Option<String>,
    pub source_id: Option<i64>,
    pub media_id: Option<String>,
    pub posted_at: Option<i64>,
    pub size: Option<i64>,
    pub kind: Option<String>,
    pub blake3: Option<String>,
    pub url: Option<String>,
    pub path: String,
    pub file_name: String,
    pub account: Option<String>,
    pub title: Option<String>,
    pub caption: Option<String>,
    pub download_id: Option<i64>,
    pub task_id: Option<i64>,
}

const COLUMNS: &str = "id, finished_at, origin, platform, source_id, media_id, posted_at, size, \
                       kind, blake3, url, path, file_name, account, title, caption, download_id, \
                       task_id";

/// A search: every field narrows it; `before` continues after a page's last id.
#[derive(Clone, Debug, Default)]
pub struct HistoryQuery {
    /// Words to find in the name, title, caption or account (prefixes match).
    pub text: Option<String>,
    pub platform: Option<String>,
    pub source_id: Option<i64>,
    pub origin: Option<String>,
    pub kind: Option<String>,
    /// Finished at or after (ms).
    pub since: Option<i64>,
    /// Finished before (ms).
    pub until: Option<i64>,
    pub before: Option<i64>,
    pub limit: i64,
}

/// Turns what the user typed into an FTS5 query that cannot be a syntax error:
/// each word quoted (quotes doubled) and matched as a prefix; all must match.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == '"')
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

pub struct History<'a> {
    pub(crate) pool: &'a SqlitePool,
}

impl History<'_> {
    /// Records a finished file; returns its id.
    pub async fn insert(&self, row: &HistoryRow) -> Result<i64, StoreError> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO history (finished_at, origin, platform, source_id, media_id, posted_at, \
             size, kind, blake3, url, path, file_name, account, title, caption, download_id, \
             task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(row.finished_at)
        .bind(&row.origin)
        .bind(&row.platform)
        .bind(row.source_id)
        .bind(&row.media_id)
        .bind(row.posted_at)
        .bind(row.size)
        .bind(&row.kind)
        .bind(&row.blake3)
        .bind(&row.url)
        .bind(&row.path)
        .bind(&row.file_name)
        .bind(&row.account)
        .bind(&row.title)
        .bind(&row.caption)
        .bind(row.download_id)
        .bind(row.task_id)
        .fetch_one(self.pool)
        .await?;
        Ok(id)
    }

    /// Records many rows in one transaction (their ids are not kept).
    pub async fn insert_many(&self, rows: &[HistoryRow]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for row in rows {
            sqlx::query(
                "INSERT INTO history (finished_at, origin, platform, source_id, media_id, \
                 posted_at, size, kind, blake3, url, path, file_name, account, title, caption, \
                 download_id, task_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(row.finished_at)
            .bind(&row.origin)
            .bind(&row.platform)
            .bind(row.source_id)
            .bind(&row.media_id)
            .bind(row.posted_at)
            .bind(row.size)
            .bind(&row.kind)
            .bind(&row.blake3)
            .bind(&row.url)
            .bind(&row.path)
            .bind(&row.file_name)
            .bind(&row.account)
            .bind(&row.title)
            .bind(&row.caption)
            .bind(row.download_id)
            .bind(row.task_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Rows in the history.
    pub async fn total(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM history")
            .fetch_one(self.pool)
            .await?;
        Ok(n)
    }

    /// Imports rows (their ids are not kept), skipping any already recorded (the
    /// same path finished at the same time), in one transaction. Returns how
    /// many were added.
    pub async fn import(&self, rows: &[HistoryRow]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for row in rows {
            let done = sqlx::query(
                "INSERT INTO history (finished_at, origin, platform, source_id, media_id, \
                 posted_at, size, kind, blake3, url, path, file_name, account, title, caption, \
                 download_id, task_id) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
                 WHERE NOT EXISTS (SELECT 1 FROM history WHERE path = ? AND finished_at = ?)",
            )
            .bind(row.finished_at)
            .bind(&row.origin)
            .bind(&row.platform)
            .bind(row.source_id)
            .bind(&row.media_id)
            .bind(row.posted_at)
            .bind(row.size)
            .bind(&row.kind)
            .bind(&row.blake3)
            .bind(&row.url)
            .bind(&row.path)
            .bind(&row.file_name)
            .bind(&row.account)
            .bind(&row.title)
            .bind(&row.caption)
            .bind(row.download_id)
            .bind(row.task_id)
            .bind(&row.path)
            .bind(row.finished_at)
            .execute(&mut *tx)
            .await?;
            added += done.rows_affected();
        }
        tx.commit().await?;
        Ok(added)
    }

    /// One page of a search, newest first.
    pub async fn search(&self, query: &HistoryQuery) -> Result<Vec<HistoryRow>, StoreError> {
        let (sql, binds) = search_sql(query);
        let mut q = sqlx::query_as::<_, (Option<String>,)>(&sql);
        for bind in binds {
            q = match bind {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        let (page,) = q.fetch_one(self.pool).await?;
        let mut rows: Vec<HistoryRow> = match page {
            Some(json) => serde_json::from_str(&json).map_err(|e| StoreError::Corrupt {
                column: "history",
                value: e.to_string(),
            })?,
            None => Vec::new(),
        };
        // An aggregate's input order is SQLite's to choose: put the page in order.
        rows.sort_unstable_by_key(|row| std::cmp::Reverse(row.id));
        Ok(rows)
    }

    /// How many rows match (the filters only; for the page's total).
    pub async fn count(&self, query: &HistoryQuery) -> Result<i64, StoreError> {
        let unpaged = HistoryQuery {
            before: None,
            ..query.clone()
        };
        let (from, binds, _) = from_where(&unpaged);
        let sql = format!("SELECT count(*) {from}");
        let mut q = sqlx::query_as::<_, (i64,)>(&sql);
        for bind in binds {
            q = match bind {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        Ok(q.fetch_one(self.pool).await?.0)
    }

    /// Every row, oldest first, a page at a time (for export).
    pub async fn after(&self, after_id: i64, limit: i64) -> Result<Vec<HistoryRow>, StoreError> {
        Ok(sqlx::query_as::<_, HistoryRow>(&format!(
            "SELECT {COLUMNS} FROM history WHERE id > ? ORDER BY id LIMIT ?"
        ))
        .bind(after_id)
        .bind(limit)
        .fetch_all(self.pool)
        .await?)
    }
}

fn prefixed(prefix: &str) -> String {
    COLUMNS
        .split(", ")
        .map(|c| format!("{prefix}{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A value bound to a `?` of the search's SQL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    Int(i64),
    Text(String),
}

/// The `FROM … WHERE …` of a search, with its values in order.
fn from_where(query: &HistoryQuery) -> (String, Vec<Bind>, &'static str) {
    let mut sql = String::new();
    let mut binds = Vec::new();
    let text = query.text.as_deref().and_then(fts_query);
    // With words, FTS5 walks its matches newest first and each is looked up by
    // id (CROSS JOIN keeps that order: joined the other way, SQLite would run
    // the match once per row of an index).
    let id = if text.is_some() { "f.rowid" } else { "h.id" };
    if let Some(text) = text {
        sql.push_str(
            "FROM history_fts f CROSS JOIN history h ON h.id = f.rowid WHERE history_fts MATCH ?",
        );
        binds.push(Bind::Text(text));
    } else {
        sql.push_str("FROM history h WHERE 1");
    }
    let mut filter = |clause: &str, bind: Bind| {
        sql.push_str(clause);
        binds.push(bind);
    };
    if let Some(platform) = &query.platform {
        filter(" AND h.platform = ?", Bind::Text(platform.clone()));
    }
    if let Some(source) = query.source_id {
        filter(" AND h.source_id = ?", Bind::Int(source));
    }
    if let Some(origin) = &query.origin {
        filter(" AND h.origin = ?", Bind::Text(origin.clone()));
    }
    if let Some(kind) = &query.kind {
        filter(" AND h.kind = ?", Bind::Text(kind.clone()));
    }
    if let Some(since) = query.since {
        filter(" AND h.finished_at >= ?", Bind::Int(since));
    }
    if let Some(until) = query.until {
        filter(" AND h.finished_at < ?", Bind::Int(until));
    }
    if let Some(before) = query.before {
        filter(&format!(" AND {id} < ?"), Bind::Int(before));
    }
    (sql, binds, id)
}

/// The SQL a search runs and its values: what the benchmark hands the
/// `sqlite3` CLI too, so both run the same statement.
pub fn search_sql(query: &HistoryQuery) -> (String, Vec<Bind>) {
    let (from, mut binds, id) = from_where(query);
    binds.push(Bind::Int(query.limit.clamp(1, 1000)));
    // The page comes back as one JSON row: the SQLite driver hands rows over one
    // by one across threads, which cost more than the search itself.
    let object = COLUMNS
        .split(", ")
        .map(|c| format!("'{0}', {0}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    (
        format!(
            "SELECT json_group_array(json_object({object})) FROM (SELECT {} {from} ORDER BY {id} DESC LIMIT ?)",
            prefixed("h.")
        ),
        binds,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    fn row(name: &str, caption: &str, platform: &str, at: i64) -> HistoryRow {
        HistoryRow {
            finished_at: at,
            origin: "source".into(),
            platform: Some(platform.into()),
            path: format!("/d/{name}"),
            file_name: name.into(),
            caption: Some(caption.into()),
            ..HistoryRow::default()
        }
    }

    #[tokio::test]
    async fn searches_words_with_filters_and_pages_by_keyset() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("haul.db")).await.unwrap();
        let history = store.history();
        for i in 0..5 {
            history
                .insert(&row(
                    &format!("a{i}.jpg"),
                    "sunset over the Café",
                    "reddit",
                    i,
                ))
                .await
                .unwrap();
        }
        history
            .insert(&row("b.jpg", "mountain", "xenforo", 9))
            .await
            .unwrap();
        let mut query = HistoryQuery {
            text: Some("cafe SUN".into()),
            platform: Some("reddit".into()),
            limit: 2,
            ..HistoryQuery::default()
        };
        let first = history.search(&query).await.unwrap();
        assert_eq!(
            first
                .iter()
                .map(|r| r.file_name.as_str())
                .collect::<Vec<_>>(),
            ["a4.jpg", "a3.jpg"]
        );
        query.before = Some(first[1].id);
        let second = history.search(&query).await.unwrap();
        assert_eq!(second[0].file_name, "a2.jpg");
        assert_eq!(history.count(&query).await.unwrap(), 5);
        // Characters FTS5 would read as syntax are only words here: no error.
        query.text = Some("over* ( \"the".into());
        assert_eq!(history.count(&query).await.unwrap(), 5);
        // "OR" is a word to find too, not an operator.
        query.text = Some("sunset OR".into());
        assert_eq!(history.count(&query).await.unwrap(), 0);
        query.text = Some("mountain".into());
        assert_eq!(history.count(&query).await.unwrap(), 0);
    }

    #[tokio::test]
    async fn import_skips_rows_already_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("haul.db")).await.unwrap();
        let rows = [
            row("a.jpg", "x", "reddit", 1),
            row("b.jpg", "y", "reddit", 2),
        ];
        assert_eq!(store.history().import(&rows).await.unwrap(), 2);
        assert_eq!(store.history().import(&rows).await.unwrap(), 0);
        let all = store.history().after(0, 10).await.unwrap();
        assert_eq!(all.len(), 2);
    }
}
