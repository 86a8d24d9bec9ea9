//! The requester console under `/requester/`: pick one of this server's accounts (being on
//! this machine is the trust boundary, as for the admin API), then see and review its work.
//! Reads and actions are calls of the requester operations themselves, so the API's rules and
//! errors apply unchanged.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hyper::header::{HeaderValue, CONTENT_DISPOSITION, CONTENT_TYPE};
use maud::{html, Markup};

use super::form::{self, Posted};
use super::layout::{self, Area};
use super::{page, refused_page, see_other, set_cookie, Refused, Site, Visit, REQUESTER_COOKIE};
use crate::binding::Context;
use crate::handlers::worker::WorkerError;
use crate::handlers::{controls, Service};
use crate::model::question_form_answers::QuestionFormAnswersAnswer;
use crate::model::requester::*;
use crate::money::Cents;
use crate::store::LedgerKind;

const HITS_PER_PAGE: i32 = 20;

pub(super) fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/requester", get(to_hits))
        .route("/requester/", get(to_hits))
        .route("/requester/signin", get(signin_page).post(signin))
        .route("/requester/signout", post(signout))
        .route("/requester/hits", get(hits))
        .route("/requester/hit", get(hit))
        .route("/requester/results.csv", get(results_csv))
        .route("/requester/qualifications", get(qualifications))
        .route("/requester/account", get(account))
        .route("/requester/clock", get(clock))
        .route("/requester/{action}", post(act))
}

fn shell(title: &str, visit: &Visit, body: Markup) -> Markup {
    layout::shell(title, Area::Requester, visit, body)
}

fn refused(visit: &Visit, r: Refused) -> Response {
    refused_page(visit, Area::Requester, &r)
}

/// The handler context of a console call by `requester`, settled to the present as every API
/// call is.
fn context(svc: &Service, requester: &str) -> Result<Context, Refused> {
    Ok(Context {
        requester: requester.to_string(),
        request_id: uuid::Uuid::new_v4().to_string(),
        now: svc.settle_due_changes()?,
    })
}

/// The signed-in requester, provided it is still one of this server's accounts.
fn signed_in<'a>(site: &Site, visit: &'a Visit) -> Result<&'a str, Box<Response>> {
    visit
        .requester
        .as_deref()
        .filter(|r| site.svc.accounts.iter().any(|a| a.access_key_id == *r))
        .ok_or_else(|| Box::new(see_other(visit, "/requester/signin", &[])))
}

async fn to_hits(req: Request) -> Response {
    see_other(&Visit::of(&req), "/requester/hits", &[])
}

async fn signin_page(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    page(
        200,
        &visit,
        shell(
            "Requester sign-in",
            &visit,
            html! {
                p { "Choose one of this server's accounts. Anyone who can reach this page can act for them." }
                form.stack method="post" action="/requester/signin" {
                    (layout::csrf_field(&visit))
                    label for="accessKeyId" { "AWSAccessKeyId" }
                    select id="accessKeyId" name="accessKeyId" {
                        @for a in site.svc.accounts.iter() {
                            option value=(a.access_key_id) { (a.access_key_id) }
                        }
                    }
                    p { button type="submit" { "Sign in" } }
                }
            },
        ),
    )
}

async fn signin(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    let posted = match form::read(&site, &visit, req).await {
        Ok(p) => p,
        Err(r) => return refused(&visit, r),
    };
    let key = posted.text("accessKeyId");
    if !site.svc.accounts.iter().any(|a| a.access_key_id == key) {
        return refused(&visit, WorkerError::NoSuchAccount(key.to_string()).into());
    }
    see_other(
        &visit,
        "/requester/hits",
        &[set_cookie(REQUESTER_COOKIE, key)],
    )
}

async fn signout(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    if let Err(r) = form::read(&site, &visit, req).await {
        return refused(&visit, r);
    }
    see_other(
        &visit,
        "/requester/signin",
        &[set_cookie(REQUESTER_COOKIE, "")],
    )
}

