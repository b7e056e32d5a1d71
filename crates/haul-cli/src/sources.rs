//! `haul source …`, `haul fetch`, `haul history …`, `haul cookies import` and
//! `haul extractors …`: media sources and subscriptions, headless.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use haul_core::history::{ExportFormat, HistoryQuery};
use haul_core::sources::{AddSource, CheckReport, Schedule, SourceView};
use haul_core::{Error, ErrorCode};

use crate::library::{open_for_reading, open_for_writing, print_json};

#[derive(Subcommand)]
pub enum SourceCommand {
    /// Follow a thread, an account or a page; prints the new source's id. Its
    /// first check is due at once (run `haul source check ID` or the app).
    Add {
        url: String,
        /// Check at this interval (30m, 2h, 1d); default: every hour.
        #[arg(long, value_name = "DURATION", conflicts_with_all = ["cron", "auto"])]
        every: Option<String>,
        /// Check on a 5-field cron schedule, local time ("0 */6 * * *").
        #[arg(long, value_name = "EXPR", conflicts_with = "auto")]
        cron: Option<String>,
        /// Check as often as the source posts (within the settings' bounds).
        #[arg(long)]
        auto: bool,
        /// Folder for its files; default: the download folder from the settings.
        #[arg(long, short = 'd', value_name = "DIR")]
        dir: Option<PathBuf>,
        /// The account whose cookies the checks use (see `haul cookies import`).
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Use this extractor instead of the platform's (direct, web, reddit, yt-dlp, gallery-dl).
        #[arg(long, value_name = "EXTRACTOR")]
        extractor: Option<String>,
    },
    /// Sources with their state, last and next check.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check sources now. With --wait, exit 0 only when every check and every
    /// download it started are complete.
    Check {
        #[arg(required_unless_present = "all", value_name = "ID")]
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
        #[arg(long)]
        wait: bool,
    },
    /// Stop following a source; with --delete-files its files go to the recycle bin.
    Remove {
        id: i64,
        #[arg(long)]
        delete_files: bool,
    },
    /// Stop checking a source until it is resumed.
    Pause {
        id: i64,
    },
    Resume {
        id: i64,
    },
}

