//! The admin routes of fault rules and of the journal, and reset, which clears both the data
//! and the rules: they need the whole app, not only the service.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::api::{route, FaultRule, FaultView, FaultsCleared, JournalQuery, ResetDone, Route};
use super::{json_text, no_such_endpoint, AddRoute, Refusal, JSON};
use crate::handlers::controls;
use crate::server::{respond, App};

pub(super) fn routes(app: &Arc<App>) -> Router {
    Router::new()
        .add(route::Reset, reset)
        .add(route::ListFaults, list_faults)
        .add(route::AddFault, add_fault)
        .add(route::RemoveFault, remove_fault)
        .add(route::ClearFaults, clear_faults)
        .route(
            route::ReadJournal::PATH,
            get(read_journal).head(no_such_endpoint),
        )
        .with_state(app.clone())
}

/// Clears all data and every fault rule; the journal keeps its record, this call included.
fn reset(app: &App, []: [&str; 0], (): ()) -> Result<ResetDone, Refusal> {
    app.faults.clear();
    controls::reset(&app.service)?;
    Ok(ResetDone { reset: true })
}

fn list_faults(app: &App, []: [&str; 0], (): ()) -> Result<Vec<FaultView>, Refusal> {
    Ok(app.faults.list())
}

fn add_fault(app: &App, []: [&str; 0], rule: FaultRule) -> Result<FaultView, Refusal> {
    app.faults
        .add(rule)
        .map_err(|e| Refusal::bad_input(e.to_string()))
}

fn remove_fault(app: &App, [id]: [&str; 1], (): ()) -> Result<FaultView, Refusal> {
    let not_found = || Refusal {
        status: 404,
        code: "NotFound",
        message: format!("There is no fault rule {id}."),
    };
    let id = id.parse::<u64>().map_err(|_| not_found())?;
    app.faults.remove(id).ok_or_else(not_found)
}

fn clear_faults(app: &App, []: [&str; 0], (): ()) -> Result<FaultsCleared, Refusal> {
    Ok(FaultsCleared {
        cleared: app.faults.clear(),
    })
}

/// The journal's entries that the query string's filters select.
async fn read_journal(State(app): State<Arc<App>>, req: Request) -> Response {
    let query = req.uri().query().unwrap_or("");
    let page = JournalQuery::from_query(query)
        .map_err(Refusal::from)
        .and_then(|q| app.journal.query(&q).map_err(Refusal::bad_input))
        .and_then(|page| json_text(page).map_err(|e| Refusal::internal(e.to_string())));
    match page {
        Ok(text) => respond(200, JSON, text),
        Err(refused) => refused.into_response(),
    }
}
