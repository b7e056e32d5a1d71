//! One check of a source: read its pages, archive what is new (with the cursor,
//! in one transaction, before any download starts), hand new media to the
//! engine, and decide when to look again.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use haul_sources::{ExtractContext, Media, Order, Page, Post, SourceError, SourceErrorKind};
use haul_store::sources::{CheckEnd, NewMedia, SourceRow};
use serde::Serialize;
use specta_typescript::Number;

use super::naming::{NameValues, Template, inside};
use super::{SourceOptions, extractors, queue};
use crate::error::{Error, ErrorCode, Result};
use crate::{CoreEvent, Shared};

/// Rate-limit answers waited out within one check before it gives up.
const MAX_RATE_WAITS: u32 = 3;
/// A rate limit longer than this ends the check; the next one is scheduled after it.
const MAX_RATE_WAIT: Duration = Duration::from_secs(300);
/// Posts whose dates the `auto` schedule remembers.
const POST_TIMES_KEPT: usize = 30;
/// Failed checks in a row before a source shows as failing.
const FAILING_AFTER: i64 = 3;

/// What a check did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct CheckReport {
    #[specta(type = Number)]
    pub source_id: i64,
    pub pages: u32,
    pub posts: u32,
    pub new_items: u32,
    /// Downloads the check started (the engine's ids).
    #[specta(type = Vec<Number>)]
    pub downloads: Vec<i64>,
    /// Media the tool fetched itself (streams to merge) and their outcome.
    pub tool_fetched: u32,
    pub tool_failed: u32,
    /// Downloads that ended without their file (filled in by a caller that waited).
    pub failed_downloads: u32,
    /// The check stopped at its limit without meeting a known post.
    pub gap: bool,
    pub error: Option<Error>,
}

/// How a check runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Mode {
    #[default]
    Normal,
    /// Past every limit until a known post is met: fills a gap.
    FillGap,
}

pub(crate) async fn run(shared: &Arc<Shared>, id: i64, mode: Mode) -> Result<CheckReport> {
    let store = shared.store.sources();
    let row = store
        .get(id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("There is no source #{id}.")))?;
    let _slot = shared.sources.throttles.check_slot(&row.platform).await;
    let row = store
        .begin_check(id)
        .await?
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("There is no source #{id}.")))?;
    shared.events.publish(CoreEvent::SourceChanged { id });
    tracing::info!(id, platform = %row.platform, resumed = row.check_cursor.is_some(), "source check started");
    let mut report = CheckReport {
        source_id: id,
        ..CheckReport::default()
    };
    // Found by a check a stop cut short, before their downloads were added.
    for media in store.media_found(id).await? {
        queue::queue(shared, &media, row.account.as_deref(), &mut report).await;
    }
    let outcome = read_pages(shared, &row, mode, &mut report).await;
    let settings = shared.settings().sources;
    let (post_times, resume_cursor) = match &outcome {
        Ok(done) => (done.post_times.clone(), done.resume_cursor.clone()),
        Err(_) => (Vec::new(), None),
    };
    let mut times: Vec<i64> = serde_json::from_str(&row.post_times).unwrap_or_default();
    times.extend(post_times);
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.dedup();
    times.truncate(POST_TIMES_KEPT);
    let times_json = serde_json::to_string(&times).unwrap_or_else(|_| "[]".into());
    let schedule = super::parse_schedule(&row.schedule);
    let now = haul_store::now_millis();
    let (state, failures, error) = match &outcome {
        Ok(_) => ("active", 0, None),
        Err(error) => {
            let failures = row.failures + 1;
            let state = match error.code {
                ErrorCode::SourceGone => "gone",
                _ if failures >= FAILING_AFTER => "failing",
                _ => "active",
            };
            (state, failures, Some(error.clone()))
        }
    };
    let mut next = schedule.next_check(now, &times, failures, id, &settings);
    if let Some(error) = &error
        && error.code == ErrorCode::SourceRateLimited
    {
        next = next.max(now + 15 * 60 * 1000);
    }
    let code = error.as_ref().map(|e| super::code_name(e.code));
    store
        .end_check(
            id,
            &CheckEnd {
                state,
                error_code: code.as_deref(),
                error_message: error.as_ref().map(|e| e.message.as_str()),
                failures,
                resume_cursor: resume_cursor.as_deref(),
                next_check_at: Some(next),
                new_items: i64::from(report.new_items),
                gap: report.gap,
                post_times: &times_json,
            },
        )
        .await?;
    shared.sources.wake();
    shared.events.publish(CoreEvent::SourceChanged { id });
    match &error {
        Some(error) => {
            tracing::warn!(id, code = ?error.code, message = %error.message, "source check failed")
        }
        None => tracing::info!(
            id,
            new = report.new_items,
            posts = report.posts,
            "source check done"
        ),
    }
    report.error = error;
    Ok(report)
}

struct PagesDone {
    post_times: Vec<i64>,
    resume_cursor: Option<String>,
}