/// Runs `show` for the signed-in requester and renders its page, or the refusal.
fn console_page(
    site: &Site,
    visit: &Visit,
    title: &str,
    show: impl FnOnce(&Service, &Context) -> Result<Markup, Refused>,
) -> Response {
    let requester = match signed_in(site, visit) {
        Ok(r) => r,
        Err(to_signin) => return *to_signin,
    };
    match context(&site.svc, requester).and_then(|ctx| show(&site.svc, &ctx)) {
        Ok(body) => page(200, visit, shell(title, visit, body)),
        Err(r) => refused(visit, r),
    }
}

fn status_name(s: Option<HITStatus>) -> &'static str {
    s.map(|s| s.as_str()).unwrap_or("")
}

async fn hits(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    let q = form::query(&req);
    let status = q.text("status").to_string();
    let page_number = q.text("pageNumber").parse::<i32>().unwrap_or(1).max(1);
    console_page(&site, &visit, "HITs", |svc, ctx| {
        let found = svc.search_hits(
            ctx,
            SearchHITsRequest {
                sort_direction: Some(SortDirection::Descending),
                sort_property: Some(SearchHITsSortProperty::CreationTime),
                page_number: Some(page_number),
                page_size: Some(HITS_PER_PAGE),
                response_group: vec![
                    "Minimal".into(),
                    "HITDetail".into(),
                    "HITAssignmentSummary".into(),
                ],
            },
        )?;
        let total = found.total_num_results.unwrap_or(0);
        let more = i64::from(page_number) * i64::from(HITS_PER_PAGE) < i64::from(total);
        let statuses = ["Assignable", "Unassignable", "Reviewable", "Reviewing"];
        Ok(html! {
            form.search method="get" action="/requester/hits" {
                label for="status" { "Status " }
                select id="status" name="status" {
                    option value="" { "All" }
                    @for s in statuses { option value=(s) selected[status == s] { (s) } }
                }
                " " button type="submit" { "Filter" }
            }
            p { (total) " HITs in all." }
            table.hits {
                thead { tr {
                    th scope="col" { "Title" } th scope="col" { "HIT" } th scope="col" { "Status" }
                    th scope="col" { "Reward" } th scope="col" { "Available" } th scope="col" { "Pending" }
                    th scope="col" { "Completed" } th scope="col" { "Expires" }
                } }
                tbody {
                    @for h in found.hit.iter().filter(|h| status.is_empty() || status_name(h.hit_status) == status) {
                        @let id = h.hit_id.as_deref().unwrap_or("");
                        tr {
                            td { a href={"/requester/hit?hitId=" (id)} { (h.title.as_deref().unwrap_or("")) } }
                            td { code { (id) } }
                            td { (status_name(h.hit_status)) }
                            td { (h.reward.as_ref().and_then(|r| r.formatted_price.as_deref()).unwrap_or("")) }
                            td { (h.number_of_assignments_available.unwrap_or(0)) }
                            td { (h.number_of_assignments_pending.unwrap_or(0)) }
                            td { (h.number_of_assignments_completed.unwrap_or(0)) }
                            td { (layout::maybe_time(h.expiration)) }
                        }
                    }
                }
            }
            (layout::pager("/requester/hits", &[("status", &status)], i64::from(page_number), more))
        })
    })
}

/// A HIT's submitted work, every status, oldest first.
fn assignments(svc: &Service, ctx: &Context, hit_id: &str) -> Result<Vec<Assignment>, Refused> {
    let mut out = Vec::new();
    for page_number in 1.. {
        let page = svc.get_assignments_for_hit(
            ctx,
            GetAssignmentsForHITRequest {
                hit_id: hit_id.to_string(),
                sort_property: Some(GetAssignmentsForHITSortProperty::SubmitTime),
                sort_direction: Some(SortDirection::Ascending),
                page_number: Some(page_number),
                page_size: Some(100),
                assignment_status: Vec::new(),
                response_group: vec!["Minimal".into(), "AssignmentFeedback".into()],
            },
        )?;
        let n = page.assignment.len();
        out.extend(page.assignment);
        if n < 100 {
            break;
        }
    }
    Ok(out)
}

