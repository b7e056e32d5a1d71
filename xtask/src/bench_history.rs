//! `cargo xtask bench history`: a million history rows; searches with filters,
//! the newest page and deep keyset pages through Haul's store beside the same
//! SQL in the `sqlite3` CLI on the same file, and the time to record a finished
//! file. The measuring is `crates/haul-store/examples/history_bench.rs`.

use std::process::Command;

use crate::{Result, cargo, run_command, setup, step, target_dir};

const ROWS: &str = "1000000";

pub fn history() -> Result {
    setup::system_packages(&["sqlite3"])?;
    step("bench: build the measuring program (release)");
    run_command(cargo().args([
        "build",
        "--release",
        "-p",
        "haul-store",
        "--example",
        "history_bench",
    ]))?;
    let dir = target_dir().join("bench-history");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    step("bench history (the database is kept between runs and filled once)");
    run_command(
        Command::new(target_dir().join("release/examples/history_bench"))
            .arg(dir.join("history.db"))
            .arg(ROWS),
    )
}
