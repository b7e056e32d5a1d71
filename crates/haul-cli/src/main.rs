//! `haul`: Haul without a window, over the same core as the desktop app.

mod faces;
mod format;
mod library;
mod login;
mod serve;
mod sources;
mod tasks;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use haul_core::{AddOptions, Core, DownloadState, OpenMode, Provider, paths};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

#[derive(Parser)]
#[command(name = "haul", version, about = "Haul download manager, headless")]
struct Cli {
    /// Data folder (database, settings, logs); default: the OS data folder.
    #[arg(long, global = true, env = paths::DATA_DIR_ENV, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Download links and wait until every file is complete. Run the same command
    /// again after an interruption to continue where it stopped.
    Get {
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Folder for the files; default: the download folder from the settings.
        #[arg(long, short = 'd', value_name = "DIR")]
        dir: Option<PathBuf>,
        /// Connections per file (1–16); default: from the settings (8).
        #[arg(long, short = 'c', value_name = "N", value_parser = clap::value_parser!(u8).range(1..=16))]
        connections: Option<u8>,
        /// Speed limit per file, e.g. 500K, 10M, 1.5MiB (bytes per second).
        #[arg(long, value_name = "RATE", value_parser = format::parse_rate)]
        limit: Option<u64>,
        /// Expected SHA-256 of the file; it is verified before it takes its name.
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
    },
    /// Add magnet links or .torrent files as debrid tasks. With --wait, stay until
    /// every file is on disk (exit 0 only then).
    Add {
        #[arg(required = true, value_name = "MAGNET|FILE.torrent")]
        sources: Vec<String>,
        /// Folder for the files; default: the download folder from the settings.
        #[arg(long, short = 'd', value_name = "DIR")]
        dir: Option<String>,
        /// Download only the files whose path matches (glob, case-insensitive,
        /// e.g. "*.mkv"); repeatable. Default: the rules from the settings.
        #[arg(long, short = 's', value_name = "GLOB")]
        select: Vec<String>,
        /// Debrid service; default: from the settings.
        #[arg(long, short = 'p', value_name = "PROVIDER", value_parser = parse_provider)]
        provider: Option<Provider>,
        /// A label for the task.
        #[arg(long)]
        label: Option<String>,
        /// Wait until every chosen file is complete.
        #[arg(long, short = 'w')]
        wait: bool,
    },
    /// Log in to a debrid service (alldebrid, realdebrid, torbox); the credential
    /// goes to the OS keyring.
    Login {
        #[arg(value_name = "PROVIDER", value_parser = parse_provider)]
        provider: Provider,
    },
    /// Forget a debrid service's stored credential.
    Logout {
        #[arg(value_name = "PROVIDER", value_parser = parse_provider)]
        provider: Provider,
    },
    /// The library: every file Haul fetched and the folders you added.
    #[command(subcommand)]
    Library(library::LibraryCommand),
    /// The recycle bin.
    #[command(subcommand)]
    Bin(library::BinCommand),
    /// Faces in the library's photos: models, scans, re-grouping.
    #[command(subcommand)]
    Faces(faces::FacesCommand),
    /// The people the faces were grouped into.
    #[command(subcommand)]
    People(faces::PeopleCommand),
    /// Media sources: followed threads, accounts and pages.
    #[command(subcommand)]
    Source(sources::SourceCommand),
    /// Extract and download everything behind links once (exit 0 only when every
    /// item is on disk); what was fetched before is not fetched again.
    Fetch {
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        #[arg(long, short = 'd', value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Every file Haul fetched: search, export, import.
    #[command(subcommand)]
    History(sources::HistoryCommand),
    /// Platform accounts' cookies (kept in the OS keyring).
    #[command(subcommand)]
    Cookies(sources::CookiesCommand),
    /// yt-dlp and gallery-dl: install the pinned versions, or show what is found.
    #[command(subcommand)]
    Extractors(sources::ExtractorsCommand),
    /// Run Haul as a server: the same UI in a browser, with real authentication.
    Serve(serve::ServeArgs),
    /// List tasks and downloads.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Readiness checks (database, disk space, debrid accounts, extractors, face
    /// models): the same as `GET /ready` and the Diagnostics page. Exit 1 when a
    /// required check fails.
    Diagnostics {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

const EXIT_FAILED: u8 = 1;
const EXIT_INTERRUPTED: u8 = 130;

fn parse_provider(text: &str) -> Result<Provider, String> {
    Provider::from_id(&text.to_ascii_lowercase())
        .ok_or_else(|| format!("{text:?} is not a provider; use alldebrid, realdebrid or torbox"))
}

/// Enough for most of 16 connections' writes and a flush at once (more wait their turn).
const BLOCKING_THREADS: usize = 16;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let custom_data_dir = cli.data_dir.is_some();
    let data_dir = cli.data_dir.unwrap_or_else(paths::default_data_dir);
    let _log_guard = haul_core::logging::init(&paths::log_dir(&data_dir, custom_data_dir), "warn");
    // Blocking work here is short (positioned writes, fsyncs, file operations):
    // a few threads serve it, and every idle thread costs memory.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(BLOCKING_THREADS)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("haul: cannot start: {error}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Get {
                urls,
                dir,
                connections,
                limit,
                sha256,
            } => {
                let options = AddOptions {
                    dir,
                    connections,
                    sha256,
                    speed_limit: limit,
                };
                get(&data_dir, &urls, &options).await
            }
            Command::Add {
                sources,
                dir,
                select,
                provider,
                label,
                wait,
            } => {
                let args = tasks::AddArgs {
                    sources,
                    dir,
                    select,
                    provider,
                    label,
                    wait,
                };
                tasks::add(&data_dir, args).await
            }
            Command::Login { provider } => login::login(&data_dir, provider).await,
            Command::Logout { provider } => login::logout(&data_dir, provider).await,
            Command::List { json } => list(&data_dir, json).await,
            Command::Diagnostics { json } => diagnostics(&data_dir, json).await,
            Command::Library(command) => library::library(&data_dir, command).await,
            Command::Bin(command) => library::bin(&data_dir, command).await,
            Command::Faces(command) => faces::faces(&data_dir, command).await,
            Command::People(command) => faces::people(&data_dir, command).await,
            Command::Source(command) => sources::source(&data_dir, command).await,
            Command::Fetch { urls, dir } => sources::fetch(&data_dir, &urls, dir).await,
            Command::History(command) => sources::history(&data_dir, command).await,
            Command::Cookies(command) => sources::cookies(&data_dir, command).await,
            Command::Extractors(command) => sources::extractors(&data_dir, command).await,
            Command::Serve(args) => serve::serve(&data_dir, args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("haul: {} ({:?})", error.message, error.code);
            ExitCode::from(EXIT_FAILED)
        }
    }
}