/// An assignment's answers, question by question, as text.
fn answer_list(a: &Assignment) -> Vec<(String, String)> {
    let Some(doc) = a.answer.as_deref() else {
        return Vec::new();
    };
    let Ok(parsed) = crate::handlers::questions::validate_answers(doc) else {
        return vec![("(answer)".into(), doc.to_string())];
    };
    parsed
        .answer
        .iter()
        .map(|x| (x.question_identifier.clone(), answer_text(x)))
        .collect()
}

fn answer_text(a: &QuestionFormAnswersAnswer) -> String {
    let mut parts: Vec<String> = a.selection_identifier.clone();
    parts.extend(a.other_selection_text.clone());
    parts.extend(a.free_text.clone());
    if let Some(size) = a.uploaded_file_size_in_bytes {
        parts.push(format!(
            "file of {size} bytes, key {}",
            a.uploaded_file_key.as_deref().unwrap_or("")
        ));
    }
    parts.join("|")
}

async fn hit(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    let hit_id = form::query(&req).text("hitId").to_string();
    console_page(&site, &visit, "HIT", |svc, ctx| {
        let h = svc.get_hit(
            ctx,
            GetHITRequest {
                hit_id: hit_id.clone(),
                response_group: vec!["HITDetail".into(), "HITAssignmentSummary".into()],
            },
        )?;
        let list = assignments(svc, ctx, &hit_id)?;
        let back = format!("/requester/hit?hitId={hit_id}");
        let v = &visit;
        Ok(html! {
            h2 { (h.title.as_deref().unwrap_or("")) }
            dl.terms {
                dt { "HIT" } dd { code { (hit_id) } }
                dt { "HIT type" } dd { code { (h.hit_type_id.as_deref().unwrap_or("")) } }
                dt { "Status" } dd { (status_name(h.hit_status)) }
                dt { "Reward" } dd { (h.reward.as_ref().and_then(|r| r.formatted_price.as_deref()).unwrap_or("")) }
                dt { "Assignments" } dd {
                    (h.max_assignments.unwrap_or(0)) " in all: "
                    (h.number_of_assignments_available.unwrap_or(0)) " available, "
                    (h.number_of_assignments_pending.unwrap_or(0)) " pending, "
                    (h.number_of_assignments_completed.unwrap_or(0)) " completed"
                }
                dt { "Expires" } dd { (layout::maybe_time(h.expiration)) }
            }
            div.actions {
                form.inline method="post" action="/requester/extend" {
                    (layout::csrf_field(v))
                    input type="hidden" name="hitId" value=(hit_id);
                    input type="hidden" name="back" value=(back);
                    label for="more" { "More assignments " }
                    input id="more" type="number" name="assignments" min="0" value="0";
                    label for="seconds" { " More seconds " }
                    input id="seconds" type="number" name="seconds" min="0" value="3600";
                    " " button type="submit" { "Extend" }
                }
                " "
                (layout::post_button(v, "/requester/expire", "Expire now", &[("hitId", &hit_id), ("back", &back)]))
            }
            h2 { "Assignments" }
            p { a href={"/requester/results.csv?hitId=" (hit_id)} download { "Download results (CSV)" } }
            @if list.is_empty() { p { "No submitted work yet." } }
            @for a in &list {
                @let id = a.assignment_id.as_deref().unwrap_or("");
                @let worker = a.worker_id.as_deref().unwrap_or("");
                section.assignment {
                    h3 { "Assignment " code { (id) } }
                    dl.terms {
                        dt { "Worker" } dd { code { (worker) } }
                        dt { "Status" } dd.status { (a.assignment_status.map(|s| s.as_str()).unwrap_or("")) }
                        dt { "Submitted" } dd { (layout::maybe_time(a.submit_time)) }
                        @if let Some(f) = &a.requester_feedback { dt { "Feedback" } dd { (f) } }
                    }
                    table.answers {
                        thead { tr { th scope="col" { "Question" } th scope="col" { "Answer" } } }
                        tbody {
                            @for (q, text) in answer_list(a) {
                                tr { td { (q) } td { pre.answer { (text) } } }
                            }
                        }
                    }
                    div.actions {
                        (review_form(v, "/requester/approve", "Approve", id, &back))
                        (review_form(v, "/requester/reject", "Reject", id, &back))
                        form method="post" action="/requester/bonus" {
                            (layout::csrf_field(v))
                            input type="hidden" name="assignmentId" value=(id);
                            input type="hidden" name="workerId" value=(worker);
                            input type="hidden" name="back" value=(back);
                            label for={"bonus-" (id)} { "Bonus (dollars) " }
                            input id={"bonus-" (id)} type="text" name="amount" inputmode="decimal" size="6";
                            label for={"reason-" (id)} { " Reason " }
                            input id={"reason-" (id)} type="text" name="reason";
                            " " button type="submit" { "Grant bonus" }
                        }
                        form method="post" action="/requester/block" {
                            (layout::csrf_field(v))
                            input type="hidden" name="workerId" value=(worker);
                            input type="hidden" name="back" value=(back);
                            label for={"block-" (id)} { "Block reason " }
                            input id={"block-" (id)} type="text" name="reason";
                            " " button type="submit" { "Block worker" }
                        }
                    }
                }
            }
        })
    })
}

