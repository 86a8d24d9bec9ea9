//! Operation handlers, grouped by domain. Handlers know nothing of SOAP or HTTP: they take the
//! generated request types, apply the legacy rules through the store, and return result types.

mod account;
mod assignments;
mod bonuses;
pub mod grading;
mod help;
mod hits;
pub mod ids;
mod lifecycle;
pub mod notifications;
mod qualifications;
pub mod questions;
mod relations;
mod render;
pub mod review;
mod statistics;
pub mod system_qualifications;

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Account;
use crate::error::OpError;
use crate::model::requester::*;
use crate::store::Store;

use crate::store::AssignmentState;
pub use assignments::pay;
use assignments::Decision;
pub use hits::hit_status;
pub use lifecycle::{assignment_event, hit_changed, CLOCK_KEY};

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
    /// When the store next changes by itself (see `lifecycle`).
    pub next_due: lifecycle::NextDue,
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
            next_due: lifecycle::NextDue::default(),
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

impl Requester for Service {
    fn create_hit(&self, ctx: &Context, req: CreateHITRequest) -> Result<HIT, OpError> {
        hits::create_hit(self, ctx, req)
    }
    fn register_hit_type(
        &self,
        ctx: &Context,
        req: RegisterHITTypeRequest,
    ) -> Result<RegisterHITTypeResult, OpError> {
        hits::register_hit_type(self, ctx, req)
    }
    fn set_hit_type_notification(
        &self,
        ctx: &Context,
        req: SetHITTypeNotificationRequest,
    ) -> Result<SetHITTypeNotificationResult, OpError> {
        notifications::set_hit_type_notification(self, ctx, req)?;
        Ok(SetHITTypeNotificationResult::default())
    }
    fn send_test_event_notification(
        &self,
        ctx: &Context,
        req: SendTestEventNotificationRequest,
    ) -> Result<SendTestEventNotificationResult, OpError> {
        notifications::send_test_event_notification(self, ctx, req)?;
        Ok(SendTestEventNotificationResult::default())
    }
    fn dispose_hit(
        &self,
        ctx: &Context,
        req: DisposeHITRequest,
    ) -> Result<DisposeHITResult, OpError> {
        hits::dispose_hit(self, ctx, req)
    }
    fn disable_hit(
        &self,
        ctx: &Context,
        req: DisableHITRequest,
    ) -> Result<DisableHITResult, OpError> {
        hits::disable_hit(self, ctx, req)
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
        ctx: &Context,
        req: GetReviewResultsForHITRequest,
    ) -> Result<GetReviewResultsForHITResult, OpError> {
        review::get_review_results_for_hit(self, ctx, req)
    }
    fn get_reviewable_hits(
        &self,
        ctx: &Context,
        req: GetReviewableHITsRequest,
    ) -> Result<GetReviewableHITsResult, OpError> {
        hits::get_reviewable_hits(self, ctx, req)
    }
    fn get_hits_for_qualification_type(
        &self,
        ctx: &Context,
        req: GetHITsForQualificationTypeRequest,
    ) -> Result<GetHITsForQualificationTypeResult, OpError> {
        qualifications::get_hits_for_qualification_type(self, ctx, req)
    }
    fn get_qualifications_for_qualification_type(
        &self,
        ctx: &Context,
        req: GetQualificationsForQualificationTypeRequest,
    ) -> Result<GetQualificationsForQualificationTypeResult, OpError> {
        qualifications::get_qualifications_for_qualification_type(self, ctx, req)
    }
    fn set_hit_as_reviewing(
        &self,
        ctx: &Context,
        req: SetHITAsReviewingRequest,
    ) -> Result<SetHITAsReviewingResult, OpError> {
        hits::set_hit_as_reviewing(self, ctx, req)
    }
    fn extend_hit(&self, ctx: &Context, req: ExtendHITRequest) -> Result<ExtendHITResult, OpError> {
        hits::extend_hit(self, ctx, req)
    }
    fn force_expire_hit(
        &self,
        ctx: &Context,
        req: ForceExpireHITRequest,
    ) -> Result<ForceExpireHITResult, OpError> {
        hits::force_expire_hit(self, ctx, req)
    }
    fn approve_assignment(
        &self,
        ctx: &Context,
        req: ApproveAssignmentRequest,
    ) -> Result<ApproveAssignmentResult, OpError> {
        assignments::decide(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
            AssignmentState::Submitted,
            Decision::Approve,
        )?;
        Ok(ApproveAssignmentResult::default())
    }
    fn reject_assignment(
        &self,
        ctx: &Context,
        req: RejectAssignmentRequest,
    ) -> Result<RejectAssignmentResult, OpError> {
        assignments::decide(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
            AssignmentState::Submitted,
            Decision::Reject,
        )?;
        Ok(RejectAssignmentResult::default())
    }
    fn approve_rejected_assignment(
        &self,
        ctx: &Context,
        req: ApproveRejectedAssignmentRequest,
    ) -> Result<ApproveRejectedAssignmentResult, OpError> {
        assignments::decide(
            self,
            ctx,
            &req.assignment_id,
            req.requester_feedback.as_deref(),
            AssignmentState::Rejected,
            Decision::Approve,
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
        ctx: &Context,
        req: GetFileUploadURLRequest,
    ) -> Result<GetFileUploadURLResult, OpError> {
        assignments::get_file_upload_url(self, ctx, req)
    }
    fn search_hits(
        &self,
        ctx: &Context,
        req: SearchHITsRequest,
    ) -> Result<SearchHITsResult, OpError> {
        hits::search_hits(self, ctx, req)
    }
    fn grant_bonus(
        &self,
        ctx: &Context,
        req: GrantBonusRequest,
    ) -> Result<GrantBonusResult, OpError> {
        bonuses::grant_bonus(self, ctx, req)
    }
    fn get_bonus_payments(
        &self,
        ctx: &Context,
        req: GetBonusPaymentsRequest,
    ) -> Result<GetBonusPaymentsResult, OpError> {
        bonuses::get_bonus_payments(self, ctx, req)
    }
    fn change_hit_type_of_hit(
        &self,
        ctx: &Context,
        req: ChangeHITTypeOfHITRequest,
    ) -> Result<ChangeHITTypeOfHITResult, OpError> {
        hits::change_hit_type_of_hit(self, ctx, req)
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
        ctx: &Context,
        req: AssignQualificationRequest,
    ) -> Result<AssignQualificationResult, OpError> {
        qualifications::assign_qualification(self, ctx, req)?;
        Ok(AssignQualificationResult::default())
    }
    fn revoke_qualification(
        &self,
        ctx: &Context,
        req: RevokeQualificationRequest,
    ) -> Result<RevokeQualificationResult, OpError> {
        qualifications::revoke_qualification(self, ctx, req)?;
        Ok(RevokeQualificationResult::default())
    }
    fn get_qualification_type(
        &self,
        ctx: &Context,
        req: GetQualificationTypeRequest,
    ) -> Result<QualificationType, OpError> {
        qualifications::get_qualification_type(self, ctx, req)
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
        ctx: &Context,
        req: UpdateQualificationTypeRequest,
    ) -> Result<QualificationType, OpError> {
        qualifications::update_qualification_type(self, ctx, req)
    }
    fn search_qualification_types(
        &self,
        ctx: &Context,
        req: SearchQualificationTypesRequest,
    ) -> Result<SearchQualificationTypesResult, OpError> {
        qualifications::search_qualification_types(self, ctx, req)
    }
    fn get_qualification_score(
        &self,
        ctx: &Context,
        req: GetQualificationScoreRequest,
    ) -> Result<Qualification, OpError> {
        qualifications::get_qualification_score(self, ctx, req)
    }
    fn update_qualification_score(
        &self,
        ctx: &Context,
        req: UpdateQualificationScoreRequest,
    ) -> Result<UpdateQualificationScoreResult, OpError> {
        qualifications::update_qualification_score(self, ctx, req)?;
        Ok(UpdateQualificationScoreResult::default())
    }
    fn dispose_qualification_type(
        &self,
        ctx: &Context,
        req: DisposeQualificationTypeRequest,
    ) -> Result<DisposeQualificationTypeResult, OpError> {
        qualifications::dispose_qualification_type(self, ctx, req)?;
        Ok(DisposeQualificationTypeResult::default())
    }
    fn get_requester_statistic(
        &self,
        ctx: &Context,
        req: GetRequesterStatisticRequest,
    ) -> Result<GetStatisticResult, OpError> {
        statistics::get_requester_statistic(self, ctx, req)
    }
    fn get_requester_worker_statistic(
        &self,
        ctx: &Context,
        req: GetRequesterWorkerStatisticRequest,
    ) -> Result<GetStatisticResult, OpError> {
        statistics::get_requester_worker_statistic(self, ctx, req)
    }
    fn notify_workers(
        &self,
        ctx: &Context,
        req: NotifyWorkersRequest,
    ) -> Result<NotifyWorkersResult, OpError> {
        relations::notify_workers(self, ctx, req)
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
        ctx: &Context,
        req: GetBlockedWorkersRequest,
    ) -> Result<GetBlockedWorkersResult, OpError> {
        relations::get_blocked_workers(self, ctx, req)
    }
    fn block_worker(
        &self,
        ctx: &Context,
        req: BlockWorkerRequest,
    ) -> Result<BlockWorkerResult, OpError> {
        relations::block_worker(self, ctx, req)
    }
    fn unblock_worker(
        &self,
        ctx: &Context,
        req: UnblockWorkerRequest,
    ) -> Result<UnblockWorkerResult, OpError> {
        relations::unblock_worker(self, ctx, req)
    }
    fn help(&self, ctx: &Context, req: HelpRequest) -> Result<Information, OpError> {
        help::help(self, ctx, req)
    }
}
