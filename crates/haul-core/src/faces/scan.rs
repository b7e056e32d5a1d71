//! The scan: photos the current models have not analysed, a batch at a time on the
//! faces' own bounded pool, each result recorded as it comes (a stop loses at most
//! the batch in flight), people grouped as the faces arrive. Pausing the library's
//! background work pauses it too.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use haul_media::faces::{FaceAnalyzer, FaceError, PhotoFaces};
use haul_store::faces::NewFace;
use rayon::prelude::*;

use super::grouping::{self, GroupingParams};
use super::views::FaceScanReport;
use super::{FaceState, models};
use crate::error::{Error, Result};
use crate::library::LibraryProgress;
use crate::{CoreEvent, Shared};

/// People are grouped this often during a long scan (and once at its end), so they
/// appear while it runs without re-reading every face after each batch.
const GROUP_EVERY: Duration = Duration::from_secs(20);

/// Faces closer than this are one person. dlib's own threshold, 0.6, says "same"
/// of look-alikes too often; 0.5 (dlib's clustering example) keeps them apart, and
/// chaining through a person's other faces keeps recall.
const SAME_PERSON: f32 = 0.5;

pub(crate) fn params(shared: &Shared) -> GroupingParams {
    GroupingParams {
        join_distance: SAME_PERSON,
        group_distance: SAME_PERSON,
        min_faces: shared.settings().faces.min_faces.max(1) as usize,
    }
}

/// The loaded models, loading them (and with `fetch`, fetching what is missing)
/// on first use.
pub(crate) async fn analyzer(shared: &Arc<Shared>, fetch: bool) -> Result<Arc<FaceAnalyzer>> {
    let mut loaded = shared.faces.analyzer.lock().await;
    if let Some(analyzer) = loaded.as_ref() {
        return Ok(Arc::clone(analyzer));
    }
    if fetch {
        models::fetch_missing(shared).await?;
    }
    let analyzer = models::load(shared).await?;
    *loaded = Some(Arc::clone(&analyzer));
    Ok(analyzer)
}

fn crop_path(shared: &Shared, face_id: i64) -> PathBuf {
    shared
        .data_dir
        .join("faces")
        .join(format!("{:03}", face_id / 1000 % 1000))
        .join(format!("{face_id}.jpg"))
}

pub(crate) async fn read_crop(shared: &Shared, face_id: i64) -> Option<Vec<u8>> {
    tokio::fs::read(crop_path(shared, face_id)).await.ok()
}

async fn write_crop(shared: &Shared, face_id: i64, jpeg: &[u8]) {
    let path = crop_path(shared, face_id);
    let partial = path.with_extension("part");
    let written = async {
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir).await?;
        }
        tokio::fs::write(&partial, jpeg).await?;
        tokio::fs::rename(&partial, &path).await
    };
    if let Err(error) = written.await {
        // A crop is a cache: the People page shows a placeholder without it.
        tracing::warn!(%error, face_id, "cannot store a face crop");
    }
}

/// Analyses every photo the current models have not; groups the new faces.
pub(crate) async fn scan(shared: &Arc<Shared>, fetch: bool) -> Result<FaceScanReport> {
    let _one_scan = shared.faces.scanning.lock().await;
    let result = scan_locked(shared, fetch).await;
    *shared
        .faces
        .last_error
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        result.as_ref().err().map(|e| e.message.clone());
    result
}

