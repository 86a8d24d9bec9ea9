//! Operation handlers, grouped by domain. Handlers know nothing of SOAP or HTTP: they take the
//! generated request types, apply the legacy rules through the store, and return result types.

mod account;
mod assignments;
mod hits;
pub mod ids;
mod qualifications;
pub mod questions;
mod render;

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Account;
use crate::error::OpError;
use crate::model::requester::*;
use crate::store::Store;

pub use hits::hit_status;

/// What a handler knows about the call it serves.
#[derive(Debug, Clone)]
pub struct Context {
    /// The calling requester's access key id.
    pub requester: String,
    pub request_id: String,
}

/// Whether the caller asked for its request to be echoed back (`ResponseGroup` `Request`).
pub fn wants_request_echo(groups: &[String]) -> bool {
    groups.iter().any(|g| g == "Request")
}

/// The requester service: one store, one clock, the configured accounts.
pub struct Service {
    pub store: Store,
    pub clock: Clock,
    pub accounts: Arc<Vec<Account>>,
}

impl Service {
    pub fn new(
        store: Store,
        clock: Clock,
        accounts: Vec<Account>,
    ) -> Result<Service, crate::store::StoreError> {
        store.write(|tx| {
            for a in &accounts {
                tx.ensure_account(&a.access_key_id, a.balance)?;
            }
            Ok::<_, crate::store::StoreError>(())
        })?;
        Ok(Service {
            store,
            clock,
            accounts: Arc::new(accounts),
        })
    }
}

/// Checks PageSize and PageNumber the legacy way, returning (size, number).
pub(crate) fn paging(
    size: Option<i32>,
    number: Option<i32>,
    max_size: i32,
) -> Result<(i64, i64), OpError> {
    let size = size.unwrap_or(10);
    if !(1..=max_size).contains(&size) {
        return Err(OpError::ParameterOutOfRange(format!(
            "The value {size} for PageSize is invalid; it must be between 1 and {max_size}."
        )));
    }
    let number = number.unwrap_or(1);
    if number < 1 {
        return Err(OpError::ParameterOutOfRange(format!(
            "The value {number} for PageNumber is invalid; it must be 1 or more."
        )));
    }
    Ok((size.into(), number.into()))
}

fn not_implemented<T>(op: Operation) -> Result<T, OpError> {
    Err(OpError::NotImplemented(op.name()))
}