fn review_form(visit: &Visit, action: &str, label: &str, assignment: &str, back: &str) -> Markup {
    let id = format!("{}-{assignment}", label.to_lowercase());
    html! {
        form method="post" action=(action) {
            (layout::csrf_field(visit))
            input type="hidden" name="assignmentId" value=(assignment);
            input type="hidden" name="back" value=(back);
            label for=(id) { "Feedback " }
            input id=(id) type="text" name="feedback";
            " " button type="submit" { (label) }
        }
    }
}

/// One CSV field, quoted when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The HIT's results as a batch results file: one row per assignment, one `Answer.<id>`
/// column per question answered.
async fn results_csv(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    let hit_id = form::query(&req).text("hitId").to_string();
    let requester = match signed_in(&site, &visit) {
        Ok(r) => r,
        Err(to_signin) => return *to_signin,
    };
    let list =
        match context(&site.svc, requester).and_then(|ctx| assignments(&site.svc, &ctx, &hit_id)) {
            Ok(l) => l,
            Err(r) => return refused(&visit, r),
        };
    let answers: Vec<Vec<(String, String)>> = list.iter().map(answer_list).collect();
    let mut questions: Vec<&str> = Vec::new();
    for (q, _) in answers.iter().flatten() {
        if !questions.contains(&q.as_str()) {
            questions.push(q);
        }
    }
    let mut out =
        String::from("HITId,AssignmentId,WorkerId,AssignmentStatus,AcceptTime,SubmitTime");
    for q in &questions {
        out.push(',');
        out.push_str(&csv_field(&format!("Answer.{q}")));
    }
    out.push_str("\r\n");
    for (a, given) in list.iter().zip(&answers) {
        let mut row = vec![
            hit_id.clone(),
            a.assignment_id.clone().unwrap_or_default(),
            a.worker_id.clone().unwrap_or_default(),
            a.assignment_status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            layout::maybe_time(a.accept_time),
            layout::maybe_time(a.submit_time),
        ];
        for q in &questions {
            row.push(
                given
                    .iter()
                    .find(|(k, _)| k == q)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default(),
            );
        }
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    let mut r = Response::new(Body::from(out));
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"Batch_{hit_id}_results.csv\""
    )) {
        r.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    r
}

