//! Running tools, with small shell scripts standing in for yt-dlp, gallery-dl
//! and Python: timeouts, caps, missing programs, exit codes, argument lists,
//! the private cookie file, downloads and installs.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use haul_sources::tools::process::{self, ToolRun};
use haul_sources::tools::{
    GALLERY_DL_VERSION, GalleryDl, Progress, YT_DLP_VERSION, YtDlp, install, version,
};
use haul_sources::{Cookies, ExtractContext, Extractor, SourceError, SourceErrorKind};
use url::Url;

const SECRET: &str = "VALUE-SECRET-12345";

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn ctx(cookies: Option<Cookies>, limit: Option<usize>) -> ExtractContext {
    ExtractContext {
        client: reqwest::Client::new(),
        cookies,
        limit,
    }
}

fn cookies() -> Cookies {
    Cookies::parse_netscape(&format!(
        ".example.com\tTRUE\t/\tFALSE\t0\tsessionid\t{SECRET}\n"
    ))
    .unwrap()
}

fn url() -> Url {
    Url::parse("https://www.example.com/@someone").unwrap()
}

fn gallery(path: PathBuf, timeout: Duration, cookie_dir: Option<PathBuf>) -> GalleryDl {
    GalleryDl {
        path,
        timeout,
        cookie_dir,
    }
}

fn ytdlp(path: PathBuf, cookie_dir: Option<PathBuf>) -> YtDlp {
    YtDlp {
        cookie_dir,
        ..YtDlp::new(path)
    }
}

#[tokio::test]
async fn garbage_output_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let tool = script(dir.path(), "gallery-dl", "echo 'this is not json'");
    let err = gallery(tool, Duration::from_secs(10), None)
        .page(&ctx(None, None), &url(), None)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SourceErrorKind::Malformed, "{err}");
}

#[tokio::test]
async fn a_hanging_tool_times_out_and_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let tool = script(
        dir.path(),
        "yt-dlp",
        &format!("echo $$ > '{}'\nexec sleep 30", pid_file.display()),
    );
    let started = Instant::now();
    let yt = YtDlp {
        timeout: Duration::from_millis(500),
        ..YtDlp::new(tool)
    };
    let err = yt.page(&ctx(None, None), &url(), None).await.unwrap_err();
    assert!(
        matches!(err, SourceError::ToolTimeout { tool: "yt-dlp", .. }),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    // Killed and reaped: no such process any more.
    assert!(
        !Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the tool is still running"
    );
}

#[tokio::test]
async fn a_missing_program_is_tool_missing() {
    let dir = tempfile::tempdir().unwrap();
    let err = gallery(dir.path().join("nope"), Duration::from_secs(5), None)
        .page(&ctx(None, None), &url(), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            SourceError::ToolMissing {
                tool: "gallery-dl",
                ..
            }
        ),
        "{err}"
    );
    let err = version(&dir.path().join("yt-dlp")).await.unwrap_err();
    assert_eq!(err.kind(), SourceErrorKind::ToolMissing);
}

#[tokio::test]
async fn exit_101_with_json_is_success() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"id": "v1", "title": "t", "extractor_key": "Youtube", "webpage_url": "https://www.youtube.com/watch?v=v1", "protocol": "https", "url": "https://cdn.example/v1.mp4", "ext": "mp4"}"#;
    let tool = script(dir.path(), "yt-dlp", &format!("echo '{json}'\nexit 101"));
    let page = ytdlp(tool, None)
        .page(&ctx(None, Some(3)), &url(), None)
        .await
        .unwrap();
    assert_eq!(page.posts.len(), 1);
    assert_eq!(page.posts[0].media[0].id, "youtube:v1");
}

/// A fake tool that records its argv, the cookie file's mode and whether the
/// value is in it, then prints `output`.
fn argv_recorder(dir: &Path, name: &str, output: &str) -> (PathBuf, PathBuf) {
    let log = dir.join(format!("{name}.argv"));
    let body = format!(
        r#"log='{log}'
: > "$log"
prev=''
for a in "$@"; do
  printf '%s\n' "$a" >> "$log"
  if [ "$prev" = "--cookies" ]; then
    stat -c 'mode=%a' "$a" >> "$log.file"
    grep -c '{SECRET}' "$a" >> "$log.file"
  fi
  prev="$a"
done
printf '%s' '{output}'"#,
        log = log.display()
    );
    (script(dir, name, &body), log)
}

