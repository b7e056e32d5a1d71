//! Faces and people: the photos' faces found on the CPU in the background, grouped
//! into people, and every correction the user makes kept through any re-grouping.

mod grouping;
mod models;
mod scan;
pub mod views;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use haul_media::faces::FaceAnalyzer;

pub use views::{FaceScanReport, FaceView, FacesStatus, PersonView};

use crate::error::{Error, ErrorCode, Result};
use crate::{CoreEvent, Shared};

/// The faces' share of the core's state.
pub(crate) struct FaceState {
    analyzer: tokio::sync::Mutex<Option<Arc<FaceAnalyzer>>>,
    /// One scan at a time (the app's background job and a `haul faces scan`).
    scanning: tokio::sync::Mutex<()>,
    grouping: tokio::sync::Mutex<()>,
    wake: tokio::sync::Notify,
    /// Bounded threads of their own (the `faces.threads` setting).
    pool: haul_media::MediaPool,
    last_error: std::sync::Mutex<Option<String>>,
    /// The app's background job; it holds the shared state, so it is aborted
    /// when the core shuts down or is dropped.
    background: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl FaceState {
    pub(crate) fn stop_background(&self) {
        if let Some(job) = self
            .background
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            job.abort();
        }
    }
}

/// Longest name a person may be given.
const MAX_NAME_CHARS: usize = 100;

pub struct Faces<'a> {
    pub(crate) shared: &'a Arc<Shared>,
}

fn no_person(id: i64) -> Error {
    Error::new(ErrorCode::NotFound, format!("There is no person #{id}."))
}

fn no_face(id: i64) -> Error {
    Error::new(ErrorCode::NotFound, format!("There is no face #{id}."))
}

