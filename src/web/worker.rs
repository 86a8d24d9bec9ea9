//! The worker site under `/mturk/`, at the real site's paths: sign in as any WorkerId, find
//! HITs, preview, accept, work (the task frame or the rendered QuestionForm), submit through
//! `externalSubmit`, return, and a dashboard of the worker's work and properties.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::form::{self, Posted};
use super::layout::{self, Area};
use super::question::{self, Showing};
use super::{page, refused_page, see_other, set_identity, Refused, Site, Visit, WORKER_COOKIE};
use crate::handlers::worker::{self as workers, Answers, HitView, Listing, WorkerProperties};
use crate::store::AssignmentState;

/// HIT groups per marketplace page.
const GROUPS_PER_PAGE: usize = 10;

pub(super) fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/mturk", get(to_findhits))
        .route("/mturk/", get(to_findhits))
        .route("/mturk/signin", get(signin_page).post(signin))
        .route("/mturk/signout", post(signout))
        .route("/mturk/findhits", get(findhits))
        .route("/mturk/preview", get(preview))
        .route("/mturk/accept", post(accept))
        .route("/mturk/continue", get(work))
        .route("/mturk/htmlquestion", get(html_question))
        .route("/mturk/submit", post(submit))
        .route("/mturk/return", post(return_work))
        .route("/mturk/dashboard", get(dashboard).post(set_properties))
        .route("/mturk/requestqualification", post(request_qualification))
        .route("/mturk/qualification", get(test_page).post(answer_test))
}

/// Where task pages post their answers.
pub(super) fn task_routes() -> Router<Arc<Site>> {
    Router::new().route("/mturk/externalSubmit", post(external_submit))
}

fn shell(title: &str, visit: &Visit, body: Markup) -> Markup {
    layout::shell(title, Area::Worker, visit, body)
}

fn refused(visit: &Visit, r: Refused) -> Response {
    refused_page(visit, Area::Worker, &r)
}

/// A page `title` showing `body`.
fn show(visit: &Visit, title: &str, body: Markup) -> Response {
    page(200, visit, shell(title, visit, body))
}

/// A page for the signed-in worker (or the way to sign in), made by `make` from the query; a
/// refusal shows the legacy error.
fn worker_get(
    req: &Request,
    make: impl FnOnce(&Visit, &str, &Posted) -> Result<Response, Refused>,
) -> Response {
    let visit = Visit::of(req);
    let Some(worker) = visit.worker.as_deref() else {
        return see_other(&visit, "/mturk/signin", &[]);
    };
    make(&visit, worker, &form::query(req)).unwrap_or_else(|r| refused(&visit, r))
}

/// A form the signed-in worker posts: refused unless it carries the CSRF token, then `act`.
async fn worker_post(
    site: &Site,
    req: Request,
    act: impl FnOnce(&Visit, &str, &Posted) -> Result<Response, Refused>,
) -> Response {
    let visit = Visit::of(&req);
    let Some(worker) = visit.worker.clone() else {
        return see_other(&visit, "/mturk/signin", &[]);
    };
    form::read(site, &visit, req)
        .await
        .and_then(|posted| act(&visit, &worker, &posted))
        .unwrap_or_else(|r| refused(&visit, r))
}

async fn to_findhits(req: Request) -> Response {
    see_other(&Visit::of(&req), "/mturk/findhits", &[])
}

async fn signin_page(req: Request) -> Response {
    let visit = Visit::of(&req);
    page(
        200,
        &visit,
        shell(
            "Sign in as a worker",
            &visit,
            html! {
                p { "Pick any WorkerId: the worker exists from its first action on." }
                form.stack method="post" action="/mturk/signin" {
                    (layout::csrf_field(&visit))
                    label for="workerId" { "WorkerId" }
                    input id="workerId" type="text" name="workerId" required
                        pattern="[A-Za-z0-9_\\-]{1,64}" value=[visit.worker.as_deref()];
                    p { button type="submit" { "Sign in" } }
                }
            },
        ),
    )
}

async fn signin(State(site): State<Arc<Site>>, req: Request) -> Response {
    let to = (WORKER_COOKIE, "/mturk/findhits");
    set_identity(&site, req, Area::Worker, to, |posted| {
        let sent = posted.text("workerId");
        workers::valid_worker_id(sent)
            .map(str::to_string)
            .ok_or_else(|| Refused::bad_input(format!("WorkerId {sent:?} is invalid.")))
    })
    .await
}

