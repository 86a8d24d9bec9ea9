//! The console's HIT pages: the list, one HIT with its assignments and answers, the results
//! as CSV, and uploaded files.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use hyper::header::{HeaderValue, CONTENT_DISPOSITION, CONTENT_TYPE};
use maud::{html, Markup};

use super::{console_page, context, refused, signed_in};
use crate::binding::Context;
use crate::handlers::Service;
use crate::model::question_form_answers::QuestionFormAnswersAnswer;
use crate::model::requester::*;
use crate::web::form;
use crate::web::layout;
use crate::web::{see_other, Refused, Site, Visit};

const HITS_PER_PAGE: i32 = 20;

pub(super) fn status_name(s: Option<HITStatus>) -> &'static str {
    s.map(|s| s.as_str()).unwrap_or("")
}

pub(super) async fn hits(State(site): State<Arc<Site>>, req: Request) -> Response {
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

/// The questions an assignment answered with an uploaded file.
fn files(a: &Assignment) -> Vec<String> {
    a.answer
        .as_deref()
        .and_then(|doc| crate::handlers::questions::validate_answers(doc).ok())
        .map(|parsed| {
            parsed
                .answer
                .into_iter()
                .filter(|x| x.uploaded_file_key.is_some())
                .map(|x| x.question_identifier)
                .collect()
        })
        .unwrap_or_default()
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

pub(super) async fn hit(State(site): State<Arc<Site>>, req: Request) -> Response {
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
                            @let with_files = files(a);
                            @for (q, text) in answer_list(a) {
                                tr {
                                    td { (q) }
                                    td {
                                        pre.answer { (text) }
                                        @if with_files.contains(&q) {
                                            a href=(crate::web::question::with_query("/requester/file", &[("assignmentId", id), ("question", &q)])) { "Download the file" }
                                        }
                                    }
                                }
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
pub(super) async fn results_csv(State(site): State<Arc<Site>>, req: Request) -> Response {
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

/// An uploaded file: a fresh GetFileUploadURL, followed.
pub(super) async fn uploaded_file(State(site): State<Arc<Site>>, req: Request) -> Response {
    let visit = Visit::of(&req);
    let q = form::query(&req);
    let requester = match signed_in(&site, &visit) {
        Ok(r) => r,
        Err(to_signin) => return *to_signin,
    };
    let url = context(&site.svc, requester).and_then(|ctx| {
        Ok(site.svc.get_file_upload_url(
            &ctx,
            GetFileUploadURLRequest {
                assignment_id: q.text("assignmentId").into(),
                question_identifier: q.text("question").into(),
            },
        )?)
    });
    match url {
        Ok(u) => see_other(&visit, &u.file_upload_url, &[]),
        Err(r) => refused(&visit, r),
    }
}
