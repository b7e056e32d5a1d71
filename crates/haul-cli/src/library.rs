//! `haul library …` and `haul bin …`: the library, its duplicates and the
//! recycle bin from a terminal.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Subcommand};
use haul_core::library::{
    BinEntryView, ItemOrigin, LibraryFilter, LibraryItemView, LibraryQuery, LibrarySort, MediaKind,
};
use haul_core::{Core, Error, ErrorCode, OpenMode};

use crate::format;

#[derive(Subcommand)]
pub enum LibraryCommand {
    /// Add a folder to the library (or rescan it: only new and changed files are read).
    Add {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// List library items, newest first.
    List {
        #[command(flatten)]
        filter: FilterArgs,
        /// Print JSON (an array of items) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Sets of files with the same content.
    Dupes {
        #[arg(long)]
        json: bool,
    },
    /// Groups of images that look alike (resized, recompressed, mirrored).
    Similar {
        /// Bits the perceptual hashes may differ by (0–15).
        #[arg(long, short = 'k', default_value_t = haul_core::library::DEFAULT_SIMILAR_DISTANCE)]
        distance: u32,
        #[arg(long)]
        json: bool,
    },
    /// Move items to the recycle bin.
    Rm {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
}

#[derive(Subcommand)]
pub enum BinCommand {
    /// What is in the recycle bin.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Put items back where they were (beside it, under a free name, if taken).
    Restore {
        #[arg(required = true, value_name = "ID")]
        ids: Vec<i64>,
    },
    /// Delete for good the items given, or what was binned longer ago than
    /// DURATION (default: the retention setting, 30 days).
    Purge {
        #[arg(value_name = "ID", conflicts_with = "older_than")]
        ids: Vec<i64>,
        /// e.g. 7d, 12h, 30m, 0s.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        older_than: Option<Duration>,
    },
    /// Delete everything in the bin for good.
    Empty,
}

#[derive(Args)]
pub struct FilterArgs {
    /// image, video, audio or other; repeatable.
    #[arg(long, value_parser = parse_kind)]
    kind: Vec<MediaKind>,
    /// download, task, source or folder; repeatable.
    #[arg(long, value_parser = parse_origin)]
    origin: Vec<ItemOrigin>,
    /// Part of the file name.
    #[arg(long)]
    name: Option<String>,
    /// From this date (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = parse_date)]
    since: Option<i64>,
    /// Before this date (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = parse_date)]
    until: Option<i64>,
    /// At least this size (e.g. 100K, 5M).
    #[arg(long, value_parser = format::parse_rate)]
    min_size: Option<u64>,
    /// At most this size.
    #[arg(long, value_parser = format::parse_rate)]
    max_size: Option<u64>,
    /// newest, oldest, largest, smallest or name.
    #[arg(long, value_parser = parse_sort, default_value = "newest")]
    sort: LibrarySort,
    /// At most this many items.
    #[arg(long)]
    limit: Option<usize>,
    /// Photos with this person in them (a name from `haul people`); repeatable:
    /// every one of them must be in the photo, unless --any-person.
    #[arg(long, value_name = "NAME")]
    person: Vec<String>,
    /// With several --person: photos with any of them.
    #[arg(long, requires = "person")]
    any_person: bool,
}

fn parse_kind(text: &str) -> Result<MediaKind, String> {
    serde_json::from_value(serde_json::Value::String(text.to_ascii_lowercase()))
        .map_err(|_| format!("{text:?} is not a kind; use image, video, audio or other"))
}

fn parse_origin(text: &str) -> Result<ItemOrigin, String> {
    serde_json::from_value(serde_json::Value::String(text.to_ascii_lowercase()))
        .map_err(|_| format!("{text:?} is not an origin; use download, task, source or folder"))
}

fn parse_sort(text: &str) -> Result<LibrarySort, String> {
    serde_json::from_value(serde_json::Value::String(text.to_ascii_lowercase())).map_err(|_| {
        format!("{text:?} is not a sort; use newest, oldest, largest, smallest or name")
    })
}

/// `30d`, `12h`, `45m`, `10s`, or a bare number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration such as 30d, 12h or 45m"))?;
    let seconds = match unit {
        "" | "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(format!("{text:?} has an unknown unit; use s, m, h, d or w")),
    };
    number
        .checked_mul(seconds)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("{text:?} is too long"))
}

/// `YYYY-MM-DD` as milliseconds since the epoch (UTC midnight).
pub fn parse_date(text: &str) -> Result<i64, String> {
    let invalid = || format!("{text:?} is not a date such as 2024-05-31");
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(invalid)?;
    let month: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(invalid)?;
    let day: i64 = parts
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(invalid)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || !(1970..=9999).contains(&year) {
        return Err(invalid());
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(days * 86_400_000)
}

/// Opens as the worker (so unfinished bin moves are settled first); beside a
/// running Haul, read-only.
pub(crate) async fn open_for_reading(data_dir: &Path) -> haul_core::Result<Core> {
    match Core::open(data_dir, OpenMode::Worker { autostart: false }).await {
        Err(error) if error.code == ErrorCode::DataDirInUse => {
            Core::open(data_dir, OpenMode::ReadOnly).await
        }
        other => other,
    }
}

pub(crate) async fn open_for_writing(data_dir: &Path) -> haul_core::Result<Core> {
    Core::open(data_dir, OpenMode::Worker { autostart: false }).await
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> haul_core::Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    println!("{text}");
    Ok(())
}

fn print_items(items: &[LibraryItemView]) {
    for item in items {
        let dims = match (item.width, item.height) {
            (Some(w), Some(h)) => format!("{w}×{h}"),
            _ => "-".into(),
        };
        println!(
            "{:>6}  {:<6} {:>10} {:>11}  {}",
            item.id,
            item.kind.as_str(),
            format::bytes(item.size),
            dims,
            item.path
        );
    }
}

fn print_groups(groups: &[Vec<LibraryItemView>], json: bool, what: &str) -> haul_core::Result<()> {
    if json {
        return print_json(&groups);
    }
    if groups.is_empty() {
        println!("No {what}.");
    }
    for (n, group) in groups.iter().enumerate() {
        println!("group {}:", n + 1);
        print_items(group);
    }
    Ok(())
}

pub async fn library(data_dir: &Path, command: LibraryCommand) -> haul_core::Result<ExitCode> {
    match command {
        LibraryCommand::Add { dir } => {
            let core = open_for_writing(data_dir).await?;
            let report = core.library().add_folder(&dir).await?;
            println!(
                "{}: {} added, {} updated, {} unchanged, {} removed, {} failed",
                dir.display(),
                report.added,
                report.updated,
                report.unchanged,
                report.removed,
                report.failed.len()
            );
            for failure in &report.failed {
                eprintln!("haul: {}: {}", failure.path, failure.error.message);
            }
            core.shutdown().await;
        }
        LibraryCommand::List { filter, json } => {
            let core = open_for_reading(data_dir).await?;
            let items = list_all(&core, filter).await?;
            if json {
                print_json(&items)?;
            } else if items.is_empty() {
                println!(
                    "The library is empty. Downloads land here; add a folder with `haul library add DIR`."
                );
            } else {
                print_items(&items);
            }
        }
        LibraryCommand::Dupes { json } => {
            let core = open_for_reading(data_dir).await?;
            print_groups(&core.library().duplicates().await?, json, "duplicates")?;
        }
        LibraryCommand::Similar { distance, json } => {
            let core = open_for_reading(data_dir).await?;
            print_groups(
                &core.library().similar(distance).await?,
                json,
                "similar images",
            )?;
        }
        LibraryCommand::Rm { ids } => {
            let core = open_for_writing(data_dir).await?;
            let binned = core.library().remove(&ids).await?;
            println!("{} moved to the recycle bin", binned.len());
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn list_all(core: &Core, args: FilterArgs) -> haul_core::Result<Vec<LibraryItemView>> {
    let mut people = Vec::new();
    for name in &args.person {
        people.push(core.faces().person_named(name).await?.id);
    }
    let filter = LibraryFilter {
        people,
        all_people: !args.any_person,
        kinds: args.kind,
        origins: args.origin,
        from: args.since,
        to: args.until,
        min_size: args.min_size,
        max_size: args.max_size,
        name: args.name,
        ..LibraryFilter::default()
    };
    let mut query = LibraryQuery {
        filter,
        sort: args.sort,
        cursor: None,
        limit: Some(1000),
    };
    let mut items = Vec::new();
    loop {
        let page = core.library().list(&query).await?;
        items.extend(page.items);
        if let Some(limit) = args.limit
            && items.len() >= limit
        {
            items.truncate(limit);
            break;
        }
        match page.next_cursor {
            Some(cursor) => query.cursor = Some(cursor),
            None => break,
        }
    }
    Ok(items)
}

/// A bin entry as the CLI prints it: the item's fields plus where it was and is.
fn bin_json(entry: &BinEntryView) -> serde_json::Value {
    let mut value = serde_json::to_value(&entry.item).unwrap_or_default();
    if let Some(object) = value.as_object_mut() {
        object.insert("original_path".into(), entry.original_path.clone().into());
        object.insert("bin_path".into(), entry.bin_path.clone().into());
        object.insert("deleted_at".into(), entry.deleted_at.into());
        object.insert("purge_at".into(), entry.purge_at.into());
    }
    value
}

pub async fn bin(data_dir: &Path, command: BinCommand) -> haul_core::Result<ExitCode> {
    match command {
        BinCommand::List { json } => {
            let core = open_for_reading(data_dir).await?;
            let entries = core.library().bin_list().await?;
            if json {
                let values: Vec<_> = entries.iter().map(bin_json).collect();
                print_json(&values)?;
            } else if entries.is_empty() {
                println!("The recycle bin is empty.");
            } else {
                for entry in &entries {
                    let days_left =
                        ((entry.purge_at - now_millis()).max(0) + 86_399_999) / 86_400_000;
                    println!(
                        "{:>6}  {:>10}  {:>3} days left  {}",
                        entry.id,
                        format::bytes(entry.item.size),
                        days_left,
                        entry.original_path
                    );
                }
            }
        }
        BinCommand::Restore { ids } => {
            let core = open_for_writing(data_dir).await?;
            for path in core.library().restore(&ids).await? {
                println!("{path}");
            }
        }
        BinCommand::Purge { ids, older_than } => {
            let core = open_for_writing(data_dir).await?;
            let purged = if ids.is_empty() {
                core.library().purge(older_than).await?
            } else {
                core.library().purge_entries(&ids).await?
            };
            println!("{purged} deleted for good");
        }
        BinCommand::Empty => {
            let core = open_for_writing(data_dir).await?;
            let purged = core.library().empty_bin().await?;
            println!("{purged} deleted for good");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_durations() {
        assert_eq!(parse_date("1970-01-01"), Ok(0));
        assert_eq!(parse_date("2024-03-01"), Ok(1_709_251_200_000));
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("yesterday").is_err());
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        assert!(parse_duration("5 parsecs").is_err());
    }
}