impl Faces<'_> {
    /// Installs the face models from a folder holding the manifest's files; each
    /// is checked against its sha256 before anything is written.
    pub async fn install_models(&self, from: &Path) -> Result<Vec<PathBuf>> {
        self.shared.ensure_writable()?;
        let installed = models::install_from(self.shared, from).await?;
        *self.shared.faces.analyzer.lock().await = None;
        self.shared.faces.wake.notify_one();
        Ok(installed)
    }

    /// Fetches the models the data folder lacks from the manifest's address (or
    /// the `faces.modelsUrl` setting), checked before they are kept.
    pub async fn fetch_models(&self) -> Result<()> {
        self.shared.ensure_writable()?;
        models::fetch_missing(self.shared).await?;
        self.shared.faces.wake.notify_one();
        Ok(())
    }

    pub async fn status(&self) -> Result<FacesStatus> {
        let missing = models::missing_models(self.shared).await?;
        let model = models::manifest()?.model_id();
        let store = self.shared.store.faces();
        let pending = store.pending_count(&model).await?;
        let (faces, analysed, failed) = store.totals().await?;
        let people = store.people(true).await?.len();
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(FacesStatus {
            models_installed: missing.is_empty(),
            missing_models: missing,
            pending: count(pending),
            analysed: count(analysed),
            failed: count(failed),
            faces: count(faces),
            people: u32::try_from(people).unwrap_or(u32::MAX),
            error: self
                .shared
                .faces
                .last_error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone(),
        })
    }

    /// Analyses every photo not analysed yet (fetching the models first if they
    /// are missing) and groups the faces; returns when done.
    pub async fn scan(&self) -> Result<FaceScanReport> {
        self.shared.ensure_writable()?;
        scan::scan(self.shared, true).await
    }

    /// Starts analysing in the background whenever the library changes (the
    /// app calls this; a command-line run scans only when asked).
    pub fn start_background(&self) {
        let job = tokio::spawn(scan::run_background(Arc::clone(self.shared)));
        let previous = self
            .shared
            .faces
            .background
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .replace(job);
        if let Some(previous) = previous {
            previous.abort();
        }
    }

    /// Makes every automatic grouping decision again; the user's stay.
    pub async fn regroup(&self) -> Result<u32> {
        self.shared.ensure_writable()?;
        scan::regroup(self.shared).await
    }

    /// People with at least one face, named first, then by how often they appear.
    pub async fn people(&self, include_hidden: bool) -> Result<Vec<PersonView>> {
        Ok(self
            .shared
            .store
            .faces()
            .people(include_hidden)
            .await?
            .into_iter()
            .filter(|p| p.faces > 0 || p.name.is_some())
            .map(PersonView::from)
            .collect())
    }

    pub async fn person(&self, id: i64) -> Result<PersonView> {
        self.shared
            .store
            .faces()
            .person(id)
            .await?
            .map(PersonView::from)
            .ok_or_else(|| no_person(id))
    }

    /// The person a name refers to (names are unique, whatever their case).
    pub async fn person_named(&self, name: &str) -> Result<PersonView> {
        self.shared
            .store
            .faces()
            .person_named(name.trim())
            .await?
            .map(PersonView::from)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("Nobody is named {:?}.", name.trim()),
                )
            })
    }

    /// Present items with a face of this person: `(id, path)`.
    pub async fn person_items(&self, id: i64) -> Result<Vec<(i64, String)>> {
        self.person(id).await?;
        Ok(self.shared.store.faces().person_items(id).await?)
    }

    /// A person's best faces (up to `limit`).
    pub async fn person_faces(&self, id: i64, limit: u32) -> Result<Vec<FaceView>> {
        self.person(id).await?;
        Ok(self
            .shared
            .store
            .faces()
            .faces_of_person(id, i64::from(limit.clamp(1, 1000)))
            .await?
            .into_iter()
            .map(FaceView::from)
            .collect())
    }

    pub async fn item_faces(&self, item_id: i64) -> Result<Vec<FaceView>> {
        Ok(self
            .shared
            .store
            .faces()
            .faces_of_item(item_id)
            .await?
            .into_iter()
            .map(FaceView::from)
            .collect())
    }

    /// The square crop of a face (JPEG).
    pub async fn face_crop(&self, face_id: i64) -> Result<Vec<u8>> {
        self.shared
            .store
            .faces()
            .face(face_id)
            .await?
            .ok_or_else(|| no_face(face_id))?;
        scan::read_crop(self.shared, face_id)
            .await
            .ok_or_else(|| no_face(face_id))
    }

    /// Names a person (an empty name clears it); their faces are the user's from now.
    pub async fn name(&self, id: i64, name: &str) -> Result<PersonView> {
        self.shared.ensure_writable()?;
        let name = valid_name(name)?;
        let store = self.shared.store.faces();
        if let Some(name) = name.as_deref()
            && let Some(other) = store.person_named(name).await?
            && other.id != id
        {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "Person #{} is already named {name:?}: merge the two instead.",
                    other.id
                ),
            ));
        }
        if !store.set_name(id, name.as_deref()).await? {
            return Err(no_person(id));
        }
        self.changed();
        self.person(id).await
    }

    pub async fn set_hidden(&self, id: i64, hidden: bool) -> Result<PersonView> {
        self.shared.ensure_writable()?;
        if !self.shared.store.faces().set_hidden(id, hidden).await? {
            return Err(no_person(id));
        }
        self.changed();
        self.person(id).await
    }

    /// Merges `from` into `into`: one person from now on.
    pub async fn merge(&self, from: i64, into: i64) -> Result<PersonView> {
        self.shared.ensure_writable()?;
        if from == into {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A person cannot be merged into themselves.",
            ));
        }
        self.person(from).await?;
        self.person(into).await?;
        if !self.shared.store.faces().merge(from, into).await? {
            return Err(no_person(from));
        }
        self.changed();
        self.person(into).await
    }

    /// Moves a face to a person, or to nobody (`None`): by hand, so it stays.
    pub async fn move_face(&self, face_id: i64, person_id: Option<i64>) -> Result<FaceView> {
        self.shared.ensure_writable()?;
        if let Some(person) = person_id {
            self.person(person).await?;
        }
        if !self
            .shared
            .store
            .faces()
            .move_face(face_id, person_id, false)
            .await?
        {
            return Err(no_face(face_id));
        }
        self.shared.store.faces().drop_empty_people().await?;
        self.changed();
        self.face(face_id).await
    }

    /// "Not this person": the face leaves its person and never goes back; it may
    /// be grouped with someone else.
    pub async fn reject(&self, face_id: i64) -> Result<FaceView> {
        self.shared.ensure_writable()?;
        if self.shared.store.faces().reject(face_id).await?.is_none() {
            return Err(Error::new(
                ErrorCode::InvalidState,
                format!("Face #{face_id} belongs to nobody."),
            ));
        }
        self.shared.store.faces().drop_empty_people().await?;
        scan::group_new(self.shared).await?;
        self.changed();
        self.face(face_id).await
    }

    /// "This is NAME" for one face: it joins the person of that name (created
    /// if nobody has it) as a reference photo, which steers the grouping.
    pub async fn name_face(&self, face_id: i64, name: &str) -> Result<PersonView> {
        self.shared.ensure_writable()?;
        let Some(name) = valid_name(name)? else {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                "A reference needs a name.",
            ));
        };
        let store = self.shared.store.faces();
        store.face(face_id).await?.ok_or_else(|| no_face(face_id))?;
        let person = match store.person_named(&name).await? {
            Some(person) => person.id,
            None => store.create_person(&name).await?,
        };
        store.move_face(face_id, Some(person), true).await?;
        store.drop_empty_people().await?;
        scan::group_new(self.shared).await?;
        self.changed();
        self.person(person).await
    }

    /// "This is NAME" for a library photo: its largest face, as [`Faces::name_face`].
    pub async fn add_reference(&self, name: &str, item_id: i64) -> Result<PersonView> {
        let faces = self.shared.store.faces().faces_of_item(item_id).await?;
        let Some(face) = faces
            .iter()
            .max_by(|a, b| (a.w * a.h).total_cmp(&(b.w * b.h)))
        else {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("No face was found in library item #{item_id} (is it analysed yet?)."),
            ));
        };
        self.name_face(face.id, name).await
    }

    async fn face(&self, id: i64) -> Result<FaceView> {
        self.shared
            .store
            .faces()
            .face(id)
            .await?
            .map(FaceView::from)
            .ok_or_else(|| no_face(id))
    }

    fn changed(&self) {
        self.shared.events.publish(CoreEvent::PeopleChanged);
    }
}

fn valid_name(name: &str) -> Result<Option<String>> {
    let name = name.trim();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!("A name is at most {MAX_NAME_CHARS} characters, without control characters."),
        ));
    }
    Ok((!name.is_empty()).then(|| name.to_string()))
}
