//! The console's account pages: qualification types and requests, the balance with its spend,
//! the notifications, and the clock.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::Response;
use maud::{html, Markup};

use super::console_page;
use crate::handlers::worker::WorkerError;
use crate::model::requester::*;
use crate::money::Cents;
use crate::store::LedgerKind;
use crate::web::layout;
use crate::web::{Site, Visit};

pub(super) async fn qualifications(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    console_page(&site, &visit, "Qualifications", |svc, ctx| {
        let types = svc.search_qualification_types(
            ctx,
            SearchQualificationTypesRequest {
                must_be_owned_by_caller: Some(true),
                page_size: Some(100),
                ..Default::default()
            },
        )?;
        let requests = svc.get_qualification_requests(
            ctx,
            GetQualificationRequestsRequest {
                page_size: Some(100),
                ..Default::default()
            },
        )?;
        let v = &visit;
        Ok(html! {
            h2 { "Qualification types" }
            table {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Id" } th scope="col" { "Status" } th scope="col" { "Description" } } }
                tbody {
                    @for t in &types.qualification_type {
                        tr {
                            td { (t.name.as_deref().unwrap_or("")) }
                            td { code { (t.qualification_type_id.as_deref().unwrap_or("")) } }
                            td { (t.qualification_type_status.map(|s| s.as_str()).unwrap_or("")) }
                            td { (t.description.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
            h2 { "Pending requests" }
            @if requests.qualification_request.is_empty() { p { "None." } }
            @for r in &requests.qualification_request {
                @let id = &r.qualification_request_id;
                section {
                    p { "Worker " code { (r.subject_id) } " asks for " code { (r.qualification_type_id) } " (" (layout::time(r.submit_time)) ")" }
                    @if let Some(answer) = &r.answer { pre.answer { (answer) } }
                    form.inline method="post" action="/requester/grant" {
                        (layout::csrf_field(v))
                        input type="hidden" name="requestId" value=(id);
                        label for={"value-" (id)} { "Value " }
                        input id={"value-" (id)} type="number" name="value" value="1";
                        " " button type="submit" { "Grant" }
                    }
                    " "
                    form.inline method="post" action="/requester/reject-request" {
                        (layout::csrf_field(v))
                        input type="hidden" name="requestId" value=(id);
                        label for={"why-" (id)} { " Reason " }
                        input id={"why-" (id)} type="text" name="reason";
                        " " button type="submit" { "Reject" }
                    }
                }
            }
        })
    })
}

/// What the requester has spent, as an SVG line of the running total over its ledger.
fn spend_chart(movements: &[(chrono::DateTime<chrono::Utc>, i64)]) -> Markup {
    let (w, h) = (600.0_f64, 160.0_f64);
    let total: i64 = movements.iter().map(|(_, c)| c).sum();
    let mut running = 0;
    let n = movements.len().max(1) as f64;
    let mut points = String::from("0,160");
    for (i, (_, cents)) in movements.iter().enumerate() {
        running += cents;
        let x = (i as f64 + 1.0) / n * w;
        let y = h - (running as f64 / total.max(1) as f64) * (h - 10.0);
        points.push_str(&format!(" {x:.1},{y:.1}"));
    }
    html! {
        svg.chart role="img" aria-label={"Spend over time, " (Cents(total).formatted()) " in all"}
            width="600" height="160" viewBox="0 0 600 160" xmlns="http://www.w3.org/2000/svg" {
            polyline points=(points) fill="none" stroke="#ff9900" stroke-width="2" {}
        }
    }
}

pub(super) async fn account(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    console_page(&site, &visit, "Account", |svc, ctx| {
        let balance = svc.get_account_balance(ctx, GetAccountBalanceRequest::default())?;
        let ledger = svc
            .store
            .read(|tx| tx.ledger_movements(&ctx.requester))
            .map_err(WorkerError::from)?;
        let notifications = svc
            .store
            .read(|tx| tx.notifications(Some(&ctx.requester)))
            .map_err(WorkerError::from)?;
        let movements: Vec<_> = ledger.iter().map(|m| (m.time, m.amount.0)).collect();
        let by_kind = |k: LedgerKind| {
            Cents(
                ledger
                    .iter()
                    .filter(|m| m.kind == k)
                    .map(|m| m.amount.0)
                    .sum(),
            )
            .formatted()
        };
        Ok(html! {
            p.balance { "Available balance: " strong id="balance" { (balance.available_balance.and_then(|p| p.formatted_price).unwrap_or_default()) } }
            h2 { "Spend" }
            (spend_chart(&movements))
            dl.terms {
                dt { "Rewards" } dd { (by_kind(LedgerKind::Reward)) }
                dt { "Reward fees" } dd { (by_kind(LedgerKind::RewardFee)) }
                dt { "Bonuses" } dd { (by_kind(LedgerKind::Bonus)) }
                dt { "Bonus fees" } dd { (by_kind(LedgerKind::BonusFee)) }
            }
            h2 { "Notifications" }
            table {
                thead { tr {
                    th scope="col" { "Event" } th scope="col" { "Time" } th scope="col" { "Destination" }
                    th scope="col" { "Transport" } th scope="col" { "Status" } th scope="col" { "Attempts" } th scope="col" { "Last error" }
                } }
                tbody {
                    @for n in &notifications {
                        tr {
                            td { (n.event_type.as_str()) }
                            td { (layout::time(n.event_time)) }
                            td { (n.destination) }
                            td { (n.transport.as_str()) }
                            td { (n.state.as_str()) }
                            td { (n.attempts) }
                            td { (n.last_error.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        })
    })
}

pub(super) async fn clock(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    console_page(&site, &visit, "Clock", |svc, ctx| {
        let v = &visit;
        Ok(html! {
            p { "Service time: " strong { (layout::time(ctx.now)) } }
            @if svc.clock.is_manual() {
                form.stack method="post" action="/requester/clock-advance" {
                    (layout::csrf_field(v))
                    label for="advance" { "Advance by seconds" }
                    input id="advance" type="number" name="seconds" min="0" value="3600";
                    p { button type="submit" { "Advance" } }
                }
                form.stack method="post" action="/requester/clock-set" {
                    (layout::csrf_field(v))
                    label for="to" { "Set to (xs:dateTime)" }
                    input id="to" type="text" name="now" value=(ctx.now.format("%Y-%m-%dT%H:%M:%SZ"));
                    p { button type="submit" { "Set" } }
                }
            } @else {
                p { "The clock follows the system clock; start the server with " code { "--clock manual" } " to move it." }
            }
            h2 { "Reset" }
            p { "Clears all data; balances return to their configured values." }
            (layout::post_button(v, "/requester/reset", "Reset everything", &[]))
        })
    })
}
