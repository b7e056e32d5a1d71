//! Figures for the Statistics page, read from the history: volume per day by
//! origin and platform, average speed per hour (bytes finished in the hour over
//! its length) and the sources that brought the most files.

use sqlx::SqlitePool;

use crate::StoreError;

pub struct HistoryStats<'a> {
    pub(crate) pool: &'a SqlitePool,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct DayVolumeRow {
    /// `YYYY-MM-DD` in local time.
    pub day: String,
    pub origin: String,
    pub platform: Option<String>,
    pub files: i64,
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct HourVolumeRow {
    /// Start of the hour, Unix ms.
    pub hour: i64,
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct TopSourceRow {
    pub source_id: i64,
    pub name: String,
    pub platform: String,
    pub files: i64,
    pub bytes: i64,
}

impl HistoryStats<'_> {
    /// Files finished since `since` (ms), per local day, origin and platform.
    pub async fn days(&self, since: i64) -> Result<Vec<DayVolumeRow>, StoreError> {
        Ok(sqlx::query_as::<_, DayVolumeRow>(
            "SELECT date(finished_at / 1000, 'unixepoch', 'localtime') AS day, origin, platform, \
                    count(*) AS files, coalesce(sum(size), 0) AS bytes \
             FROM history WHERE finished_at >= ?1 \
             GROUP BY day, origin, platform ORDER BY day, origin, platform",
        )
        .bind(since)
        .fetch_all(self.pool)
        .await?)
    }

    /// Bytes finished per hour since `since` (ms); hours with nothing are absent.
    pub async fn hours(&self, since: i64) -> Result<Vec<HourVolumeRow>, StoreError> {
        Ok(sqlx::query_as::<_, HourVolumeRow>(
            "SELECT (finished_at / 3600000) * 3600000 AS hour, coalesce(sum(size), 0) AS bytes \
             FROM history WHERE finished_at >= ?1 GROUP BY hour ORDER BY hour",
        )
        .bind(since)
        .fetch_all(self.pool)
        .await?)
    }

    /// The `limit` sources with the most files since `since` (ms).
    pub async fn top_sources(
        &self,
        since: i64,
        limit: i64,
    ) -> Result<Vec<TopSourceRow>, StoreError> {
        Ok(sqlx::query_as::<_, TopSourceRow>(
            "SELECT h.source_id AS source_id, s.name AS name, s.platform AS platform, \
                    count(*) AS files, coalesce(sum(h.size), 0) AS bytes \
             FROM history h JOIN sources s ON s.id = h.source_id \
             WHERE h.finished_at >= ?1 AND h.source_id IS NOT NULL \
             GROUP BY h.source_id ORDER BY files DESC, bytes DESC LIMIT ?2",
        )
        .bind(since)
        .bind(limit)
        .fetch_all(self.pool)
        .await?)
    }
}