async fn signout(State(site): State<Arc<Site>>, req: Request) -> Response {
    let to = (WORKER_COOKIE, "/mturk/signin");
    set_identity(&site, req, Area::Worker, to, |_| Ok(String::new())).await
}

/// HITs of one HIT type, as the marketplace groups them.
struct Group<'a> {
    first: &'a Listing,
    available: i64,
}

fn groups<'a>(listings: &'a [Listing], words: &str) -> Vec<Group<'a>> {
    let words = words.to_lowercase();
    let mut out: Vec<Group<'a>> = Vec::new();
    for l in listings {
        let h = &l.hit;
        let text = format!(
            "{} {} {}",
            h.title,
            h.description,
            h.keywords.as_deref().unwrap_or("")
        )
        .to_lowercase();
        if !words.split_whitespace().all(|w| text.contains(w)) {
            continue;
        }
        match out
            .iter_mut()
            .find(|g| g.first.hit.hit_type_id == h.hit_type_id)
        {
            Some(g) => g.available += h.number_of_assignments_available,
            None => out.push(Group {
                first: l,
                available: h.number_of_assignments_available,
            }),
        }
    }
    out
}

fn requirements(hit: &HitView, refused: Option<&workers::WorkerError>) -> Markup {
    let missed = match refused {
        Some(workers::WorkerError::DoesNotMeetRequirements {
            qualification_type, ..
        }) => Some(qualification_type.as_str()),
        _ => None,
    };
    html! {
        @if hit.qualification_requirement.is_empty() { "None" }
        ul.requirements {
            @for q in &hit.qualification_requirement {
                li {
                    (q.qualification_type_id) " " (q.comparator)
                    @for v in &q.integer_value { " " (v) }
                    @for l in &q.locale_value { " " (l.country) @if let Some(s) = &l.subdivision { "-" (s) } }
                    @if missed == Some(q.qualification_type_id.as_str()) {
                        " " span.tag.bad { "You do not qualify" }
                    }
                }
            }
        }
    }
}

async fn findhits(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, q| {
        let words = q.text("searchWords");
        let page_number = q.text("pageNumber").parse::<usize>().unwrap_or(1).max(1);
        let listings = workers::marketplace(&site.svc, worker)?;
        let all = groups(&listings, words);
        let shown: Vec<&Group> = all
            .iter()
            .skip((page_number - 1) * GROUPS_PER_PAGE)
            .take(GROUPS_PER_PAGE)
            .collect();
        let more = all.len() > page_number * GROUPS_PER_PAGE;
        Ok(show(
            visit,
            "Find HITs",
            html! {
                form.search method="get" action="/mturk/findhits" role="search" {
                    label for="searchWords" { "Search HITs " }
                    input id="searchWords" type="search" name="searchWords" value=(words);
                    " " button type="submit" { "Search" }
                }
                p { (all.len()) " HIT groups available to you." }
                table.hits {
                    thead { tr {
                        th scope="col" { "Title" } th scope="col" { "Requester" } th scope="col" { "Reward" }
                        th scope="col" { "Time allotted" } th scope="col" { "HITs available" }
                        th scope="col" { "Qualifications required" } th scope="col" { "" }
                    } }
                    tbody {
                        @for g in &shown {
                            @let h = &g.first.hit;
                            tr.unqualified[g.first.refused.is_some()] {
                                td { (h.title) br; small { (h.description) } }
                                td { (g.first.requester) }
                                td { (h.reward.formatted_price) }
                                td { (layout::duration(h.assignment_duration_in_seconds)) }
                                td { (g.available) }
                                td { (requirements(h, g.first.refused.as_ref())) }
                                td { a href={"/mturk/preview?groupId=" (h.hit_type_id)} { "View a HIT in this group" } }
                            }
                        }
                    }
                }
                (layout::pager("/mturk/findhits", &[("searchWords", words)], page_number as i64, more))
            },
        ))
    })
}

/// The HIT a preview or task link names: `hitId`, or the first HIT of `groupId` on the
/// marketplace.
fn named_hit(site: &Site, worker: &str, q: &Posted) -> Result<String, Refused> {
    if !q.text("hitId").is_empty() {
        return Ok(q.text("hitId").to_string());
    }
    let group = q.text("groupId");
    workers::marketplace(&site.svc, worker)?
        .into_iter()
        .find(|l| l.hit.hit_type_id == group)
        .map(|l| l.hit.hit_id)
        .ok_or_else(|| {
            Refused::new(
                404,
                "AWS.MechanicalTurk.HITDoesNotExist",
                format!("There are no more HITs in group {group:?} available to you."),
            )
        })
}

