//! The Statistics page's figures, from the history: volume per day by origin
//! and platform, average speed per hour, and the sources that brought most.

use serde::Serialize;
use specta_typescript::Number;

use crate::error::{Error, ErrorCode, Result};
use crate::history::History;

/// Longest range the page asks for.
pub const MAX_STATS_DAYS: u32 = 366;
const TOP_SOURCES: i64 = 10;
const HOUR_MS: i64 = 3_600_000;

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DayVolume {
    /// `YYYY-MM-DD`, local time.
    pub day: String,
    /// download, task or source.
    pub origin: String,
    pub platform: Option<String>,
    #[specta(type = Number)]
    pub files: i64,
    #[specta(type = Number)]
    pub bytes: i64,
}

/// Average speed over one hour: the bytes of the files finished in it over 3600 s.
#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SpeedPoint {
    /// Start of the hour (ms).
    #[specta(type = Number)]
    pub at: i64,
    pub bytes_per_second: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TopSource {
    #[specta(type = Number)]
    pub source_id: i64,
    pub name: String,
    pub platform: String,
    #[specta(type = Number)]
    pub files: i64,
    #[specta(type = Number)]
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryStats {
    pub days: Vec<DayVolume>,
    /// One point per hour of the range, idle hours at zero.
    pub speed: Vec<SpeedPoint>,
    pub top_sources: Vec<TopSource>,
}

impl History<'_> {
    /// The last `days` days (1–366).
    pub async fn stats(&self, days: u32) -> Result<HistoryStats> {
        if !(1..=MAX_STATS_DAYS).contains(&days) {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("The range must be 1 to {MAX_STATS_DAYS} days, not {days}."),
            ));
        }
        let now = haul_store::now_millis();
        let since = now - i64::from(days) * 24 * HOUR_MS;
        let stats = self.shared.store.history_stats();
        let volumes = stats.days(since).await?;
        let hours = stats.hours(since).await?;
        let top = stats.top_sources(since, TOP_SOURCES).await?;
        Ok(HistoryStats {
            days: volumes
                .into_iter()
                .map(|row| DayVolume {
                    day: row.day,
                    origin: row.origin,
                    platform: row.platform,
                    files: row.files,
                    bytes: row.bytes,
                })
                .collect(),
            speed: fill_hours(since, now, &hours),
            top_sources: top
                .into_iter()
                .map(|row| TopSource {
                    source_id: row.source_id,
                    name: row.name,
                    platform: row.platform,
                    files: row.files,
                    bytes: row.bytes,
                })
                .collect(),
        })
    }
}

/// Every hour from `since` to `now`, with the hours that had no files at zero.
fn fill_hours(
    since: i64,
    now: i64,
    hours: &[haul_store::history_stats::HourVolumeRow],
) -> Vec<SpeedPoint> {
    let first = since.div_euclid(HOUR_MS) * HOUR_MS;
    let mut points = Vec::new();
    let mut rows = hours.iter().peekable();
    let mut at = first;
    while at <= now {
        let mut bytes = 0;
        while let Some(row) = rows.peek() {
            if row.hour > at {
                break;
            }
            if row.hour == at {
                bytes += row.bytes;
            }
            rows.next();
        }
        points.push(SpeedPoint {
            at,
            bytes_per_second: bytes as f64 / 3600.0,
        });
        at += HOUR_MS;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use haul_store::history_stats::HourVolumeRow;

    #[test]
    fn idle_hours_are_zero_and_busy_ones_average_over_the_hour() {
        let since = 10 * HOUR_MS + 5;
        let now = 13 * HOUR_MS + 1;
        let rows = [
            HourVolumeRow {
                hour: 11 * HOUR_MS,
                bytes: 7200,
            },
            HourVolumeRow {
                hour: 13 * HOUR_MS,
                bytes: 36_000,
            },
        ];
        let points = fill_hours(since, now, &rows);
        let speeds: Vec<f64> = points.iter().map(|p| p.bytes_per_second).collect();
        assert_eq!(speeds, [0.0, 2.0, 0.0, 10.0]);
        assert_eq!(points[0].at, 10 * HOUR_MS);
    }
}
