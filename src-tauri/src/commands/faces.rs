//! Faces and people: the People page, the viewer's face boxes, the gallery's
//! person filter.

use haul_core::Error;
use haul_core::faces::{FaceScanReport, FaceView, FacesStatus, PersonView};
use tauri::State;

use crate::AppState;

/// A person's or face's id; a JavaScript number (ids stay below 2^53).
#[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize, specta::Type)]
#[serde(transparent)]
pub struct RowId(#[specta(type = specta_typescript::Number)] i64);

impl RowId {
    pub fn get(self) -> i64 {
        self.0
    }
}

#[tauri::command]
#[specta::specta]
pub async fn faces_status(state: State<'_, AppState>) -> Result<FacesStatus, Error> {
    state.core.faces().status().await
}

/// Fetches the missing models (checked against the manifest before they are kept).
#[tauri::command]
#[specta::specta]
pub async fn faces_fetch_models(state: State<'_, AppState>) -> Result<(), Error> {
    state.core.faces().fetch_models().await
}

/// Analyses every photo not analysed yet; progress comes as `library-progress`
/// events with the job "faces".
#[tauri::command]
#[specta::specta]
pub async fn faces_scan(state: State<'_, AppState>) -> Result<FaceScanReport, Error> {
    state.core.faces().scan().await
}

/// Groups every face again; the user's corrections stay. The people formed.
#[tauri::command]
#[specta::specta]
pub async fn faces_regroup(state: State<'_, AppState>) -> Result<u32, Error> {
    state.core.faces().regroup().await
}

#[tauri::command]
#[specta::specta]
pub async fn people_list(
    state: State<'_, AppState>,
    include_hidden: bool,
) -> Result<Vec<PersonView>, Error> {
    state.core.faces().people(include_hidden).await
}

#[tauri::command]
#[specta::specta]
pub async fn person_faces(
    state: State<'_, AppState>,
    id: RowId,
    limit: u32,
) -> Result<Vec<FaceView>, Error> {
    state.core.faces().person_faces(id.0, limit).await
}

#[tauri::command]
#[specta::specta]
pub async fn item_faces(
    state: State<'_, AppState>,
    item_id: RowId,
) -> Result<Vec<FaceView>, Error> {
    state.core.faces().item_faces(item_id.0).await
}

/// Names a person; an empty name clears it.
#[tauri::command]
#[specta::specta]
pub async fn person_rename(
    state: State<'_, AppState>,
    id: RowId,
    name: String,
) -> Result<PersonView, Error> {
    state.core.faces().name(id.0, &name).await
}

#[tauri::command]
#[specta::specta]
pub async fn person_set_hidden(
    state: State<'_, AppState>,
    id: RowId,
    hidden: bool,
) -> Result<PersonView, Error> {
    state.core.faces().set_hidden(id.0, hidden).await
}

/// Merges `from` into `into`; returns the merged person.
#[tauri::command]
#[specta::specta]
pub async fn people_merge(
    state: State<'_, AppState>,
    from: RowId,
    into: RowId,
) -> Result<PersonView, Error> {
    state.core.faces().merge(from.0, into.0).await
}

/// Moves a face to a person, or to nobody (`null`).
#[tauri::command]
#[specta::specta]
pub async fn face_move(
    state: State<'_, AppState>,
    face_id: RowId,
    person_id: Option<RowId>,
) -> Result<FaceView, Error> {
    state
        .core
        .faces()
        .move_face(face_id.0, person_id.map(|p| p.0))
        .await
}

/// "Not this person".
#[tauri::command]
#[specta::specta]
pub async fn face_reject(state: State<'_, AppState>, face_id: RowId) -> Result<FaceView, Error> {
    state.core.faces().reject(face_id.0).await
}

/// "This is NAME": the photo's largest face becomes a reference for that person.
#[tauri::command]
#[specta::specta]
pub async fn person_add_reference(
    state: State<'_, AppState>,
    name: String,
    item_id: RowId,
) -> Result<PersonView, Error> {
    state.core.faces().add_reference(&name, item_id.0).await
}

/// "This is NAME" for one face (the person is created if nobody has the name).
#[tauri::command]
#[specta::specta]
pub async fn face_name(
    state: State<'_, AppState>,
    face_id: RowId,
    name: String,
) -> Result<PersonView, Error> {
    state.core.faces().name_face(face_id.0, &name).await
}