fn terms(h: &HitView, requester: Option<&str>) -> Markup {
    html! {
        dl.terms {
            @if let Some(r) = requester { dt { "Requester" } dd { (r) } }
            dt { "Reward" } dd { (h.reward.formatted_price) }
            dt { "Time allotted" } dd { (layout::duration(h.assignment_duration_in_seconds)) }
            dt { "Expires" } dd { (h.expiration) }
            dt { "HITs available" } dd { (h.number_of_assignments_available) }
            dt { "Description" } dd { (h.description) }
            dt { "HIT" } dd { code { (h.hit_id) } }
        }
    }
}

async fn preview(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, q| {
        let hit = workers::preview(&site.svc, worker, &named_hit(&site, worker, q)?)?;
        let listing = workers::marketplace(&site.svc, worker)
            .ok()
            .and_then(|l| l.into_iter().find(|l| l.hit.hit_id == hit.hit_id));
        let refusal = listing.as_ref().and_then(|l| l.refused.as_ref());
        let question = hit.question.as_deref().unwrap_or("");
        Ok(show(
            visit,
            &hit.title,
            html! {
                (terms(&hit, listing.as_ref().map(|l| l.requester.as_str())))
                h2 { "Qualifications required" }
                (requirements(&hit, refusal))
                @if let Some(r) = refusal {
                    p.error role="alert" { "You cannot accept this HIT: " (r.to_string()) }
                } @else {
                    p.notice { "This is a preview. Accept the HIT to work on it." }
                }
                (layout::post_button(visit, "/mturk/accept", "Accept HIT", &[("hitId", &hit.hit_id)]))
                (question::render(question, &hit.hit_id, &Showing::Preview, visit))
            },
        ))
    })
}

async fn accept(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let hit = posted.text("hitId");
        workers::accept(&site.svc, worker, hit)?;
        let next = question::with_query("/mturk/continue", &[("hitId", hit)]);
        Ok(see_other(visit, &next, &[]))
    })
    .await
}

/// The worker's accepted assignment on the HIT, if it holds one.
fn held_assignment(site: &Site, worker: &str, hit_id: &str) -> Result<String, Refused> {
    workers::worker_assignments(&site.svc, worker)?
        .into_iter()
        .find(|a| a.hit_id == hit_id.trim() && a.status == AssignmentState::Accepted)
        .map(|a| a.assignment_id)
        .ok_or_else(|| {
            Refused::new(
                409,
                "AWS.MechanicalTurk.InvalidAssignmentState",
                format!("You hold no accepted assignment for HIT {}.", hit_id.trim()),
            )
        })
}

async fn work(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, q| {
        let hit_id = q.text("hitId");
        let assignment = held_assignment(&site, worker, hit_id)?;
        let hit = workers::preview(&site.svc, worker, hit_id)?;
        let showing = Showing::Work {
            assignment_id: &assignment,
            worker_id: worker,
        };
        Ok(show(
            visit,
            &hit.title,
            html! {
                (terms(&hit, None))
                p.notice { "You accepted this HIT. Assignment " code { (assignment) } }
                (layout::post_button(visit, "/mturk/return", "Return HIT", &[("assignmentId", &assignment)]))
                (question::render(hit.question.as_deref().unwrap_or(""), &hit.hit_id, &showing, visit))
            },
        ))
    })
}

/// The policy of the HTMLQuestion's own page: a sandbox even when opened outside its frame.
const HTML_QUESTION_POLICY: &str = "sandbox allow-forms allow-scripts; frame-ancestors 'self'";

async fn html_question(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, q| {
        let hit_id = q.text("hitId");
        let hit = workers::preview(&site.svc, worker, hit_id)?;
        let text = question::html_question_page(hit.question.as_deref().unwrap_or(""), &visit.base)
            .ok_or_else(|| Refused::bad_input(format!("HIT {hit_id} has no HTMLQuestion.")))?;
        Ok(super::html_with_policy(
            200,
            visit,
            text,
            HTML_QUESTION_POLICY,
        ))
    })
}

fn submitted_page(visit: &Visit, assignment: &str) -> Response {
    page(
        200,
        visit,
        shell(
            "HIT submitted",
            visit,
            html! {
                p.notice role="status" { "Thank you. Assignment " code { (assignment) } " was submitted." }
                p { a href="/mturk/findhits" target="_top" { "Find more HITs" } }
            },
        ),
    )
}