#[derive(Subcommand)]
pub enum HistoryCommand {
    /// Search every file Haul fetched, newest first.
    Search {
        /// Words in the file name, title, caption or account.
        query: Option<String>,
        #[arg(long)]
        platform: Option<String>,
        #[arg(long, value_name = "ID")]
        source: Option<i64>,
        /// Finished on or after this date (YYYY-MM-DD, local time).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Write the whole history as JSON or CSV.
    Export {
        #[arg(long, value_parser = parse_format)]
        format: ExportFormat,
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Add the entries of an export (JSON or CSV) that are not there yet.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum CookiesCommand {
    /// Store an account's cookies (a Netscape cookies.txt) in the OS keyring.
    Import {
        file: PathBuf,
        #[arg(long, value_name = "NAME")]
        account: String,
    },
    /// Forget an account's cookies.
    Remove {
        #[arg(long, value_name = "NAME")]
        account: String,
    },
}

#[derive(Subcommand)]
pub enum ExtractorsCommand {
    /// Install the pinned yt-dlp and gallery-dl into Haul's data folder.
    Install,
    /// Where yt-dlp, gallery-dl and ffmpeg are found, and their versions.
    Status {
        #[arg(long)]
        json: bool,
    },
}

fn parse_format(text: &str) -> Result<ExportFormat, String> {
    match text.to_ascii_lowercase().as_str() {
        "json" => Ok(ExportFormat::Json),
        "csv" => Ok(ExportFormat::Csv),
        _ => Err(format!("{text:?} is not a format; use json or csv")),
    }
}

fn failed() -> ExitCode {
    ExitCode::from(1)
}

pub async fn source(data_dir: &Path, command: SourceCommand) -> haul_core::Result<ExitCode> {
    match command {
        SourceCommand::Add {
            url,
            every,
            cron,
            auto,
            dir,
            account,
            name,
            extractor,
        } => {
            let schedule = match (every, cron, auto) {
                (Some(every), _, _) => Some(Schedule::every(&every)?),
                (_, Some(expr), _) => Some(Schedule::Cron { expr }),
                (_, _, true) => Some(Schedule::Auto {
                    min_minutes: None,
                    max_minutes: None,
                }),
                _ => None,
            };
            let core = open_for_writing(data_dir).await?;
            let view = core
                .sources()
                .add(&AddSource {
                    url,
                    name,
                    schedule,
                    dir: dir.map(|d| absolute(&d).display().to_string()),
                    account,
                    extractor,
                    ..AddSource::default()
                })
                .await?;
            println!("{}", view.id);
            core.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::List { json } => {
            let core = open_for_reading(data_dir).await?;
            let sources = core.sources().list().await?;
            if json {
                print_json(&sources)?;
            } else {
                print_sources(&sources);
            }
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::Check { ids, all, wait } => check(data_dir, ids, all, wait).await,
        SourceCommand::Remove { id, delete_files } => {
            let core = open_for_writing(data_dir).await?;
            let binned = core.sources().remove(id, delete_files).await?;
            if delete_files {
                println!("Removed source #{id}; {binned} files moved to the recycle bin.");
            } else {
                println!("Removed source #{id}; its files stay where they are.");
            }
            core.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::Pause { id } => {
            let core = open_for_writing(data_dir).await?;
            core.sources().pause(id).await?;
            core.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
        SourceCommand::Resume { id } => {
            let core = open_for_writing(data_dir).await?;
            core.sources().resume(id).await?;
            core.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

async fn check(
    data_dir: &Path,
    ids: Vec<i64>,
    all: bool,
    wait: bool,
) -> haul_core::Result<ExitCode> {
    let core = open_for_writing(data_dir).await?;
    let ids = if all {
        core.sources()
            .list()
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect()
    } else {
        ids
    };
    let mut ok = true;
    // A command-line check runs in this process: it always waits for the check;
    // --wait also waits for the downloads it started.
    for id in ids {
        match core.sources().check_and_wait(id, wait).await {
            Ok(report) => {
                print_report(&report);
                ok &= report.error.is_none()
                    && report.failed_downloads == 0
                    && report.tool_failed == 0;
            }
            Err(error) => {
                eprintln!("haul: source #{id}: {}", error.message);
                ok = false;
            }
        }
    }
    core.shutdown().await;
    Ok(if ok { ExitCode::SUCCESS } else { failed() })
}

fn print_report(report: &CheckReport) {
    match &report.error {
        Some(error) => eprintln!(
            "haul: source #{} check failed: {} ({:?})",
            report.source_id, error.message, error.code
        ),
        None => println!(
            "source #{}: {} posts on {} pages, {} new items{}{}",
            report.source_id,
            report.posts,
            report.pages,
            report.new_items,
            if report.failed_downloads + report.tool_failed > 0 {
                format!(", {} failed", report.failed_downloads + report.tool_failed)
            } else {
                String::new()
            },
            if report.gap {
                "; it stopped at its limit without meeting a known post: there may be a gap"
            } else {
                ""
            }
        ),
    }
}

fn print_sources(sources: &[SourceView]) {
    if sources.is_empty() {
        println!("No sources yet. Follow one with `haul source add URL`.");
        return;
    }
    println!(
        "{:>4}  {:<9} {:<10} {:<16} {:>5}  {:<30} URL",
        "ID", "STATE", "PLATFORM", "SCHEDULE", "NEW", "NAME"
    );
    for s in sources {
        println!(
            "{:>4}  {:<9} {:<10} {:<16} {:>5}  {:<30} {}",
            s.id,
            format!("{:?}", s.state).to_lowercase(),
            s.platform,
            s.schedule_text,
            s.last_new,
            s.name.chars().take(30).collect::<String>(),
            s.url
        );
        if let Some(message) = &s.error_message {
            println!("      {message}");
        }
    }
}

pub async fn fetch(
    data_dir: &Path,
    urls: &[String],
    dir: Option<PathBuf>,
) -> haul_core::Result<ExitCode> {
    let core = open_for_writing(data_dir).await?;
    let dir = dir.map(|d| absolute(&d).display().to_string());
    let mut ok = true;
    for url in urls {
        match core.sources().fetch(url, dir.as_deref()).await {
            Ok(report) => {
                print_report(&report);
                ok &= report.error.is_none()
                    && report.failed_downloads == 0
                    && report.tool_failed == 0;
            }
            Err(error) => {
                eprintln!("haul: {url}: {}", error.message);
                ok = false;
            }
        }
    }
    core.shutdown().await;
    Ok(if ok { ExitCode::SUCCESS } else { failed() })
}

pub async fn history(data_dir: &Path, command: HistoryCommand) -> haul_core::Result<ExitCode> {
    match command {
        HistoryCommand::Search {
            query,
            platform,
            source,
            since,
            limit,
            json,
        } => {
            let since = since.as_deref().map(parse_date).transpose()?;
            let core = open_for_reading(data_dir).await?;
            let page = core
                .history()
                .search(&HistoryQuery {
                    text: query,
                    platform,
                    source_id: source,
                    since,
                    limit: Some(limit),
                    ..HistoryQuery::default()
                })
                .await?;
            if json {
                print_json(&page.entries)?;
            } else {
                for e in &page.entries {
                    println!(
                        "{:>6}  {:<8} {:<10} {}",
                        e.id,
                        e.origin,
                        e.platform.as_deref().unwrap_or("-"),
                        e.path
                    );
                }
                println!(
                    "{} of {} entries",
                    page.entries.len(),
                    page.total.unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        HistoryCommand::Export { format, output } => {
            let core = open_for_reading(data_dir).await?;
            let count = match &output {
                Some(path) => {
                    let tmp = path.with_extension("haul-export.tmp");
                    let file = std::fs::File::create(&tmp).map_err(|e| {
                        Error::from_io(&format!("Cannot create {}", tmp.display()), &e)
                    })?;
                    let mut writer = std::io::BufWriter::new(file);
                    let count = core.history().export(format, &mut writer).await?;
                    let file = writer
                        .into_inner()
                        .map_err(|e| Error::from_io("Cannot write the export", e.error()))?;
                    file.sync_all()
                        .map_err(|e| Error::from_io("Cannot write the export", &e))?;
                    std::fs::rename(&tmp, path).map_err(|e| {
                        Error::from_io(&format!("Cannot create {}", path.display()), &e)
                    })?;
                    count
                }
                None => {
                    let stdout = std::io::stdout();
                    let mut lock = stdout.lock();
                    core.history().export(format, &mut lock).await?
                }
            };
            eprintln!("{count} entries exported");
            Ok(ExitCode::SUCCESS)
        }
        HistoryCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::from_io(&format!("Cannot read {}", file.display()), &e))?;
            let core = open_for_writing(data_dir).await?;
            let added = core.history().import(&text).await?;
            println!("{added} entries added");
            core.shutdown().await;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// YYYY-MM-DD at local midnight, in ms.
fn parse_date(text: &str) -> haul_core::Result<i64> {
    haul_core::history::parse_day(text)
}

pub async fn cookies(data_dir: &Path, command: CookiesCommand) -> haul_core::Result<ExitCode> {
    let core = open_for_writing(data_dir).await?;
    match command {
        CookiesCommand::Import { file, account } => {
            let meta = std::fs::metadata(&file)
                .map_err(|e| Error::from_io(&format!("Cannot read {}", file.display()), &e))?;
            if meta.len() > haul_core::sources::MAX_COOKIE_FILE_BYTES as u64 {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{} is too large to be a cookies file.", file.display()),
                ));
            }
            let bytes = std::fs::read(&file)
                .map_err(|e| Error::from_io(&format!("Cannot read {}", file.display()), &e))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("{} is not a text file.", file.display()),
                )
            })?;
            let domains = core.sources().import_cookies(&account, &text).await?;
            println!(
                "Cookies for {account} stored in the OS keyring ({}).",
                domains.join(", ")
            );
        }
        CookiesCommand::Remove { account } => {
            core.sources().remove_cookies(&account).await?;
            println!("Cookies for {account} removed.");
        }
    }
    core.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn extractors(
    data_dir: &Path,
    command: ExtractorsCommand,
) -> haul_core::Result<ExitCode> {
    let core = open_for_reading(data_dir).await?;
    let (tools, json) = match command {
        ExtractorsCommand::Install => (core.sources().install_tools().await?, false),
        ExtractorsCommand::Status { json } => (core.sources().tools().await, json),
    };
    if json {
        print_json(&tools)?;
    } else {
        for tool in &tools {
            println!(
                "{:<11} {:<12} {}",
                tool.name,
                tool.version.as_deref().unwrap_or("-"),
                tool.path.as_deref().unwrap_or("not found")
            );
            if let Some(problem) = &tool.problem {
                println!("            {problem}");
            }
        }
    }
    let ok = tools.iter().all(|t| t.problem.is_none());
    Ok(if ok { ExitCode::SUCCESS } else { failed() })
}