impl Requester for Service {
    fn create_hit(&self, ctx: &Context, req: CreateHITRequest) -> Result<HIT, OpError> {
        hits::create_hit(self, ctx, req)
    }
    fn register_hit_type(
        &self,
        _: &Context,
        _: RegisterHITTypeRequest,
    ) -> Result<RegisterHITTypeResult, OpError> {
        not_implemented(Operation::RegisterHITType)
    }
    fn set_hit_type_notification(
        &self,
        _: &Context,
        _: SetHITTypeNotificationRequest,
    ) -> Result<SetHITTypeNotificationResult, OpError> {
        not_implemented(Operation::SetHITTypeNotification)
    }
    fn send_test_event_notification(
        &self,
        _: &Context,
        _: SendTestEventNotificationRequest,
    ) -> Result<SendTestEventNotificationResult, OpError> {
        not_implemented(Operation::SendTestEventNotification)
    }
    fn dispose_hit(&self, _: &Context, _: DisposeHITRequest) -> Result<DisposeHITResult, OpError> {
        not_implemented(Operation::DisposeHIT)
    }
    fn disable_hit(&self, _: &Context, _: DisableHITRequest) -> Result<DisableHITResult, OpError> {
        not_implemented(Operation::DisableHIT)
    }
    fn get_hit(&self, ctx: &Context, req: GetHITRequest) -> Result<HIT, OpError> {
        hits::get_hit(self, ctx, req)
    }
    fn get_assignment(
        &self,
        ctx: &Context,
        req: GetAssignmentRequest,
    ) -> Result<GetAssignmentResult, OpError> {
        assignments::get_assignment(self, ctx, req)
    }
    fn get_review_results_for_hit(
        &self,
        _: &Context,
        _: GetReviewResultsForHITRequest,
    ) -> Result<GetReviewResultsForHITResult, OpError> {
        not_implemented(Operation::GetReviewResultsForHIT)
    }
    fn get_reviewable_hits(
        &self,
        _: &Context,
        _: GetReviewableHITsRequest,
    ) -> Result<GetReviewableHITsResult, OpError> {
        not_implemented(Operation::GetReviewableHITs)
    }
    fn get_hits_for_qualification_type(
        &self,
        _: &Context,
        _: GetHITsForQualificationTypeRequest,
    ) -> Result<GetHITsForQualificationTypeResult, OpError> {
        not_implemented(Operation::GetHITsForQualificationType)
    }
    fn get_qualifications_for_qualification_type(
        &self,
        _: &Context,
        _: GetQualificationsForQualificationTypeRequest,
    ) -> Result<GetQualificationsForQualificationTypeResult, OpError> {
        not_implemented(Operation::GetQualificationsForQualificationType)
    }
    fn set_hit_as_reviewing(
        &self,
        _: &Context,
        _: SetHITAsReviewingRequest,
    ) -> Result<SetHITAsReviewingResult, OpError> {
        not_implemented(Operation::SetHITAsReviewing)
    }
    fn extend_hit(&self, _: &Context, _: ExtendHITRequest) -> Result<ExtendHITResult, OpError> {
        not_implemented(Operation::ExtendHIT)
    }
    fn force_expire_hit(
        &self,
        _: &Context,
        _: ForceExpireHITRequest,
    ) -> Result<ForceExpireHITResult, OpError> {
        not_implemented(Operation::ForceExpireHIT)
    }
    fn approve_assignment(
        &self,
        ctx: &Context,
        req: ApproveAssignmentRequest,
    ) -> Result<ApproveAssignmentResult, OpError> {
        assignments::approve(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
        )?;
        Ok(ApproveAssignmentResult::default())
    }
    fn reject_assignment(
        &self,
        ctx: &Context,
        req: RejectAssignmentRequest,
    ) -> Result<RejectAssignmentResult, OpError> {
        assignments::reject(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
        )?;
        Ok(RejectAssignmentResult::default())
    }
    fn approve_rejected_assignment(
        &self,
        ctx: &Context,
        req: ApproveRejectedAssignmentRequest,
    ) -> Result<ApproveRejectedAssignmentResult, OpError> {
        assignments::approve_rejected(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
        )?;
        Ok(ApproveRejectedAssignmentResult::default())
    }
    fn get_assignments_for_hit(
        &self,
        ctx: &Context,
        req: GetAssignmentsForHITRequest,
    ) -> Result<GetAssignmentsForHITResult, OpError> {
        assignments::get_assignments_for_hit(self, ctx, req)
    }
    fn get_file_upload_url(
        &self,
        _: &Context,
        _: GetFileUploadURLRequest,
    ) -> Result<GetFileUploadURLResult, OpError> {
        not_implemented(Operation::GetFileUploadURL)
    }
    fn search_hits(&self, _: &Context, _: SearchHITsRequest) -> Result<SearchHITsResult, OpError> {
        not_implemented(Operation::SearchHITs)
    }
    fn grant_bonus(&self, _: &Context, _: GrantBonusRequest) -> Result<GrantBonusResult, OpError> {
        not_implemented(Operation::GrantBonus)
    }
    fn get_bonus_payments(
        &self,
        _: &Context,
        _: GetBonusPaymentsRequest,
    ) -> Result<GetBonusPaymentsResult, OpError> {
        not_implemented(Operation::GetBonusPayments)
    }
    fn change_hit_type_of_hit(
        &self,
        _: &Context,
        _: ChangeHITTypeOfHITRequest,
    ) -> Result<ChangeHITTypeOfHITResult, OpError> {
        not_implemented(Operation::ChangeHITTypeOfHIT)
    }
    fn create_qualification_type(
        &self,
        ctx: &Context,
        req: CreateQualificationTypeRequest,
    ) -> Result<QualificationType, OpError> {
        qualifications::create_qualification_type(self, ctx, req)
    }
    fn grant_qualification(
        &self,
        ctx: &Context,
        req: GrantQualificationRequest,
    ) -> Result<GrantQualificationResult, OpError> {
        qualifications::grant_qualification(self, ctx, req)?;
        Ok(GrantQualificationResult::default())
    }
    fn assign_qualification(
        &self,
        _: &Context,
        _: AssignQualificationRequest,
    ) -> Result<AssignQualificationResult, OpError> {
        not_implemented(Operation::AssignQualification)
    }
    fn revoke_qualification(
        &self,
        _: &Context,
        _: RevokeQualificationRequest,
    ) -> Result<RevokeQualificationResult, OpError> {
        not_implemented(Operation::RevokeQualification)
    }
    fn get_qualification_type(
        &self,
        _: &Context,
        _: GetQualificationTypeRequest,
    ) -> Result<QualificationType, OpError> {
        not_implemented(Operation::GetQualificationType)
    }
    fn get_qualification_requests(
        &self,
        ctx: &Context,
        req: GetQualificationRequestsRequest,
    ) -> Result<GetQualificationRequestsResult, OpError> {
        qualifications::get_qualification_requests(self, ctx, req)
    }
    fn reject_qualification_request(
        &self,
        ctx: &Context,
        req: RejectQualificationRequestRequest,
    ) -> Result<RejectQualificationRequestResult, OpError> {
        qualifications::reject_qualification_request(self, ctx, req)?;
        Ok(RejectQualificationRequestResult::default())
    }
    fn update_qualification_type(
        &self,
        _: &Context,
        _: UpdateQualificationTypeRequest,
    ) -> Result<QualificationType, OpError> {
        not_implemented(Operation::UpdateQualificationType)
    }
    fn search_qualification_types(
        &self,
        _: &Context,
        _: SearchQualificationTypesRequest,
    ) -> Result<SearchQualificationTypesResult, OpError> {
        not_implemented(Operation::SearchQualificationTypes)
    }
    fn get_qualification_score(
        &self,
        _: &Context,
        _: GetQualificationScoreRequest,
    ) -> Result<Qualification, OpError> {
        not_implemented(Operation::GetQualificationScore)
    }
    fn update_qualification_score(
        &self,
        _: &Context,
        _: UpdateQualificationScoreRequest,
    ) -> Result<UpdateQualificationScoreResult, OpError> {
        not_implemented(Operation::UpdateQualificationScore)
    }
    fn dispose_qualification_type(
        &self,
        _: &Context,
        _: DisposeQualificationTypeRequest,
    ) -> Result<DisposeQualificationTypeResult, OpError> {
        not_implemented(Operation::DisposeQualificationType)
    }
    fn get_requester_statistic(
        &self,
        _: &Context,
        _: GetRequesterStatisticRequest,
    ) -> Result<GetStatisticResult, OpError> {
        not_implemented(Operation::GetRequesterStatistic)
    }
    fn get_requester_worker_statistic(
        &self,
        _: &Context,
        _: GetRequesterWorkerStatisticRequest,
    ) -> Result<GetStatisticResult, OpError> {
        not_implemented(Operation::GetRequesterWorkerStatistic)
    }
    fn notify_workers(
        &self,
        _: &Context,
        _: NotifyWorkersRequest,
    ) -> Result<NotifyWorkersResult, OpError> {
        not_implemented(Operation::NotifyWorkers)
    }
    fn get_account_balance(
        &self,
        ctx: &Context,
        _: GetAccountBalanceRequest,
    ) -> Result<GetAccountBalanceResult, OpError> {
        account::get_account_balance(self, ctx)
    }
    fn get_blocked_workers(
        &self,
        _: &Context,
        _: GetBlockedWorkersRequest,
    ) -> Result<GetBlockedWorkersResult, OpError> {
        not_implemented(Operation::GetBlockedWorkers)
    }
    fn block_worker(
        &self,
        _: &Context,
        _: BlockWorkerRequest,
    ) -> Result<BlockWorkerResult, OpError> {
        not_implemented(Operation::BlockWorker)
    }
    fn unblock_worker(
        &self,
        _: &Context,
        _: UnblockWorkerRequest,
    ) -> Result<UnblockWorkerResult, OpError> {
        not_implemented(Operation::UnblockWorker)
    }
    fn help(&self, _: &Context, _: HelpRequest) -> Result<Information, OpError> {
        not_implemented(Operation::Help)
    }
}