/// Refuses an assignment of another worker than the one signed in here, when one is; with
/// none (a sandboxed task page sends no cookies) the assignment id is the credential, as it
/// was on MTurk.
fn check_owner(site: &Site, visit: &Visit, assignment: &str) -> Result<(), Refused> {
    if let Some(worker) = &visit.worker {
        workers::own_assignment(&site.svc, worker, assignment)?;
    }
    Ok(())
}

async fn external_submit(State(site): State<Arc<Site>>, req: Request) -> Response {
    let mut visit = Visit::of(&req);
    visit.csrf = visit.csrf.kept();
    let done = async {
        let posted = form::read_any(&site, req).await?;
        let assignment = posted.text("assignmentId").to_string();
        if assignment.is_empty() || assignment == question::NOT_AVAILABLE {
            return Err(Refused::bad_input(
                "The form has no assignmentId: accept the HIT before submitting it.",
            ));
        }
        check_owner(&site, &visit, &assignment)?;
        // Every field but assignmentId is a FreeText answer named after the field; a file
        // part is answered by its file name.
        let answers = posted
            .fields
            .iter()
            .filter(|(k, _)| k != "assignmentId")
            .cloned()
            .chain(
                posted
                    .files
                    .iter()
                    .map(|f| (f.field.clone(), f.file_name.clone())),
            )
            .collect();
        workers::submit(&site.svc, &assignment, Answers::FreeText(answers))?;
        Ok(assignment)
    };
    match done.await {
        Ok(assignment) => submitted_page(&visit, &assignment),
        Err(r) => refused(&visit, r),
    }
}

async fn submit(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let assignment = posted.text("assignmentId");
        let a = workers::own_assignment(&site.svc, worker, assignment)?;
        let hit = workers::preview(&site.svc, worker, &a.hit_id)?;
        let (given, files) = question::answers(hit.question.as_deref().unwrap_or(""), posted)?;
        workers::submit_with_files(&site.svc, assignment, Answers::Typed(given), files)?;
        Ok(submitted_page(visit, assignment))
    })
    .await
}

async fn return_work(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let assignment = posted.text("assignmentId");
        workers::own_assignment(&site.svc, worker, assignment)?;
        workers::return_assignment(&site.svc, assignment)?;
        Ok(see_other(visit, "/mturk/dashboard", &[]))
    })
    .await
}

async fn dashboard(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, _| {
        let assignments = workers::worker_assignments(&site.svc, worker)?;
        let properties = workers::properties(&site.svc, worker)?;
        let messages = site.svc.worker_messages(worker)?;
        let bonuses = workers::bonuses_received(&site.svc, worker)?;
        let held = workers::qualifications_held(&site.svc, worker)?;
        let locale = properties.locale.as_ref();
        Ok(show(
            visit,
            "Dashboard",
            html! {
                h2 { "Your assignments" }
                table.assignments {
                    thead { tr {
                        th scope="col" { "HIT" } th scope="col" { "Assignment" } th scope="col" { "Status" }
                        th scope="col" { "Accepted" } th scope="col" { "Submitted" } th scope="col" { "Requester feedback" }
                        th scope="col" { "" }
                    } }
                    tbody {
                        @for a in &assignments {
                            tr {
                                td { code { (a.hit_id) } }
                                td { code { (a.assignment_id) } }
                                td { (a.status.as_str()) }
                                td { (layout::time(a.accept_time)) }
                                td { (layout::maybe_time(a.submit_time)) }
                                td { (a.requester_feedback.as_deref().unwrap_or("")) }
                                td {
                                    @if a.status == AssignmentState::Accepted {
                                        a href={"/mturk/continue?hitId=" (a.hit_id)} { "Continue" }
                                    }
                                }
                            }
                        }
                    }
                }
                h2 { "Bonuses" }
                @if bonuses.is_empty() { p { "No bonuses yet." } }
                @else {
                    table.bonuses {
                        thead { tr {
                            th scope="col" { "Amount" } th scope="col" { "From" } th scope="col" { "Assignment" }
                            th scope="col" { "Reason" } th scope="col" { "Granted" }
                        } }
                        tbody {
                            @for b in &bonuses {
                                tr {
                                    td { (b.amount.formatted()) } td { (b.requester) } td { code { (b.assignment_id) } }
                                    td { (b.reason) } td { (layout::time(b.grant_time)) }
                                }
                            }
                        }
                    }
                }
                h2 { "Qualifications" }
                @if held.is_empty() { p { "You hold no qualifications yet." } }
                @else {
                    table.qualifications {
                        thead { tr { th scope="col" { "Qualification type" } th scope="col" { "Value" } th scope="col" { "Granted" } } }
                        tbody {
                            @for q in &held {
                                tr {
                                    td { code { (q.qualification_type_id) } }
                                    td { (q.integer_value.map(|v| v.to_string()).unwrap_or_default()) }
                                    td { (layout::time(q.grant_time)) }
                                }
                            }
                        }
                    }
                }
                form.stack method="post" action="/mturk/requestqualification" {
                    (layout::csrf_field(visit))
                    label for="qualificationTypeId" { "Request a qualification (QualificationTypeId)" }
                    input id="qualificationTypeId" type="text" name="qualificationTypeId" required;
                    p { button type="submit" { "Request" } }
                }
                h2 { "Messages" }
                @if messages.is_empty() { p { "No messages." } }
                @for m in &messages {
                    article.message {
                        h3 { (m.subject.as_deref().unwrap_or("(no subject)")) }
                        p { "From " (m.requester) ", " (layout::time(m.sent_time)) }
                        pre.answer { (m.message_text) }
                    }
                }
                h2 { "Your properties" }
                form.stack method="post" action="/mturk/dashboard" {
                    (layout::csrf_field(visit))
                    label for="country" { "Country (ISO 3166 code)" }
                    input id="country" type="text" name="country" value=[locale.map(|l| l.country.clone())];
                    label for="subdivision" { "Subdivision" }
                    input id="subdivision" type="text" name="subdivision"
                        value=[locale.and_then(|l| l.subdivision.clone())];
                    div.choice {
                        input id="adult" type="checkbox" name="adult" value="true" checked[properties.adult == Some(true)];
                        label for="adult" { "Adult" }
                    }
                    div.choice {
                        input id="masters" type="checkbox" name="masters" value="true" checked[properties.masters == Some(true)];
                        label for="masters" { "Masters" }
                    }
                    p { button type="submit" { "Save" } }
                }
            },
        ))
    })
}

