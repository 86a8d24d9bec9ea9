//! The generated `Requester` trait, answered by the domain handlers: one line per operation,
//! and nothing else happens here.

use super::service::{Context, Service};
use super::{
    account, assignments, bonuses, help, hits, notifications, qualifications, relations, review,
    statistics,
};
use crate::error::OpError;
use crate::model::requester::*;

/// Implements `Requester` by handing each operation to `handler(service, context, request)`.
macro_rules! route {
    ($($method:ident($request:ty) -> $result:ty => $handler:path;)*) => {
        impl Requester for Service {
            $(
                fn $method(&self, ctx: &Context, req: $request) -> Result<$result, OpError> {
                    $handler(self, ctx, req)
                }
            )*
        }
    };
}

route! {
    create_hit(CreateHITRequest) -> HIT => hits::create_hit;
    register_hit_type(RegisterHITTypeRequest) -> RegisterHITTypeResult => hits::register_hit_type;
    set_hit_type_notification(SetHITTypeNotificationRequest) -> SetHITTypeNotificationResult => notifications::set_hit_type_notification;
    send_test_event_notification(SendTestEventNotificationRequest) -> SendTestEventNotificationResult => notifications::send_test_event_notification;
    dispose_hit(DisposeHITRequest) -> DisposeHITResult => hits::dispose_hit;
    disable_hit(DisableHITRequest) -> DisableHITResult => hits::disable_hit;
    get_hit(GetHITRequest) -> HIT => hits::get_hit;
    get_assignment(GetAssignmentRequest) -> GetAssignmentResult => assignments::get_assignment;
    get_review_results_for_hit(GetReviewResultsForHITRequest) -> GetReviewResultsForHITResult => review::get_review_results_for_hit;
    get_reviewable_hits(GetReviewableHITsRequest) -> GetReviewableHITsResult => hits::get_reviewable_hits;
    get_hits_for_qualification_type(GetHITsForQualificationTypeRequest) -> GetHITsForQualificationTypeResult => qualifications::get_hits_for_qualification_type;
    get_qualifications_for_qualification_type(GetQualificationsForQualificationTypeRequest) -> GetQualificationsForQualificationTypeResult => qualifications::get_qualifications_for_qualification_type;
    set_hit_as_reviewing(SetHITAsReviewingRequest) -> SetHITAsReviewingResult => hits::set_hit_as_reviewing;
    extend_hit(ExtendHITRequest) -> ExtendHITResult => hits::extend_hit;
    force_expire_hit(ForceExpireHITRequest) -> ForceExpireHITResult => hits::force_expire_hit;
    approve_assignment(ApproveAssignmentRequest) -> ApproveAssignmentResult => assignments::approve_assignment;
    reject_assignment(RejectAssignmentRequest) -> RejectAssignmentResult => assignments::reject_assignment;
    approve_rejected_assignment(ApproveRejectedAssignmentRequest) -> ApproveRejectedAssignmentResult => assignments::approve_rejected_assignment;
    get_assignments_for_hit(GetAssignmentsForHITRequest) -> GetAssignmentsForHITResult => assignments::get_assignments_for_hit;
    get_file_upload_url(GetFileUploadURLRequest) -> GetFileUploadURLResult => assignments::get_file_upload_url;
    search_hits(SearchHITsRequest) -> SearchHITsResult => hits::search_hits;
    grant_bonus(GrantBonusRequest) -> GrantBonusResult => bonuses::grant_bonus;
    get_bonus_payments(GetBonusPaymentsRequest) -> GetBonusPaymentsResult => bonuses::get_bonus_payments;
    change_hit_type_of_hit(ChangeHITTypeOfHITRequest) -> ChangeHITTypeOfHITResult => hits::change_hit_type_of_hit;
    create_qualification_type(CreateQualificationTypeRequest) -> QualificationType => qualifications::create_qualification_type;
    grant_qualification(GrantQualificationRequest) -> GrantQualificationResult => qualifications::grant_qualification;
    assign_qualification(AssignQualificationRequest) -> AssignQualificationResult => qualifications::assign_qualification;
    revoke_qualification(RevokeQualificationRequest) -> RevokeQualificationResult => qualifications::revoke_qualification;
    get_qualification_type(GetQualificationTypeRequest) -> QualificationType => qualifications::get_qualification_type;
    get_qualification_requests(GetQualificationRequestsRequest) -> GetQualificationRequestsResult => qualifications::get_qualification_requests;
    reject_qualification_request(RejectQualificationRequestRequest) -> RejectQualificationRequestResult => qualifications::reject_qualification_request;
    update_qualification_type(UpdateQualificationTypeRequest) -> QualificationType => qualifications::update_qualification_type;
    search_qualification_types(SearchQualificationTypesRequest) -> SearchQualificationTypesResult => qualifications::search_qualification_types;
    get_qualification_score(GetQualificationScoreRequest) -> Qualification => qualifications::get_qualification_score;
    update_qualification_score(UpdateQualificationScoreRequest) -> UpdateQualificationScoreResult => qualifications::update_qualification_score;
    dispose_qualification_type(DisposeQualificationTypeRequest) -> DisposeQualificationTypeResult => qualifications::dispose_qualification_type;
    get_requester_statistic(GetRequesterStatisticRequest) -> GetStatisticResult => statistics::get_requester_statistic;
    get_requester_worker_statistic(GetRequesterWorkerStatisticRequest) -> GetStatisticResult => statistics::get_requester_worker_statistic;
    notify_workers(NotifyWorkersRequest) -> NotifyWorkersResult => relations::notify_workers;
    get_account_balance(GetAccountBalanceRequest) -> GetAccountBalanceResult => account::get_account_balance;
    get_blocked_workers(GetBlockedWorkersRequest) -> GetBlockedWorkersResult => relations::get_blocked_workers;
    block_worker(BlockWorkerRequest) -> BlockWorkerResult => relations::block_worker;
    unblock_worker(UnblockWorkerRequest) -> UnblockWorkerResult => relations::unblock_worker;
    help(HelpRequest) -> Information => help::help;
}

/// Whether `op` only reads the store (beyond the settling every call begins with). Any other
/// operation may wait for the commit of its batch of writes, and so is run where a wait holds
/// up no one else.
pub fn only_reads(op: Operation) -> bool {
    use Operation::*;
    matches!(
        op,
        GetAccountBalance
            | GetAssignment
            | GetAssignmentsForHIT
            | GetBlockedWorkers
            | GetBonusPayments
            | GetFileUploadURL
            | GetHIT
            | GetHITsForQualificationType
            | GetQualificationRequests
            | GetQualificationScore
            | GetQualificationType
            | GetQualificationsForQualificationType
            | GetRequesterStatistic
            | GetRequesterWorkerStatistic
            | GetReviewResultsForHIT
            | GetReviewableHITs
            | Help
            | SearchHITs
            | SearchQualificationTypes
    )
}
