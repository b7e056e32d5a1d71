//! The library, its recycle bin, faces and people.

use haul_core::library::{ItemDetails, LibraryFilter, LibraryQuery};
use serde_json::Value;

use super::{arg, id, reply};
use crate::error::ApiResult;
use crate::state::AppState;

fn ids(args: &Value) -> ApiResult<Vec<i64>> {
    arg(args, "ids")
}

pub async fn call(state: &AppState, name: &str, args: &Value) -> Option<ApiResult<Value>> {
    run(state, name, args).await.transpose()
}

async fn run(state: &AppState, name: &str, args: &Value) -> ApiResult<Option<Value>> {
    let library = state.core.library();
    let faces = state.core.faces();
    let value = match name {
        "library_list" => {
            let query: LibraryQuery = arg(args, "query")?;
            reply(library.list(&query).await)?
        }
        "library_count" => {
            let filter: LibraryFilter = arg(args, "filter")?;
            let n = library.count(&filter).await?;
            reply(Ok(u32::try_from(n).unwrap_or(u32::MAX)))?
        }
        "library_months" => {
            let filter: LibraryFilter = arg(args, "filter")?;
            reply(library.months(&filter).await)?
        }
        "library_update_details" => {
            let details: ItemDetails = arg(args, "details")?;
            reply(library.update_details(id(args)?, &details).await)?
        }
        "library_duplicates" => reply(library.duplicates().await)?,
        "library_similar" => {
            let distance: Option<u32> = arg(args, "distance")?;
            let distance = distance.unwrap_or(haul_core::library::DEFAULT_SIMILAR_DISTANCE);
            reply(library.similar(distance).await)?
        }
        "library_remove" => reply(library.remove(&ids(args)?).await)?,
        "library_add_folder" => {
            let path: String = arg(args, "path")?;
            let download_dir = std::path::PathBuf::from(state.core.settings().download_dir);
            let folder = state.dirs.check(&path, &download_dir)?;
            reply(library.add_folder(&folder).await)?
        }
        "library_set_paused" => {
            library.set_paused(arg(args, "paused")?);
            Value::Null
        }
        "bin_list" => reply(library.bin_list().await)?,
        "bin_restore" => reply(library.restore(&ids(args)?).await)?,
        "bin_purge" => reply(library.purge_entries(&ids(args)?).await)?,
        "bin_empty" => reply(library.empty_bin().await)?,
        "faces_status" => reply(faces.status().await)?,
        "faces_fetch_models" => reply(faces.fetch_models().await)?,
        "faces_scan" => reply(faces.scan().await)?,
        "faces_regroup" => reply(faces.regroup().await)?,
        "people_list" => reply(faces.people(arg(args, "includeHidden")?).await)?,
        "person_faces" => reply(faces.person_faces(id(args)?, arg(args, "limit")?).await)?,
        "item_faces" => reply(faces.item_faces(arg(args, "itemId")?).await)?,
        "person_rename" => {
            let name: String = arg(args, "name")?;
            reply(faces.name(id(args)?, &name).await)?
        }
        "person_set_hidden" => reply(faces.set_hidden(id(args)?, arg(args, "hidden")?).await)?,
        "people_merge" => reply(faces.merge(arg(args, "from")?, arg(args, "into")?).await)?,
        "face_move" => reply(
            faces
                .move_face(arg(args, "faceId")?, arg(args, "personId")?)
                .await,
        )?,
        "face_reject" => reply(faces.reject(arg(args, "faceId")?).await)?,
        "person_add_reference" => {
            let name: String = arg(args, "name")?;
            reply(faces.add_reference(&name, arg(args, "itemId")?).await)?
        }
        "face_name" => {
            let name: String = arg(args, "name")?;
            reply(faces.name_face(arg(args, "faceId")?, &name).await)?
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}