fn check_cookie_run(log: &Path, cookie_dir: &Path) -> Vec<String> {
    let argv: Vec<String> = std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert!(
        argv.iter().all(|a| !a.contains(SECRET)),
        "the cookie value reached argv: {argv:?}"
    );
    let at = argv
        .iter()
        .position(|a| a == "--cookies")
        .expect("--cookies");
    let file = PathBuf::from(&argv[at + 1]);
    assert!(file.starts_with(cookie_dir), "{file:?}");
    assert!(!file.exists(), "the private cookie file outlived the run");
    let seen = std::fs::read_to_string(log.with_extension("argv.file")).unwrap();
    assert_eq!(
        seen, "mode=600\n1\n",
        "during the run the file was private and held the cookie"
    );
    assert_eq!(argv[argv.len() - 2], "--");
    argv
}

#[tokio::test]
async fn cookies_reach_gallery_dl_only_as_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let cookie_dir = dir.path().join("cookies");
    let (tool, log) = argv_recorder(dir.path(), "gallery-dl", "[]");
    let page = gallery(tool, Duration::from_secs(10), Some(cookie_dir.clone()))
        .page(&ctx(Some(cookies()), Some(5)), &url(), None)
        .await
        .unwrap();
    assert!(page.posts.is_empty());
    let argv = check_cookie_run(&log, &cookie_dir);
    assert_eq!(
        &argv[..4],
        ["--config-ignore", "--resolve-json", "--post-range", "1-5"]
    );
    assert_eq!(
        argv.last().map(String::as_str),
        Some("https://www.example.com/@someone")
    );
}

#[tokio::test]
async fn cookies_reach_yt_dlp_only_as_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let cookie_dir = dir.path().join("cookies");
    let (tool, log) = argv_recorder(
        dir.path(),
        "yt-dlp",
        r#"{"id": "x", "_type": "playlist", "entries": []}"#,
    );
    ytdlp(tool, Some(cookie_dir.clone()))
        .page(&ctx(Some(cookies()), Some(2)), &url(), None)
        .await
        .unwrap();
    let argv = check_cookie_run(&log, &cookie_dir);
    assert_eq!(
        &argv[..6],
        [
            "--ignore-config",
            "-J",
            "--no-warnings",
            "--no-progress",
            "--playlist-end",
            "2"
        ]
    );
    assert!(!argv.iter().any(|a| a == "--exec"));
}

#[tokio::test]
async fn stdout_beyond_the_cap_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let tool = script(
        dir.path(),
        "chatty",
        "yes 0123456789 | head -c 200000; exec sleep 30",
    );
    let run = ToolRun {
        max_stdout: 1024,
        ..ToolRun::new("chatty", &tool, Duration::from_secs(20))
    };
    let started = Instant::now();
    let err = process::run(&run).await.unwrap_err();
    assert_eq!(err.kind(), SourceErrorKind::Malformed);
    assert!(err.to_string().contains("output too large"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "the tool was not stopped"
    );
}

#[tokio::test]
async fn stderr_tail_environment_and_streamed_lines() {
    let dir = tempfile::tempdir().unwrap();
    let tool = script(
        dir.path(),
        "tool",
        "yes 'noise noise noise' | head -n 5000 >&2\necho 'ERROR: the last word' >&2\n\
         echo \"enc=$PYTHONIOENCODING unbuf=$PYTHONUNBUFFERED\"\nprintf 'a\\r\\nb\\nno-newline'\nexit 3",
    );
    let mut lines = Vec::new();
    let out = process::run_streaming(&ToolRun::new("tool", &tool, Duration::from_secs(10)), |l| {
        lines.push(l.to_string())
    })
    .await
    .unwrap();
    assert_eq!(out.code, Some(3));
    assert!(out.stderr_tail.len() <= process::STDERR_TAIL_BYTES);
    assert_eq!(out.last_stderr_line(), Some("ERROR: the last word"));
    assert_eq!(lines, ["enc=utf-8 unbuf=1", "a", "b", "no-newline"]);
}