async fn read_pages(
    shared: &Arc<Shared>,
    row: &SourceRow,
    mode: Mode,
    report: &mut CheckReport,
) -> Result<PagesDone> {
    let settings = shared.settings().sources;
    let options: SourceOptions = serde_json::from_str(&row.options).unwrap_or_default();
    let template = Template::parse(options.template.as_deref().unwrap_or(&settings.template))
        .map_err(|e| Error::new(ErrorCode::InvalidSetting, format!("File naming: {e}")))?;
    let extractor = extractors::build(shared, &row.extractor)?;
    let url = url::Url::parse(&row.url)
        .map_err(|e| Error::new(ErrorCode::InvalidUrl, format!("{}: {e}", row.url)))?;
    let cookies = match row.account.as_deref() {
        Some(account) => super::cookies::load(shared, account)?,
        None => None,
    };
    let first = row.checks == 0;
    let limit = match mode {
        Mode::FillGap => None,
        Mode::Normal => options
            .first_limit
            .or((settings.first_check_limit > 0).then_some(settings.first_check_limit))
            .map(|l| l as usize),
    };
    let stop_after = options
        .stop_after_known
        .unwrap_or(settings.stop_after_known) as usize;
    let ctx = ExtractContext {
        client: shared.client.clone(),
        cookies,
        limit: if first { limit } else { None },
    };
    let base = match &row.dir {
        Some(dir) => PathBuf::from(dir),
        None => settings_dir(shared),
    };
    let mut order = extractor.order();
    // A thread continues where the last check ended (only threads keep one).
    let mut cursor = row
        .check_cursor
        .clone()
        .or_else(|| row.resume_cursor.clone());
    let mut done = PagesDone {
        post_times: Vec::new(),
        resume_cursor: None,
    };
    let mut known_run = 0usize;
    let mut met_known = false;
    let mut rate_waits = 0;
    loop {
        shared
            .sources
            .throttles
            .request(&row.platform, settings.requests_per_minute)
            .await;
        let page = match extractor.page(&ctx, &url, cursor.as_deref()).await {
            Ok(page) => page,
            Err(error) if error.kind() == SourceErrorKind::RateLimited => {
                let wait = error.retry_after().unwrap_or(Duration::from_secs(60));
                shared.sources.throttles.back_off(&row.platform, wait);
                rate_waits += 1;
                if rate_waits > MAX_RATE_WAITS || wait > MAX_RATE_WAIT {
                    return Err(error.into());
                }
                tracing::info!(
                    id = row.id,
                    wait_s = wait.as_secs(),
                    "rate limited; waiting"
                );
                continue;
            }
            Err(error) => return Err(source_error(error)),
        };
        if let Some(rate) = &page.rate
            && rate.remaining.is_some_and(|left| left < 1.0)
            && let Some(reset) = rate.reset
        {
            shared.sources.throttles.back_off(&row.platform, reset);
        }
        report.pages += 1;
        // A web page that turned out to be a thread pages like one.
        if page.this.is_some() {
            order = Order::OldestFirst;
        }
        if order == Order::OldestFirst {
            done.resume_cursor = page.this.clone().or(cursor.clone());
        }
        // Threads need no stop: they start at the last page read.
        let stop_after = match order {
            Order::NewestFirst => stop_after,
            Order::OldestFirst => usize::MAX,
        };
        let (media, stop) = take_posts(
            shared,
            row,
            &page,
            &template,
            &base,
            first,
            limit,
            stop_after,
            mode,
            &mut known_run,
            &mut met_known,
            report,
            &mut done,
        )
        .await?;
        let next = if stop { None } else { page.next.clone() };
        let fresh = shared
            .store
            .sources()
            .record_page(
                row.id,
                &media
                    .iter()
                    .map(NewMediaOwned::borrowed)
                    .collect::<Vec<_>>(),
                next.as_deref(),
            )
            .await?;
        report.new_items += u32::try_from(fresh.len()).unwrap_or(u32::MAX);
        for media in &fresh {
            queue::queue(shared, media, row.account.as_deref(), report).await;
        }
        match next {
            Some(next) if !shared.is_shutting_down() => cursor = Some(next),
            _ => break,
        }
    }
    // A later check that stopped at its limit before meeting anything known may
    // have skipped posts between this check and the last.
    report.gap = order == Order::NewestFirst
        && !first
        && mode == Mode::Normal
        && !met_known
        && limit.is_some_and(|l| report.posts as usize >= l);
    Ok(done)
}

fn settings_dir(shared: &Shared) -> PathBuf {
    shared.settings().download_dir()
}

fn source_error(error: SourceError) -> Error {
    error.into()
}

/// A media row to record, owning its strings.
pub(crate) struct NewMediaOwned {
    platform: String,
    media_id: String,
    post_id: String,
    account: Option<String>,
    posted_at: Option<i64>,
    title: Option<String>,
    caption: Option<String>,
    url: String,
    kind: String,
    dir: String,
    file_name: String,
    headers: String,
    via_tool: Option<String>,
}

