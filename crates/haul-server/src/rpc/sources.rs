//! Sources, cookies, extractors, the history and its statistics, diagnostics.

use haul_core::history::HistoryQuery;
use haul_core::sources::{AddSource, EditSource};
use serde_json::Value;

use super::transfers::allowed_dir;
use super::{arg, id, reply};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn call(state: &AppState, name: &str, args: &Value) -> Option<ApiResult<Value>> {
    run(state, name, args).await.transpose()
}

async fn run(state: &AppState, name: &str, args: &Value) -> ApiResult<Option<Value>> {
    let sources = state.core.sources();
    let value = match name {
        "sources_list" => reply(sources.list().await)?,
        "source_add" => {
            let mut source: AddSource = arg(args, "source")?;
            source.dir = allowed_dir(state, source.dir.take())?;
            reply(sources.add(&source).await)?
        }
        "source_preview" => {
            let url: String = arg(args, "url")?;
            reply(sources.preview(&url).await)?
        }
        "source_edit" => {
            let mut edit: EditSource = arg(args, "edit")?;
            edit.dir = allowed_dir(state, edit.dir.take())?;
            reply(sources.edit(id(args)?, &edit).await)?
        }
        "source_pause" => reply(sources.pause(id(args)?).await)?,
        "source_resume" => reply(sources.resume(id(args)?).await)?,
        "source_check" => reply(sources.check_now(id(args)?).await)?,
        "source_fill_gap" => reply(sources.fill_gap(id(args)?).await)?,
        "source_remove" => {
            let binned = sources.remove(id(args)?, arg(args, "deleteFiles")?).await?;
            reply(Ok(u32::try_from(binned).unwrap_or(u32::MAX)))?
        }
        "cookies_import" => {
            let account: String = arg(args, "account")?;
            let text: String = arg(args, "text")?;
            reply(sources.import_cookies(&account, &text).await)?
        }
        "extractors_status" => reply(Ok(sources.tools().await))?,
        "extractors_install" => reply(sources.install_tools().await)?,
        "history_search" => {
            let query: HistoryQuery = arg(args, "query")?;
            reply(state.core.history().search(&query).await)?
        }
        "history_stats" => reply(state.core.history().stats(arg(args, "days")?).await)?,
        "diagnostics" => reply(Ok(state.core.diagnostics().readiness().await))?,
        _ => return Ok(None),
    };
    Ok(Some(value))
}