async fn scan_locked(shared: &Arc<Shared>, fetch: bool) -> Result<FaceScanReport> {
    let analyzer = analyzer(shared, fetch).await?;
    let model = analyzer.model_id().to_string();
    let faces = shared.store.faces();
    let total = u32::try_from(faces.pending_count(&model).await?).unwrap_or(u32::MAX);
    let mut report = FaceScanReport::default();
    if total == 0 {
        return Ok(report);
    }
    let progress = |done: u32, running: bool| {
        shared
            .events
            .publish(CoreEvent::LibraryProgress(LibraryProgress {
                job: "faces".into(),
                done,
                total,
                running,
                paused: *shared.library_paused.borrow(),
            }));
    };
    progress(0, true);
    let batch_size = (shared.faces.pool.threads() * 2).max(2) as i64;
    let mut grouped_at = Instant::now();
    let mut failed_items: HashSet<i64> = HashSet::new();
    loop {
        if *shared.library_paused.borrow() {
            progress(report.analysed, true);
            let _ = shared
                .library_paused
                .subscribe()
                .wait_for(|paused| !paused)
                .await;
        }
        if shared.is_shutting_down() {
            break;
        }
        let batch: Vec<(i64, String, String)> = faces
            .pending(&model, batch_size + failed_items.len() as i64)
            .await?
            .into_iter()
            .filter(|(id, ..)| !failed_items.contains(id))
            .take(batch_size as usize)
            .collect();
        if batch.is_empty() {
            break;
        }
        let work = Arc::clone(&analyzer);
        let results: Vec<(i64, String, Result<PhotoFaces, FaceError>)> = shared
            .faces
            .pool
            .run(move || {
                let limits = haul_media::DecodeLimits::default();
                Ok(batch
                    .into_par_iter()
                    .map(|(id, path, blake3)| {
                        let result = work.analyze_file(Path::new(&path), &limits);
                        (id, blake3, result)
                    })
                    .collect())
            })
            .await?;
        for (item_id, blake3, result) in results {
            let (found, error) = match result {
                Ok(photo) => (photo.faces, None),
                Err(error) => (Vec::new(), Some(error.to_string())),
            };
            let new: Vec<NewFace> = found
                .iter()
                .map(|face| NewFace {
                    bbox: face.bbox,
                    landmarks: face.landmarks,
                    score: face.score,
                    quality: face.quality,
                    embedding: face.embedding.clone(),
                })
                .collect();
            match faces
                .record_scan(item_id, &blake3, &model, &new, error.as_deref())
                .await
            {
                Ok(ids) => {
                    for (id, face) in ids.iter().zip(&found) {
                        write_crop(shared, *id, &face.crop).await;
                    }
                    report.faces += ids.len() as u32;
                }
                Err(error) => {
                    // Purged meanwhile, say: skip it, never loop on it.
                    tracing::warn!(%error, item_id, "cannot record a photo's faces");
                    failed_items.insert(item_id);
                }
            }
            if let Some(error) = error {
                tracing::debug!(item_id, %error, "a photo could not be analysed");
                report.failed += 1;
            }
            report.analysed += 1;
        }
        progress(report.analysed.min(total), true);
        if grouped_at.elapsed() >= GROUP_EVERY {
            report.new_people += group_new(shared).await?;
            grouped_at = Instant::now();
        }
    }
    report.new_people += group_new(shared).await?;
    progress(report.analysed.min(total), false);
    Ok(report)
}

/// Places faces that have no person: with the nearest person, or as new people
/// when enough of them agree. The number of new people.
pub(crate) async fn group_new(shared: &Arc<Shared>) -> Result<u32> {
    let _one = shared.faces.grouping.lock().await;
    group_locked(shared).await
}

async fn group_locked(shared: &Arc<Shared>) -> Result<u32> {
    let faces = shared.store.faces();
    let vectors = faces.vectors().await?;
    let rejections: HashSet<(i64, i64)> = faces.rejections().await?.into_iter().collect();
    let params = params(shared);
    let changes = shared
        .faces
        .pool
        .run(move || Ok(grouping::group(&vectors, &rejections, params)))
        .await?;
    if changes.is_empty() {
        return Ok(0);
    }
    let created = faces.apply(&changes).await?;
    shared.events.publish(CoreEvent::PeopleChanged);
    Ok(u32::try_from(created.len()).unwrap_or(u32::MAX))
}

/// A full re-group: every automatic decision is made again from scratch, every
/// decision of the user's (names, merges, hidden people, moved faces, "not this
/// person", reference photos) stays as it is.
pub(crate) async fn regroup(shared: &Arc<Shared>) -> Result<u32> {
    let _one = shared.faces.grouping.lock().await;
    shared.store.faces().clear_automatic().await?;
    let created = group_locked(shared).await?;
    shared.events.publish(CoreEvent::PeopleChanged);
    Ok(created)
}

/// The app's background job: scans whenever the library changes, while the
/// models are installed (it never fetches them by itself: the user asks for that).
pub(crate) async fn run_background(shared: Arc<Shared>) {
    let mut events = shared.events.subscribe();
    loop {
        let installed = models::missing_models(&shared)
            .await
            .is_ok_and(|missing| missing.is_empty());
        if installed && let Err(error) = scan(&shared, false).await {
            tracing::warn!(%error, "face analysis stopped");
        }
        if shared.is_shutting_down() {
            return;
        }
        // Woken by new library items or by a models install; a burst of changes
        // makes one scan.
        tokio::select! {
            () = shared.faces.wake.notified() => {}
            event = wait_for_library_change(&mut events) => if event.is_err() { return },
        }
    }
}

async fn wait_for_library_change(
    events: &mut tokio::sync::broadcast::Receiver<CoreEvent>,
) -> std::result::Result<(), ()> {
    loop {
        match events.recv().await {
            Ok(CoreEvent::LibraryChanged)
            | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                return Ok(());
            }
            Ok(_) => {}
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return Err(()),
        }
    }
}

impl FaceState {
    pub(crate) fn new(threads: usize) -> std::result::Result<Self, Error> {
        Ok(Self {
            analyzer: tokio::sync::Mutex::new(None),
            scanning: tokio::sync::Mutex::new(()),
            grouping: tokio::sync::Mutex::new(()),
            wake: tokio::sync::Notify::new(),
            pool: haul_media::MediaPool::new(threads)
                .map_err(|e| Error::from_io("Cannot start the face analysis threads", &e))?,
            last_error: std::sync::Mutex::new(None),
            background: std::sync::Mutex::new(None),
        })
    }
}