impl NewMediaOwned {
    fn borrowed(&self) -> NewMedia<'_> {
        NewMedia {
            platform: &self.platform,
            media_id: &self.media_id,
            post_id: &self.post_id,
            account: self.account.as_deref(),
            posted_at: self.posted_at,
            title: self.title.as_deref(),
            caption: self.caption.as_deref(),
            url: &self.url,
            kind: &self.kind,
            dir: &self.dir,
            file_name: &self.file_name,
            headers: &self.headers,
            via_tool: self.via_tool.as_deref(),
        }
    }
}

/// The posts of one page that the check takes, as media rows to record; true
/// when the check should stop after this page.
#[allow(clippy::too_many_arguments)]
async fn take_posts(
    shared: &Arc<Shared>,
    row: &SourceRow,
    page: &Page,
    template: &Template,
    base: &std::path::Path,
    first: bool,
    limit: Option<usize>,
    stop_after: usize,
    mode: Mode,
    known_run: &mut usize,
    met_known: &mut bool,
    report: &mut CheckReport,
    done: &mut PagesDone,
) -> Result<(Vec<NewMediaOwned>, bool)> {
    let mut out = Vec::new();
    let mut seen_here = HashSet::new();
    for post in &page.posts {
        let ids = post_media_ids(post);
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let known: HashSet<String> = shared
            .store
            .sources()
            .known(&post.platform, &id_refs)
            .await?
            .into_iter()
            .collect();
        let post_known = !ids.is_empty() && ids.iter().all(|id| known.contains(id));
        report.posts += 1;
        if let Some(at) = post.posted_at {
            done.post_times.push(at);
        }
        if post_known {
            *met_known = true;
            *known_run += 1;
            if !first && mode == Mode::Normal && *known_run >= stop_after {
                return Ok((out, true));
            }
            continue;
        }
        *known_run = 0;
        out.extend(media_rows(
            row,
            post,
            template,
            base,
            &known,
            &mut seen_here,
        )?);
        if mode == Mode::Normal
            && limit.is_some_and(|l| report.posts as usize >= l)
            && (first || !*met_known)
        {
            return Ok((out, true));
        }
    }
    Ok((out, false))
}

/// The archive ids of a post: its media, or the post itself when it has none
/// (so a text post is known next time too).
fn post_media_ids(post: &Post) -> Vec<String> {
    if post.media.is_empty() {
        vec![format!("post:{}", post.id)]
    } else {
        post.media.iter().map(|m| m.id.clone()).collect()
    }
}

fn media_rows(
    row: &SourceRow,
    post: &Post,
    template: &Template,
    base: &std::path::Path,
    known: &HashSet<String>,
    seen: &mut HashSet<String>,
) -> Result<Vec<NewMediaOwned>> {
    let mut out = Vec::new();
    if post.media.is_empty() {
        out.push(NewMediaOwned {
            platform: post.platform.clone(),
            media_id: format!("post:{}", post.id),
            post_id: post.id.clone(),
            account: post.account.clone(),
            posted_at: post.posted_at,
            title: post.title.clone(),
            caption: post.caption.clone(),
            url: post.url.clone().unwrap_or_else(|| row.url.clone()),
            kind: "post".into(),
            dir: base.display().to_string(),
            file_name: String::new(),
            headers: "[]".into(),
            via_tool: None,
        });
        return Ok(out);
    }
    for media in &post.media {
        if known.contains(&media.id) || !seen.insert(media.id.clone()) {
            continue;
        }
        let relative = template.render(&name_values(row, post, media));
        let path = inside(base, &relative).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("{} would leave the source's folder.", relative.display()),
            )
        })?;
        let (dir, file_name) = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name)) => (dir.to_path_buf(), name.to_string_lossy().into_owned()),
            _ => continue,
        };
        out.push(NewMediaOwned {
            platform: post.platform.clone(),
            media_id: media.id.clone(),
            post_id: post.id.clone(),
            account: post.account.clone(),
            posted_at: post.posted_at,
            title: post.title.clone(),
            caption: post.caption.clone(),
            url: media.url.clone(),
            kind: media.kind.as_str().into(),
            dir: dir.display().to_string(),
            file_name,
            headers: serde_json::to_string(&media.headers).unwrap_or_else(|_| "[]".into()),
            via_tool: media.via_tool.map(|t| match t {
                haul_sources::Tool::YtDlp => "yt-dlp".to_string(),
                haul_sources::Tool::GalleryDl => "gallery-dl".to_string(),
            }),
        });
    }
    Ok(out)
}

fn name_values<'a>(row: &'a SourceRow, post: &'a Post, media: &'a Media) -> NameValues<'a> {
    let hint_stem = media.name_hint.as_deref().map(|n| {
        let (stem, _) = haul_download::filename::split_extension(n);
        stem
    });
    NameValues {
        platform: &post.platform,
        account: post.account.as_deref(),
        source: &row.name,
        post_id: &post.id,
        media_id: &media.id,
        index: media.index,
        ext: media.ext.as_deref().unwrap_or(match media.kind {
            haul_sources::MediaKind::Image => "jpg",
            haul_sources::MediaKind::Video => "mp4",
            haul_sources::MediaKind::Audio => "m4a",
            haul_sources::MediaKind::Other => "bin",
        }),
        title: post.title.as_deref(),
        name: hint_stem,
        posted_at: post.posted_at,
    }
}
