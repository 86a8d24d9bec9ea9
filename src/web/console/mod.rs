//! The requester console under `/requester/`: pick one of this server's accounts (being on
//! this machine is the trust boundary, as for the admin API), then see and review its work.
//! Reads and actions are calls of the requester operations themselves, so the API's rules and
//! errors apply unchanged.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use maud::{html, Markup};

use super::form::{self, Posted};
use super::layout::{self, Area};
use super::{page, refused_page, see_other, set_identity, Refused, Site, Visit, REQUESTER_COOKIE};
use crate::binding::Context;
use crate::handlers::worker::WorkerError;
use crate::handlers::{controls, Service};
use crate::model::requester::*;

mod account;
mod hits;

pub(super) fn routes() -> Router<Arc<Site>> {
    Router::new()
        .route("/requester", get(to_hits))
        .route("/requester/", get(to_hits))
        .route("/requester/signin", get(signin_page).post(signin))
        .route("/requester/signout", post(signout))
        .route("/requester/hits", get(hits::hits))
        .route("/requester/hit", get(hits::hit))
        .route("/requester/results.csv", get(hits::results_csv))
        .route("/requester/file", get(hits::uploaded_file))
        .route("/requester/qualifications", get(account::qualifications))
        .route("/requester/account", get(account::account))
        .route("/requester/clock", get(account::clock))
        .route("/requester/{action}", post(act))
}

pub(super) fn shell(title: &str, visit: &Visit, body: Markup) -> Markup {
    layout::shell(title, Area::Requester, visit, body)
}

pub(super) fn refused(visit: &Visit, r: Refused) -> Response {
    refused_page(visit, Area::Requester, &r)
}

/// The handler context of a console call by `requester`, settled to the present as every API
/// call is.
pub(super) fn context(svc: &Service, requester: &str) -> Result<Context, Refused> {
    Ok(Context {
        requester: requester.to_string(),
        request_id: uuid::Uuid::new_v4().to_string(),
        now: svc.settle_due_changes()?,
    })
}

/// The signed-in requester, provided it is still one of this server's accounts.
pub(super) fn signed_in<'a>(site: &Site, visit: &'a Visit) -> Result<&'a str, Box<Response>> {
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
    let accounts = site.svc.accounts.clone();
    let to = (REQUESTER_COOKIE, "/requester/hits");
    set_identity(&site, req, Area::Requester, to, |posted| {
        let key = posted.text("accessKeyId");
        if !accounts.iter().any(|a| a.access_key_id == key) {
            return Err(WorkerError::NoSuchAccount(key.to_string()).into());
        }
        Ok(key.to_string())
    })
    .await
}

async fn signout(State(site): State<Arc<Site>>, req: Request) -> Response {
    let to = (REQUESTER_COOKIE, "/requester/signin");
    set_identity(&site, req, Area::Requester, to, |_| Ok(String::new())).await
}

/// Runs `show` for the signed-in requester and renders its page, or the refusal.
pub(super) fn console_page(
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