async fn diagnostics(data_dir: &std::path::Path, json: bool) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::ReadOnly).await?;
    let readiness = core.diagnostics().readiness().await;
    if json {
        let text = serde_json::to_string_pretty(&readiness)
            .map_err(|e| haul_core::Error::new(haul_core::ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
    } else {
        for check in &readiness.checks {
            let mark = match (check.ok, check.required) {
                (true, _) => "ok  ",
                (false, true) => "FAIL",
                (false, false) => "--  ",
            };
            println!("{mark}  {:<22} {}", check.name, check.detail);
        }
        println!(
            "{}",
            if readiness.ready {
                "ready"
            } else {
                "not ready"
            }
        );
    }
    Ok(if readiness.ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    })
}

async fn get(
    data_dir: &std::path::Path,
    urls: &[String],
    options: &AddOptions,
) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::Worker { autostart: false }).await?;
    let mut ids = Vec::new();
    let mut refused = 0;
    for url in urls {
        match core.downloads().add(url, options).await {
            Ok(view) => ids.push(view.id),
            Err(error) => {
                eprintln!("haul: {}", error.message);
                refused += 1;
            }
        }
    }
    let progress = Progress::new(&core, &ids).await;
    let waiting = async {
        let mut finished = Vec::new();
        for id in &ids {
            finished.push(core.downloads().wait(*id).await);
        }
        finished
    };
    let finished = tokio::select! {
        finished = waiting => finished,
        never = progress.run(&core) => match never {},
        _ = tokio::signal::ctrl_c() => {
            progress.clear();
            eprintln!("haul: interrupted; run the same command again to continue.");
            core.shutdown().await;
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
    };
    progress.clear();
    let mut all_complete = refused == 0;
    for result in finished {
        match result {
            Ok(view) if view.state == DownloadState::Completed => {
                let path = view
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                println!("{path}  {}", format::bytes(view.received_bytes));
            }
            Ok(view) => {
                all_complete = false;
                let why = view
                    .error
                    .map(|e| e.message)
                    .unwrap_or_else(|| view.state.as_str().to_string());
                eprintln!("haul: {} not completed: {why}", view.file_name);
            }
            Err(error) => {
                all_complete = false;
                eprintln!("haul: {}", error.message);
            }
        }
    }
    core.shutdown().await;
    Ok(if all_complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    })
}

