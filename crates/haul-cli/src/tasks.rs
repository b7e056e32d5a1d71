//! `haul add`: magnets and .torrent files through a debrid service.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use haul_core::{AddTaskOptions, Core, FileSelection, OpenMode, Provider, TaskState, TaskView};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

use crate::{EXIT_FAILED, EXIT_INTERRUPTED, format};

pub struct AddArgs {
    pub sources: Vec<String>,
    pub dir: Option<String>,
    pub select: Vec<String>,
    pub provider: Option<Provider>,
    pub label: Option<String>,
    pub wait: bool,
}

pub async fn add(data_dir: &Path, args: AddArgs) -> haul_core::Result<ExitCode> {
    let core = Core::open(data_dir, OpenMode::Worker { autostart: false }).await?;
    let options = AddTaskOptions {
        dir: args.dir,
        label: args.label,
        provider: args.provider,
        selection: if args.select.is_empty() {
            FileSelection::Auto
        } else {
            FileSelection::Globs { globs: args.select }
        },
    };
    let mut ids = Vec::new();
    let mut refused = 0;
    for source in &args.sources {
        match core.tasks().add(source, &options).await {
            Ok(view) => {
                eprintln!("haul: task #{} {} ({})", view.id, view.name, view.info_hash);
                ids.push(view.id);
            }
            Err(error) => {
                eprintln!("haul: {} ({:?})", error.message, error.code);
                refused += 1;
            }
        }
    }
    if !args.wait {
        core.shutdown().await;
        if !ids.is_empty() {
            eprintln!("haul: added; the tasks continue when Haul runs, or with `haul add --wait`.");
        }
        return Ok(exit(refused == 0));
    }
    let progress = TaskProgress::new(&ids);
    let waiting = async {
        let mut finished = Vec::new();
        for id in &ids {
            finished.push(core.tasks().wait(*id).await);
        }
        finished
    };
    let finished = tokio::select! {
        finished = waiting => finished,
        never = progress.run(&core) => match never {},
        _ = tokio::signal::ctrl_c() => {
            progress.clear();
            eprintln!("haul: interrupted; run `haul add --wait` with the same link again to continue.");
            core.shutdown().await;
            return Ok(ExitCode::from(EXIT_INTERRUPTED));
        }
    };
    progress.clear();
    let mut all_complete = refused == 0;
    for result in finished {
        match result {
            Ok(view) if view.state == TaskState::Completed => print_files(&view),
            Ok(view) => {
                all_complete = false;
                report_unfinished(&view);
            }
            Err(error) => {
                all_complete = false;
                eprintln!("haul: {}", error.message);
            }
        }
    }
    core.shutdown().await;
    Ok(exit(all_complete))
}

fn exit(success: bool) -> ExitCode {
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

fn print_files(view: &TaskView) {
    for file in &view.files {
        if let Some(download) = &file.download {
            let path = download
                .path()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            println!("{path}  {}", format::bytes(download.received_bytes));
        }
    }
}

fn report_unfinished(view: &TaskView) {
    match view.state {
        TaskState::Selecting => {
            eprintln!(
                "haul: task #{} {}: no file matched the rules; choose with --select PATTERN. Its files:",
                view.id, view.name
            );
            for file in &view.files {
                eprintln!("  {}  {}", file.path, format::bytes(file.size));
            }
        }
        state => {
            let why = view
                .error
                .as_ref()
                .map(|e| format!("{} ({:?})", e.message, e.code))
                .unwrap_or_else(|| state.as_str().to_string());
            eprintln!("haul: task #{} {} not completed: {why}", view.id, view.name);
        }
    }
}

/// One bar per task on a terminal: the provider's progress, then the bytes of
/// its files.
struct TaskProgress {
    bars: Option<(MultiProgress, Vec<(i64, ProgressBar)>)>,
}

impl TaskProgress {
    fn new(ids: &[i64]) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self { bars: None };
        }
        let multi = MultiProgress::new();
        let style = ProgressStyle::with_template(
            "{msg:40!} {bar:30} {bytes:>10}/{total_bytes:<10} {binary_bytes_per_sec:>12}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bars = ids
            .iter()
            .map(|id| {
                (
                    *id,
                    multi.add(ProgressBar::new(0).with_style(style.clone())),
                )
            })
            .collect();
        Self {
            bars: Some((multi, bars)),
        }
    }

    async fn run(&self, core: &Core) -> std::convert::Infallible {
        let mut ticker = tokio::time::interval(Duration::from_millis(250));
        loop {
            ticker.tick().await;
            let Some((_, bars)) = &self.bars else {
                continue;
            };
            let snapshot = core.downloads().snapshot();
            for (id, bar) in bars {
                let Ok(view) = core.tasks().get(*id).await else {
                    continue;
                };
                let total = view.total_bytes.unwrap_or(0);
                bar.set_length(total);
                match view.state {
                    TaskState::Queued | TaskState::Resolving => {
                        let provider = view.provider_status.as_deref().unwrap_or("waiting");
                        bar.set_message(format!("{}: {provider}", view.name));
                        bar.set_position((view.provider_progress * total as f64) as u64);
                    }
                    _ => {
                        let live: u64 = view
                            .files
                            .iter()
                            .filter_map(|f| f.download.as_ref())
                            .map(|d| {
                                snapshot
                                    .transfers
                                    .iter()
                                    .find(|t| t.id == d.id)
                                    .map_or(d.received_bytes, |t| t.received_bytes)
                            })
                            .sum();
                        bar.set_message(view.name.clone());
                        bar.set_position(live);
                    }
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
