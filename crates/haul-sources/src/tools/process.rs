//! Running one external tool: an argument list (never a shell), stdin closed,
//! stdout captured up to a cap, the tail of stderr kept for messages, a timeout
//! after which the child is killed.
//!
//! The child is spawned with `kill_on_drop`, so a cancelled check (the future
//! dropped) never leaves a tool running.

use std::ffi::OsString;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};

use crate::error::SourceError;

/// Far above any real dump (a large profile is a few MiB of JSON) while keeping
/// a runaway tool from filling memory.
pub const DEFAULT_MAX_STDOUT: usize = 64 * 1024 * 1024;

/// How much of stderr is kept: enough for the last error lines and a traceback's end.
pub const STDERR_TAIL_BYTES: usize = 8 * 1024;

/// One tool invocation.
#[derive(Debug, Clone)]
pub struct ToolRun<'a> {
    /// The tool's display name in errors ("yt-dlp").
    pub tool: &'static str,
    pub program: &'a Path,
    pub args: Vec<OsString>,
    pub timeout: Duration,
    /// Stdout beyond this many bytes stops the run as malformed.
    pub max_stdout: usize,
}

impl<'a> ToolRun<'a> {
    pub fn new(tool: &'static str, program: &'a Path, timeout: Duration) -> Self {
        Self {
            tool,
            program,
            args: Vec::new(),
            timeout,
            max_stdout: DEFAULT_MAX_STDOUT,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Self {
        self.args.push(arg.into());
        self
    }
}

/// What a finished tool left behind.
#[derive(Debug, Clone)]
pub struct ToolOutput {
    /// The exit code; `None` when a signal ended it.
    pub code: Option<i32>,
    pub stdout: Vec<u8>,
    /// The last [`STDERR_TAIL_BYTES`] of stderr, lossily decoded.
    pub stderr_tail: String,
}

impl ToolOutput {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }

    /// The last non-empty stderr line, for short messages.
    pub fn last_stderr_line(&self) -> Option<&str> {
        self.stderr_tail
            .lines()
            .map(str::trim)
            .rev()
            .find(|l| !l.is_empty())
    }
}

/// Runs the tool to completion and returns its output, whatever its exit code.
pub async fn run(spec: &ToolRun<'_>) -> Result<ToolOutput, SourceError> {
    run_streaming(spec, |_| {}).await
}

/// Like [`run`], also calling `on_line` with each complete stdout line (without
/// its line end) as it arrives: progress while a download runs.
pub async fn run_streaming(
    spec: &ToolRun<'_>,
    mut on_line: impl FnMut(&str),
) -> Result<ToolOutput, SourceError> {
    let mut child = spawn(spec)?;
    tracing::debug!(
        tool = spec.tool,
        program = %spec.program.display(),
        args = spec.args.len(),
        "tool started"
    );
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        kill(&mut child).await;
        return Err(SourceError::Io(format!("{}: no output pipes", spec.tool)));
    };
    let work = async {
        let (out, tail) = tokio::try_join!(
            read_stdout(stdout, spec.max_stdout, &mut on_line),
            read_tail(stderr)
        )?;
        let status = child.wait().await.map_err(Failure::Io)?;
        Ok::<_, Failure>((status, out, tail))
    };
    let outcome = tokio::time::timeout(spec.timeout, work).await;
    match outcome {
        Ok(Ok((status, stdout, stderr_tail))) => {
            tracing::debug!(tool = spec.tool, code = ?status.code(), bytes = stdout.len(), "tool finished");
            Ok(ToolOutput {
                code: status.code(),
                stdout,
                stderr_tail,
            })
        }
        Ok(Err(Failure::TooLarge)) => {
            kill(&mut child).await;
            Err(SourceError::Malformed {
                what: format!("{} output", spec.tool),
                message: format!(
                    "output too large (more than {} MiB); the tool was stopped",
                    spec.max_stdout / (1024 * 1024)
                ),
            })
        }
        Ok(Err(Failure::Io(e))) => {
            kill(&mut child).await;
            Err(SourceError::Io(format!("{}: {e}", spec.tool)))
        }
        Err(_elapsed) => {
            tracing::warn!(
                tool = spec.tool,
                after_s = spec.timeout.as_secs(),
                "tool timed out; killing it"
            );
            kill(&mut child).await;
            Err(SourceError::ToolTimeout {
                tool: spec.tool,
                after: spec.timeout,
            })
        }
    }
}

fn spawn(spec: &ToolRun<'_>) -> Result<Child, SourceError> {
    let mut cmd = Command::new(spec.program);
    cmd.args(&spec.args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        // Python tools otherwise pick the locale's encoding for their JSON and
        // buffer progress lines until exit.
        .env("PYTHONIOENCODING", "utf-8")
        .env("PYTHONUNBUFFERED", "1");
    #[cfg(windows)]
    {
        // CREATE_NO_WINDOW: a desktop app must not flash a console per check.
        cmd.creation_flags(0x0800_0000);
    }
    cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::ToolMissing {
            tool: spec.tool,
            detail: format!("{} does not exist", spec.program.display()),
        },
        std::io::ErrorKind::PermissionDenied => SourceError::ToolMissing {
            tool: spec.tool,
            detail: format!("{} is not executable", spec.program.display()),
        },
        _ => SourceError::Io(format!(
            "{}: cannot start {}: {e}",
            spec.tool,
            spec.program.display()
        )),
    })
}

/// Kills the child and reaps it; errors are moot (it may have just exited).
async fn kill(child: &mut Child) {
    if let Err(e) = child.start_kill() {
        tracing::debug!(error = %e, "kill failed (already exited?)");
    }
    if let Err(e) = child.wait().await {
        tracing::debug!(error = %e, "wait after kill failed");
    }
}

enum Failure {
    TooLarge,
    Io(std::io::Error),
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

async fn read_stdout(
    mut pipe: impl AsyncRead + Unpin,
    cap: usize,
    on_line: &mut impl FnMut(&str),
) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut line_start = 0;
    loop {
        let n = pipe.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        if out.len() + n > cap {
            return Err(Failure::TooLarge);
        }
        let scan_from = out.len();
        out.extend_from_slice(&chunk[..n]);
        for i in scan_from..out.len() {
            if out[i] == b'\n' {
                emit_line(&out[line_start..i], on_line);
                line_start = i + 1;
            }
        }
    }
    if line_start < out.len() {
        emit_line(&out[line_start..], on_line);
    }
    Ok(out)
}

fn emit_line(bytes: &[u8], on_line: &mut impl FnMut(&str)) {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    on_line(&String::from_utf8_lossy(bytes));
}

async fn read_tail(mut pipe: impl AsyncRead + Unpin) -> Result<String, Failure> {
    let mut tail = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = pipe.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        tail.extend_from_slice(&chunk[..n]);
        // Trim only now and then, so a chatty tool costs no quadratic copying.
        if tail.len() > 4 * STDERR_TAIL_BYTES {
            tail.drain(..tail.len() - STDERR_TAIL_BYTES);
        }
    }
    if tail.len() > STDERR_TAIL_BYTES {
        tail.drain(..tail.len() - STDERR_TAIL_BYTES);
    }
    Ok(String::from_utf8_lossy(&tail).into_owned())
}