async fn qualifications(State(site): State<Arc<Site>>, req: Request) -> Response {
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

async fn account(State(site): State<Arc<Site>>, req: Request) -> Response {
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

async fn clock(State(site): State<Arc<Site>>, req: Request) -> Response {
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

fn int(posted: &Posted, name: &str) -> Result<i64, Refused> {
    posted
        .text(name)
        .parse()
        .map_err(|_| Refused::bad_input(format!("{name} must be a whole number.")))
}

fn optional(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// Performs one console action as the signed-in requester; where to go next.
fn perform(svc: &Service, ctx: &Context, action: &str, p: &Posted) -> Result<String, Refused> {
    let back = |default: &str| {
        let b = p.text("back");
        // Only paths of this console: a form cannot send the browser elsewhere.
        if b.starts_with("/requester/") {
            b.to_string()
        } else {
            default.to_string()
        }
    };
    match action {
        "approve" => {
            svc.approve_assignment(
                ctx,
                ApproveAssignmentRequest {
                    assignment_id: p.text("assignmentId").into(),
                    requester_feedback: optional(p.text("feedback")),
                    ..Default::default()
                },
            )?;
        }
        "reject" => {
            svc.reject_assignment(
                ctx,
                RejectAssignmentRequest {
                    assignment_id: p.text("assignmentId").into(),
                    requester_feedback: optional(p.text("feedback")),
                    ..Default::default()
                },
            )?;
        }
        "bonus" => {
            let amount = p.text("amount").parse().map_err(|_| {
                Refused::bad_input(format!(
                    "{:?} is not an amount in dollars.",
                    p.text("amount")
                ))
            })?;
            svc.grant_bonus(
                ctx,
                GrantBonusRequest {
                    worker_id: p.text("workerId").into(),
                    assignment_id: p.text("assignmentId").into(),
                    bonus_amount: Price {
                        amount,
                        currency_code: "USD".into(),
                        formatted_price: None,
                    },
                    reason: p.text("reason").into(),
                    ..Default::default()
                },
            )?;
        }
        "block" => {
            svc.block_worker(
                ctx,
                BlockWorkerRequest {
                    worker_id: p.text("workerId").into(),
                    reason: p.text("reason").into(),
                    ..Default::default()
                },
            )?;
        }
        "extend" => {
            let more = int(p, "assignments")?;
            let seconds = int(p, "seconds")?;
            svc.extend_hit(
                ctx,
                ExtendHITRequest {
                    hit_id: p.text("hitId").into(),
                    max_assignments_increment: (more != 0)
                        .then(|| i32::try_from(more))
                        .transpose()
                        .map_err(|_| Refused::bad_input("Too many assignments."))?,
                    expiration_increment_in_seconds: (seconds != 0).then_some(seconds),
                    ..Default::default()
                },
            )?;
        }
        "expire" => {
            svc.force_expire_hit(
                ctx,
                ForceExpireHITRequest {
                    hit_id: p.text("hitId").into(),
                    ..Default::default()
                },
            )?;
        }
        "grant" => {
            let value = int(p, "value")?;
            svc.grant_qualification(
                ctx,
                GrantQualificationRequest {
                    qualification_request_id: p.text("requestId").into(),
                    integer_value: Some(
                        i32::try_from(value)
                            .map_err(|_| Refused::bad_input("The value is out of range."))?,
                    ),
                    ..Default::default()
                },
            )?;
            return Ok("/requester/qualifications".into());
        }
        "reject-request" => {
            svc.reject_qualification_request(
                ctx,
                RejectQualificationRequestRequest {
                    qualification_request_id: p.text("requestId").into(),
                    reason: optional(p.text("reason")),
                    ..Default::default()
                },
            )?;
            return Ok("/requester/qualifications".into());
        }
        "clock-advance" => {
            svc.advance_clock(int(p, "seconds")?)?;
            return Ok("/requester/clock".into());
        }
        "clock-set" => {
            let to = crate::auth::parse_timestamp(p.text("now")).ok_or_else(|| {
                Refused::bad_input(format!("{:?} is not an xs:dateTime.", p.text("now")))
            })?;
            svc.set_clock(to)?;
            return Ok("/requester/clock".into());
        }
        "reset" => {
            controls::reset(svc)?;
            return Ok("/requester/hits".into());
        }
        other => {
            return Err(Refused::new(
                404,
                "NotFound",
                format!("There is no console action {other:?}."),
            ))
        }
    }
    Ok(back("/requester/hits"))
}

async fn act(
    State(site): State<Arc<Site>>,
    axum::extract::Path(action): axum::extract::Path<String>,
    req: Request,
) -> Response {
    let visit = Visit::of(&req);
    let requester = match signed_in(&site, &visit) {
        Ok(r) => r.to_string(),
        Err(to_signin) => return *to_signin,
    };
    let done = async {
        let posted = form::read(&site, &visit, req).await?;
        let ctx = context(&site.svc, &requester)?;
        perform(&site.svc, &ctx, &action, &posted)
    };
    match done.await {
        Ok(to) => see_other(&visit, &to, &[]),
        Err(r) => refused(&visit, r),
    }
}