/// One bar per download on a terminal; nothing otherwise (scripts read the result
/// lines and the exit code).
struct Progress {
    bars: Option<(MultiProgress, Vec<(i64, ProgressBar)>)>,
}

impl Progress {
    async fn new(core: &Core, ids: &[i64]) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { bars: None };
        }
        let multi = MultiProgress::new();
        let style = ProgressStyle::with_template(
            "{msg:30!} {bar:30} {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12} {eta:>4}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let mut bars = Vec::new();
        for id in ids {
            let bar = multi.add(ProgressBar::new(0).with_style(style.clone()));
            if let Ok(view) = core.downloads().get(*id).await {
                bar.set_message(view.file_name);
                bar.set_position(view.received_bytes);
                bar.set_length(view.total_bytes.unwrap_or(0));
            }
            bars.push((*id, bar));
        }
        Self {
            bars: Some((multi, bars)),
        }
    }

    /// Redraws every 250 ms; never ends on its own.
    async fn run(&self, core: &Core) -> std::convert::Infallible {
        let mut ticker = tokio::time::interval(Duration::from_millis(250));
        loop {
            ticker.tick().await;
            let Some((_, bars)) = &self.bars else {
                continue;
            };
            let snapshot = core.downloads().snapshot();
            for transfer in snapshot.transfers {
                if let Some((_, bar)) = bars.iter().find(|(id, _)| *id == transfer.id) {
                    bar.set_length(transfer.total_bytes.unwrap_or(0));
                    bar.set_position(transfer.received_bytes);
                }
            }
        }
    }

    fn clear(&self) {
        if let Some((multi, _)) = &self.bars {
            let _ = multi.clear();
        }
    }
}

async fn list(data_dir: &std::path::Path, json: bool) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::ReadOnly).await?;
    let tasks = core.tasks().list().await?;
    let downloads = core.downloads().list().await?;
    if json {
        let value = serde_json::json!({ "tasks": tasks, "downloads": downloads });
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| haul_core::Error::new(haul_core::ErrorCode::Internal, e.to_string()))?;
        println!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    if tasks.is_empty() && downloads.is_empty() {
        println!("Nothing yet. Add a link with `haul get URL` or a magnet with `haul add MAGNET`.");
        return Ok(ExitCode::SUCCESS);
    }
    if !tasks.is_empty() {
        println!(
            "{:>5}  {:<11} {:>6} {:>11}  {:<10} {:<40}  NAME",
            "TASK", "STATE", "DONE", "SIZE", "PROVIDER", "INFOHASH"
        );
        for task in &tasks {
            let done = match task.state {
                haul_core::TaskState::Queued | haul_core::TaskState::Resolving => {
                    format!("{:.0}%", task.provider_progress * 100.0)
                }
                _ => format::percent(task.received_bytes, task.total_bytes),
            };
            println!(
                "{:>5}  {:<11} {:>6} {:>11}  {:<10} {:<40}  {}",
                task.id,
                task.state.as_str(),
                done,
                task.total_bytes
                    .map(format::bytes)
                    .unwrap_or_else(|| "?".into()),
                task.provider.id(),
                task.info_hash,
                task.name
            );
        }
    }
    if !downloads.is_empty() {
        if !tasks.is_empty() {
            println!();
        }
        println!(
            "{:>5}  {:<10} {:>6} {:>11}  NAME",
            "ID", "STATE", "DONE", "SIZE"
        );
    }
    for view in downloads {
        println!(
            "{:>5}  {:<10} {:>6} {:>11}  {}",
            view.id,
            view.state.as_str(),
            format::percent(view.received_bytes, view.total_bytes),
            view.total_bytes
                .map(format::bytes)
                .unwrap_or_else(|| "?".into()),
            view.file_name
        );
    }
    Ok(ExitCode::SUCCESS)
}
