//! `GET /api/events`: Server-Sent Events, one stream per open page.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::error::ApiResult;
use crate::http::client::ClientAddr;
use crate::http::rate::RouteClass;
use crate::state::AppState;

pub async fn stream(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    state.rate.check(client, RouteClass::Events)?;
    let receiver = state.events.subscribe();
    let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    let sse = Event::default().event(event.name).data(&*event.data);
                    return Some((Ok(sse), receiver));
                }
                // A slow reader missed some: the next change event makes the
                // page read the state again.
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
