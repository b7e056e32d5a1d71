//! What the faces API hands out.

use serde::Serialize;
use specta::Type;
use specta_typescript::Number;

use haul_store::faces::{FaceRow, PersonRow};

#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PersonView {
    #[specta(type = Number)]
    pub id: i64,
    pub name: Option<String>,
    pub hidden: bool,
    pub face_count: u32,
    /// Library items with a face of this person.
    pub item_count: u32,
    /// The face whose crop shows this person.
    #[specta(type = Option<Number>)]
    pub cover_face_id: Option<i64>,
}

impl From<PersonRow> for PersonView {
    fn from(row: PersonRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            hidden: row.hidden,
            face_count: u32::try_from(row.faces).unwrap_or(0),
            item_count: u32::try_from(row.items).unwrap_or(0),
            cover_face_id: row.cover_face_id,
        }
    }
}

/// A face in a photo; the box is in fractions of the photo as displayed.
#[derive(Clone, Debug, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FaceView {
    #[specta(type = Number)]
    pub id: i64,
    #[specta(type = Number)]
    pub item_id: i64,
    #[specta(type = Number)]
    pub x: f64,
    #[specta(type = Number)]
    pub y: f64,
    #[specta(type = Number)]
    pub width: f64,
    #[specta(type = Number)]
    pub height: f64,
    #[specta(type = Number)]
    pub score: f64,
    #[specta(type = Number)]
    pub quality: f64,
    #[specta(type = Option<Number>)]
    pub person_id: Option<i64>,
    pub person_name: Option<String>,
    /// The user put it where it is: grouping never moves it.
    pub pinned: bool,
    pub reference: bool,
}

impl From<FaceRow> for FaceView {
    fn from(row: FaceRow) -> Self {
        Self {
            id: row.id,
            item_id: row.item_id,
            x: row.x,
            y: row.y,
            width: row.w,
            height: row.h,
            score: row.score,
            quality: row.quality,
            person_id: row.person_id,
            person_name: row.person_name,
            pinned: row.pinned,
            reference: row.reference,
        }
    }
}

/// Where face analysis stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FacesStatus {
    /// Both models are in the data folder and match the manifest.
    pub models_installed: bool,
    /// File names of the models still to install or fetch.
    pub missing_models: Vec<String>,
    /// Photos not analysed yet.
    pub pending: u32,
    pub analysed: u32,
    /// Photos that could not be analysed (damaged, too large).
    pub failed: u32,
    pub faces: u32,
    pub people: u32,
    /// The last scan's error, if it stopped on one (models missing, say).
    pub error: Option<String>,
}

/// What a scan did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct FaceScanReport {
    pub analysed: u32,
    pub faces: u32,
    pub failed: u32,
    /// People the grouping created.
    pub new_people: u32,
}
