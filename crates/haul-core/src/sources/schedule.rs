//! When a source is checked: every so often, on a 5-field cron expression (local
//! time), or `auto` — following how often the source posts, within bounds.
//! Jitter spreads checks so many sources never fire together, and a source
//! that keeps failing waits longer each time instead of being hammered.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::settings::SourcesSettings;
use crate::error::{Error, ErrorCode, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Schedule {
    /// Every `seconds`.
    Every { seconds: u32 },
    /// A 5-field cron expression (minute hour day-of-month month day-of-week), local time.
    Cron { expr: String },
    /// As often as the source posts, between these bounds (minutes; none: the
    /// settings' bounds).
    #[serde(rename_all = "camelCase")]
    Auto {
        min_minutes: Option<u32>,
        max_minutes: Option<u32>,
    },
}

const MIN_INTERVAL_SECS: u32 = 60;
const MAX_INTERVAL_SECS: u32 = 366 * 24 * 3600;
/// Failing sources wait at most this long between checks.
const MAX_BACKOFF_SECS: i64 = 24 * 3600;

impl Schedule {
    /// `--every 30m`, `2h`, `1d 12h`.
    pub fn every(text: &str) -> Result<Self> {
        let duration = humantime::parse_duration(text.trim()).map_err(|e| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{text:?} is not a duration like 30m, 2h or 1d ({e})."),
            )
        })?;
        let seconds = u32::try_from(duration.as_secs()).unwrap_or(u32::MAX);
        let schedule = Self::Every { seconds };
        schedule.validate()?;
        Ok(schedule)
    }

    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Every { seconds } => {
                if !(MIN_INTERVAL_SECS..=MAX_INTERVAL_SECS).contains(seconds) {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "A check interval must be between 1 minute and a year, not {seconds} s."
                        ),
                    ));
                }
            }
            Self::Cron { expr } => {
                parse_cron(expr)?;
            }
            Self::Auto {
                min_minutes,
                max_minutes,
            } => {
                if let (Some(min), Some(max)) = (min_minutes, max_minutes)
                    && (*min < 1 || min > max)
                {
                    return Err(Error::new(
                        ErrorCode::InvalidInput,
                        format!(
                            "Automatic checks need 1 <= minimum <= maximum minutes, not {min} and {max}."
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A short human description ("every 2h", "cron 0 * * * *", "auto 15m–1d").
    pub fn describe(&self, settings: &SourcesSettings) -> String {
        let human = |secs: u64| {
            humantime::format_duration(std::time::Duration::from_secs(secs)).to_string()
        };
        match self {
            Self::Every { seconds } => format!("every {}", human(u64::from(*seconds))),
            Self::Cron { expr } => format!("cron {expr}"),
            Self::Auto { .. } => {
                let (min, max) = self.auto_bounds(settings);
                format!("auto {}–{}", human(min as u64), human(max as u64))
            }
        }
    }

    fn auto_bounds(&self, settings: &SourcesSettings) -> (i64, i64) {
        let (min, max) = match self {
            Self::Auto {
                min_minutes,
                max_minutes,
            } => (
                min_minutes.unwrap_or(settings.auto_min_minutes),
                max_minutes.unwrap_or(settings.auto_max_minutes),
            ),
            _ => (settings.auto_min_minutes, settings.auto_max_minutes),
        };
        (i64::from(min) * 60, i64::from(max.max(min)) * 60)
    }

    /// When the next check is due (ms), after a check that ended at `now_ms`.
    /// `post_times` are the newest posts' dates (Unix seconds); `failures` the
    /// failed checks in a row; `seed` varies the jitter per source.
    pub fn next_check(
        &self,
        now_ms: i64,
        post_times: &[i64],
        failures: i64,
        seed: i64,
        settings: &SourcesSettings,
    ) -> i64 {
        let base_secs: i64 = match self {
            Self::Every { seconds } => i64::from(*seconds),
            Self::Cron { expr } => {
                let next = parse_cron(expr).ok().and_then(|cron| {
                    let now = chrono::DateTime::from_timestamp_millis(now_ms)?
                        .with_timezone(&chrono::Local);
                    cron.find_next_occurrence(&now, false).ok()
                });
                match next {
                    // At the time the user named; failures still push it back.
                    Some(next) if failures == 0 => {
                        return next.timestamp_millis() + jitter_ms(seed, 60_000);
                    }
                    Some(next) => (next.timestamp_millis() - now_ms).max(60_000) / 1000,
                    None => MAX_BACKOFF_SECS,
                }
            }
            Self::Auto { .. } => {
                let (min, max) = self.auto_bounds(settings);
                auto_interval(post_times, min, max)
            }
        };
        let backoff = if failures > 0 {
            (base_secs << failures.min(8)).min(MAX_BACKOFF_SECS.max(base_secs))
        } else {
            base_secs
        };
        // ±10 %: sources added together drift apart.
        let spread = backoff * 1000 / 10;
        now_ms + backoff * 1000 + jitter_ms(seed, 2 * spread) - spread
    }
}

/// Half the typical gap between recent posts: a source that posts hourly is
/// checked every half hour, one that posts monthly at the maximum.
fn auto_interval(post_times: &[i64], min: i64, max: i64) -> i64 {
    let mut times: Vec<i64> = post_times.to_vec();
    times.sort_unstable_by(|a, b| b.cmp(a));
    let mut gaps: Vec<i64> = times
        .windows(2)
        .map(|w| w[0] - w[1])
        .filter(|g| *g > 0)
        .collect();
    if gaps.is_empty() {
        return max;
    }
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2];
    (median / 2).clamp(min, max)
}

fn jitter_ms(seed: i64, range_ms: i64) -> i64 {
    if range_ms <= 0 {
        return 0;
    }
    let nanos = i64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0),
    );
    (nanos ^ seed.wrapping_mul(2_654_435_761)).rem_euclid(range_ms)
}

fn parse_cron(expr: &str) -> Result<croner::Cron> {
    let fields = expr.split_whitespace().count();
    if fields != 5 {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{expr:?} is not a 5-field cron expression (minute hour day-of-month month day-of-week)."
            ),
        ));
    }
    croner::Cron::from_str(expr).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("{expr:?} is not a valid cron expression: {e}."),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_cron_expressions_are_checked() {
        assert_eq!(
            Schedule::every("2h").unwrap(),
            Schedule::Every { seconds: 7200 }
        );
        assert!(Schedule::every("5s").is_err());
        assert!(Schedule::every("soon").is_err());
        assert!(
            Schedule::Cron {
                expr: "0 */6 * * *".into()
            }
            .validate()
            .is_ok()
        );
        for bad in ["0 * * *", "61 * * * *", "* * * * * *"] {
            assert!(
                Schedule::Cron { expr: bad.into() }.validate().is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn auto_follows_how_often_the_source_posts() {
        let settings = SourcesSettings::default();
        let auto = Schedule::Auto {
            min_minutes: None,
            max_minutes: None,
        };
        let hourly: Vec<i64> = (0..10).map(|i| 1_000_000 - i * 3600).collect();
        let quiet: Vec<i64> = (0..3).map(|i| 1_000_000 - i * 30 * 86_400).collect();
        let now = 0;
        let often = auto.next_check(now, &hourly, 0, 1, &settings);
        let rarely = auto.next_check(now, &quiet, 0, 1, &settings);
        // Half an hour ±10 %, and the one-day maximum ±10 %.
        assert!((1_620_000..=1_980_000).contains(&often), "{often}");
        assert!((77_760_000..=95_040_000).contains(&rarely), "{rarely}");
    }

    #[test]
    fn failures_back_off_up_to_a_day() {
        let settings = SourcesSettings::default();
        let every = Schedule::Every { seconds: 600 };
        let once = every.next_check(0, &[], 1, 1, &settings);
        let many = every.next_check(0, &[], 20, 1, &settings);
        assert!(once >= 1_080_000, "{once}");
        assert!((77_760_000..=95_040_000).contains(&many), "{many}");
    }
}