#[tokio::test]
async fn download_reports_progress_and_returns_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out 100%");
    std::fs::create_dir_all(&out_dir).unwrap();
    // Honours -P and -o like yt-dlp: prints progress, writes the file, prints its path.
    let body = r#"while [ $# -gt 0 ]; do
  case "$1" in
    -P) home="$2"; shift ;;
    -o) tmpl="$2"; shift ;;
  esac
  shift
done
name=$(printf '%s' "$tmpl" | sed 's/%(ext)s/mp4/; s/%%/%/g')
echo 'haul-progress 1024 NA 4096.0'
echo 'haul-progress 4096 4096 NA'
echo data > "$home/$name"
echo "$home/$name""#;
    let tool = script(dir.path(), "yt-dlp", body);
    let mut seen = Vec::new();
    let file = ytdlp(tool, None)
        .download(
            "https://www.example.com/v",
            &out_dir,
            "clip 50%",
            Some(&cookies()),
            |p| seen.push(p),
        )
        .await
        .unwrap();
    assert_eq!(file, out_dir.canonicalize().unwrap().join("clip 50%.mp4"));
    assert_eq!(
        seen,
        [
            Progress {
                downloaded: 1024,
                total: Some(4096)
            },
            Progress {
                downloaded: 4096,
                total: Some(4096)
            }
        ]
    );
}

#[tokio::test]
async fn download_refuses_a_file_outside_the_folder_and_bad_stems() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    let elsewhere = dir.path().join("elsewhere.mp4");
    std::fs::write(&elsewhere, "x").unwrap();
    let tool = script(
        dir.path(),
        "yt-dlp",
        &format!("echo '{}'", elsewhere.display()),
    );
    let yt = ytdlp(tool, None);
    let err = yt
        .download("https://a/", &out_dir, "clip", None, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SourceErrorKind::ToolFailed, "{err}");
    for stem in ["", "..", "a/b", "../x"] {
        assert!(
            yt.download("https://a/", &out_dir, stem, None, |_| {})
                .await
                .is_err(),
            "{stem:?}"
        );
    }
    let failing = script(
        dir.path(),
        "yt-dlp-fail",
        "echo 'ERROR: [generic] x: HTTP Error 404: Not Found' >&2\nexit 1",
    );
    let err = ytdlp(failing, None)
        .download("https://a/", &out_dir, "clip", None, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), SourceErrorKind::Gone);
}

#[tokio::test]
async fn install_creates_the_venv_then_skips_when_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("venv");
    let pip_log = dir.path().join("pip.log");
    // The venv's python: `-m pip install …` writes the two tools.
    let venv_python = format!(
        r#"#!/bin/sh
echo "$@" >> '{log}'
bin=$(dirname "$0")
printf '#!/bin/sh\necho {yt}\n' > "$bin/yt-dlp"
printf '#!/bin/sh\necho {gd}\n' > "$bin/gallery-dl"
chmod 755 "$bin/yt-dlp" "$bin/gallery-dl"
"#,
        log = pip_log.display(),
        yt = YT_DLP_VERSION,
        gd = GALLERY_DL_VERSION
    );
    std::fs::write(dir.path().join("venv-python"), venv_python).unwrap();
    // The system python: `-m venv DIR` makes DIR/bin/python.
    let python = script(
        dir.path(),
        "python3",
        &format!(
            "mkdir -p \"$3/bin\"\ncp '{}' \"$3/bin/python\"\nchmod 755 \"$3/bin/python\"",
            dir.path().join("venv-python").display()
        ),
    );
    let first = install(&venv, Some(&python)).await.unwrap();
    assert!(first.changed);
    assert_eq!(
        (
            first.yt_dlp_version.as_str(),
            first.gallery_dl_version.as_str()
        ),
        (YT_DLP_VERSION, GALLERY_DL_VERSION)
    );
    assert_eq!(first.paths.yt_dlp, venv.join("bin/yt-dlp"));
    let log = std::fs::read_to_string(&pip_log).unwrap();
    assert_eq!(
        log,
        format!(
            "-m pip install --disable-pip-version-check --no-input yt-dlp=={YT_DLP_VERSION} gallery-dl=={GALLERY_DL_VERSION}\n"
        )
    );
    let second = install(&venv, Some(&python)).await.unwrap();
    assert!(!second.changed);
    assert_eq!(
        std::fs::read_to_string(&pip_log).unwrap(),
        log,
        "pip ran again"
    );
}