async fn set_properties(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let country = posted.text("country");
        let subdivision = posted.text("subdivision");
        let properties = WorkerProperties {
            locale: (!country.is_empty()).then(|| workers::LocaleView {
                country: country.to_string(),
                subdivision: (!subdivision.is_empty()).then(|| subdivision.to_string()),
            }),
            adult: Some(posted.get("adult").is_some()),
            masters: Some(posted.get("masters").is_some()),
        };
        workers::set_properties(&site.svc, worker, properties)?;
        Ok(see_other(visit, "/mturk/dashboard", &[]))
    })
    .await
}

async fn request_qualification(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let qualification = posted.text("qualificationTypeId");
        let r = workers::request_qualification(&site.svc, worker, qualification)?;
        if r.status != "AwaitingAnswers" {
            return Ok(see_other(visit, "/mturk/dashboard", &[]));
        }
        let test = &[("requestId", r.qualification_request_id.as_str())];
        Ok(see_other(
            visit,
            &question::with_query("/mturk/qualification", test),
            &[],
        ))
    })
    .await
}

async fn test_page(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_get(&req, |visit, worker, q| {
        let request = workers::test_to_take(&site.svc, worker, q.text("requestId"))?;
        let showing = Showing::Test {
            request_id: &request.qualification_request_id,
        };
        Ok(show(
            visit,
            "Qualification test",
            html! {
                p { "Qualification type " code { (request.qualification_type_id) } }
                (question::render(request.test.as_deref().unwrap_or(""), "", &showing, visit))
            },
        ))
    })
}

async fn answer_test(State(site): State<Arc<Site>>, req: Request) -> Response {
    worker_post(&site, req, |visit, worker, posted| {
        let request = workers::test_to_take(&site.svc, worker, posted.text("requestId"))?;
        let (given, _) = question::answers(request.test.as_deref().unwrap_or(""), posted)?;
        let r = workers::submit_qualification_answers(
            &site.svc,
            &request.qualification_request_id,
            Answers::Typed(given),
        )?;
        Ok(show(
            visit,
            "Qualification test submitted",
            html! {
                p.notice role="status" {
                    "Your request for " code { (r.qualification_type_id) } " is " strong { (r.status) }
                    @if let Some(v) = r.integer_value { ", with the score " (v) } "."
                }
                p { a href="/mturk/dashboard" { "Back to the dashboard" } }
            },
        ))
    })
    .await
}
