//! A requester's relations with workers: blocks and messages.

use super::render::clamp_i32;
use super::rules::{check_worker_id, given, max_chars, paging};
use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::store::{WorkerBlock, WorkerMessage};

const MAX_BLOCKED_WORKERS: i64 = 100_000;
const MAX_NOTIFIED_WORKERS: usize = 100;
const MAX_SUBJECT_CHARS: usize = 200;
const MAX_MESSAGE_CHARS: usize = 4096;

pub(super) fn notify_workers(
    svc: &Service,
    ctx: &Context,
    req: api::NotifyWorkersRequest,
) -> Result<api::NotifyWorkersResult, OpError> {
    // The documentation calls Subject required while the WSDL makes it optional; a message
    // without one is delivered with none.
    let subject = given(&req.subject);
    if let Some(s) = subject {
        max_chars("Subject", s, MAX_SUBJECT_CHARS)?;
    }
    let text = req.message_text.trim();
    if text.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The MessageText parameter is required.".into(),
        ));
    }
    max_chars("MessageText", text, MAX_MESSAGE_CHARS)?;
    if req.worker_id.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "At least one WorkerId is required.".into(),
        ));
    }
    if req.worker_id.len() > MAX_NOTIFIED_WORKERS {
        return Err(OpError::InvalidParameterValue(format!(
            "NotifyWorkers can notify at most {MAX_NOTIFIED_WORKERS} workers at once; {} WorkerIds were given.",
            req.worker_id.len()
        )));
    }
    let now = ctx.now;
    svc.store.write(|tx| {
        let mut failures = Vec::new();
        let mut done: Vec<&str> = Vec::new();
        for raw in &req.worker_id {
            let failure = |message: String, worker: &str| api::NotifyWorkersFailureStatus {
                notify_workers_failure_code: api::NotifyWorkersFailureCode::HardFailure,
                notify_workers_failure_message: message,
                worker_id: worker.to_string(),
            };
            let Ok(worker) = check_worker_id(raw) else {
                failures.push(failure("WorkerId is invalid.".into(), raw.trim()));
                continue;
            };
            // Naming a worker twice sends one message.
            if done.contains(&worker) {
                continue;
            }
            done.push(worker);
            if !tx.has_reviewed_work_of(&ctx.requester, worker)? {
                failures.push(failure(
                    format!(
                        "Cannot notify worker {worker}: you can only notify workers whose work \
                         on your HITs you have approved or rejected."
                    ),
                    worker,
                ));
                continue;
            }
            tx.insert_worker_message(&WorkerMessage {
                requester: ctx.requester.clone(),
                worker_id: worker.to_string(),
                subject: subject.map(str::to_string),
                message_text: text.to_string(),
                sent_time: now,
            })?;
        }
        Ok(api::NotifyWorkersResult {
            request: None,
            notify_workers_failure_status: failures,
        })
    })
}

pub(super) fn get_blocked_workers(
    svc: &Service,
    ctx: &Context,
    req: api::GetBlockedWorkersRequest,
) -> Result<api::GetBlockedWorkersResult, OpError> {
    let (page_size, page_number) = paging(req.page_size, req.page_number, 1..=65_535)?;
    let page = svc
        .store
        .read(|tx| tx.blocked_workers(&ctx.requester, page_size, page_number))?;
    Ok(api::GetBlockedWorkersResult {
        request: None,
        page_number: Some(clamp_i32(page_number)),
        num_results: Some(clamp_i32(page.items.len() as i64)),
        total_num_results: Some(clamp_i32(page.total)),
        worker_block: page
            .items
            .into_iter()
            .map(|b| api::WorkerBlock {
                worker_id: b.worker_id,
                reason: b.reason,
            })
            .collect(),
    })
}

pub(super) fn block_worker(
    svc: &Service,
    ctx: &Context,
    req: api::BlockWorkerRequest,
) -> Result<api::BlockWorkerResult, OpError> {
    let worker = check_worker_id(&req.worker_id)?;
    let reason = req.reason.trim();
    if reason.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The Reason parameter is required.".into(),
        ));
    }
    let now = ctx.now;
    svc.store.write(|tx| {
        // Blocking a worker who is blocked already succeeds.
        if !tx.is_blocked(&ctx.requester, worker)?
            && tx.blocked_worker_count(&ctx.requester)? >= MAX_BLOCKED_WORKERS
        {
            return Err(OpError::InvalidParameterValue(format!(
                "You have blocked {MAX_BLOCKED_WORKERS} workers, the most you can block."
            )));
        }
        tx.block_worker(
            &ctx.requester,
            &WorkerBlock {
                worker_id: worker.to_string(),
                reason: reason.to_string(),
                block_time: now,
            },
        )?;
        Ok(())
    })?;
    Ok(api::BlockWorkerResult::default())
}

pub(super) fn unblock_worker(
    svc: &Service,
    ctx: &Context,
    req: api::UnblockWorkerRequest,
) -> Result<api::UnblockWorkerResult, OpError> {
    let worker = check_worker_id(&req.worker_id)?;
    // Unblocking a worker who is not blocked succeeds.
    svc.store
        .write(|tx| tx.unblock_worker(&ctx.requester, worker))?;
    Ok(api::UnblockWorkerResult::default())
}

impl Service {
    /// The messages NotifyWorkers delivered to a worker, oldest first (for the admin API).
    pub fn worker_messages(&self, worker_id: &str) -> Result<Vec<WorkerMessage>, OpError> {
        let worker = check_worker_id(worker_id)?;
        Ok(self.store.read(|tx| tx.worker_messages(worker))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worker_ids_follow_the_legacy_shape() {
        assert_eq!(check_worker_id(" AWORKER1 "), Ok("AWORKER1"));
        assert_eq!(check_worker_id("A_B-C"), Ok("A_B-C"));
        for bad in ["", "   ", "A B", "A<B", &"A".repeat(65)] {
            let e = check_worker_id(bad).unwrap_err();
            assert_eq!(e.code(), "AWS.MechanicalTurk.InvalidParameterValue");
            assert_eq!(e.to_string(), "WorkerId is invalid.");
        }
    }

    #[test]
    fn block_and_unblock_refuse_an_invalid_worker_id() {
        use crate::handlers::test_support::{at, call, service};
        let svc = service(at("2026-03-01T12:00:00Z"));
        for worker_id in ["", "NOT A WORKER"] {
            let block = api::BlockWorkerRequest {
                worker_id: worker_id.into(),
                reason: "spam".into(),
                ..Default::default()
            };
            let e = block_worker(&svc, &call(&svc), block).unwrap_err();
            assert_eq!(e.to_string(), "WorkerId is invalid.");
            let unblock = api::UnblockWorkerRequest {
                worker_id: worker_id.into(),
                ..Default::default()
            };
            let e = unblock_worker(&svc, &call(&svc), unblock).unwrap_err();
            assert_eq!(e.to_string(), "WorkerId is invalid.");
        }
    }
}
