//! Help: the operations and response groups of the interface, described.
//!
//! An operation's parameters are those the bindings were generated with (the WSDL's
//! `{Operation}Request` types: an element with `minOccurs="0"` is optional, any other is
//! required), so Help cannot drift from what the service accepts. Descriptions and response
//! groups, which the WSDL does not carry, come from the table below.

use super::service::{Context, Service};
use crate::error::OpError;
use crate::model::requester as api;
use crate::model::requester::Operation as Op;

/// Groups every operation accepts; `Minimal` is also every operation's default unless the
/// table says otherwise.
const COMMON_GROUPS: &[&str] = &["Minimal", "Request"];

/// What the table adds for one operation: its description, its default response groups, and the
/// other groups it accepts beyond the common ones.
struct OperationNotes {
    description: &'static str,
    default_groups: &'static [&'static str],
    extra_groups: &'static [&'static str],
}

fn notes(op: Op) -> OperationNotes {
    const MINIMAL: &[&str] = &["Minimal"];
    const HIT_GROUPS: &[&str] = &["HITDetail", "HITQuestion", "HITAssignmentSummary"];
    let n = |description, default_groups, extra_groups| OperationNotes {
        description,
        default_groups,
        extra_groups,
    };
    match op {
        Op::CreateHIT => n(
            "Creates a HIT from a HIT type or its own properties, with a Question or layout.",
            MINIMAL,
            HIT_GROUPS,
        ),
        Op::RegisterHITType => n(
            "Creates a HIT type, or returns the one with the same properties.",
            MINIMAL,
            &[],
        ),
        Op::SetHITTypeNotification => n(
            "Sets, enables or disables the notification specification of a HIT type.",
            MINIMAL,
            &[],
        ),
        Op::SendTestEventNotification => n(
            "Sends a test event notification to the given destination.",
            MINIMAL,
            &[],
        ),
        Op::DisposeHIT => n(
            "Disposes of a Reviewable HIT whose assignments have all been reviewed.",
            MINIMAL,
            &[],
        ),
        Op::DisableHIT => n(
            "Takes a HIT off the marketplace, approves its submitted work, disposes of it.",
            MINIMAL,
            &[],
        ),
        Op::GetHIT => n(
            "Returns the details of a HIT.",
            &["Minimal", "HITDetail", "HITQuestion"],
            &["HITAssignmentSummary"],
        ),
        Op::GetAssignment => n(
            "Returns a submitted, approved or rejected assignment, with its HIT.",
            MINIMAL,
            &["AssignmentFeedback", "HITDetail", "HITQuestion"],
        ),
        Op::GetReviewResultsForHIT => n(
            "Returns the results and actions of a HIT's review policies.",
            MINIMAL,
            &[],
        ),
        Op::GetReviewableHITs => n(
            "Returns the HITs whose status is Reviewable or Reviewing.",
            MINIMAL,
            &[],
        ),
        Op::GetHITsForQualificationType => n(
            "Returns the HITs that require a Qualification type.",
            MINIMAL,
            HIT_GROUPS,
        ),
        Op::GetQualificationsForQualificationType => n(
            "Returns the Qualifications granted for a Qualification type.",
            MINIMAL,
            &[],
        ),
        Op::SetHITAsReviewing => n(
            "Moves a Reviewable HIT to Reviewing, or back with Revert.",
            MINIMAL,
            &[],
        ),
        Op::ExtendHIT => n(
            "Adds assignments to a HIT or extends its expiration.",
            MINIMAL,
            &[],
        ),
        Op::ForceExpireHIT => n(
            "Expires a HIT at once, as if its lifetime had passed.",
            MINIMAL,
            &[],
        ),
        Op::ApproveAssignment => n(
            "Approves a submitted assignment and pays the worker the reward.",
            MINIMAL,
            &[],
        ),
        Op::RejectAssignment => n(
            "Rejects a submitted assignment; the worker is not paid.",
            MINIMAL,
            &[],
        ),
        Op::ApproveRejectedAssignment => n(
            "Approves an assignment that was rejected, and pays the worker.",
            MINIMAL,
            &[],
        ),
        Op::GetAssignmentsForHIT => n(
            "Returns the submitted, approved and rejected assignments of a HIT.",
            MINIMAL,
            &["AssignmentFeedback"],
        ),
        Op::GetFileUploadURL => n(
            "Returns a temporary URL for a file a worker uploaded as an answer.",
            MINIMAL,
            &[],
        ),
        Op::SearchHITs => n(
            "Returns the requester's HITs, sorted and paged.",
            &["Minimal", "HITDetail", "HITAssignmentSummary"],
            &["HITQuestion"],
        ),
        Op::GrantBonus => n(
            "Pays a worker a bonus for one of the worker's assignments.",
            MINIMAL,
            &[],
        ),
        Op::GetBonusPayments => n(
            "Returns the bonuses paid for a HIT or an assignment.",
            MINIMAL,
            &[],
        ),
        Op::ChangeHITTypeOfHIT => n("Changes the HIT type of a HIT.", MINIMAL, &[]),
        Op::CreateQualificationType => n("Creates a new Qualification type.", MINIMAL, &[]),
        Op::GrantQualification => n(
            "Grants a worker's request for a Qualification.",
            MINIMAL,
            &[],
        ),
        Op::AssignQualification => n(
            "Gives a worker a Qualification without a request.",
            MINIMAL,
            &[],
        ),
        Op::RevokeQualification => n("Revokes a worker's Qualification.", MINIMAL, &[]),
        Op::GetQualificationType => n("Returns a Qualification type.", MINIMAL, &[]),
        Op::GetQualificationRequests => n(
            "Returns the Qualification requests waiting for the requester's decision.",
            MINIMAL,
            &[],
        ),
        Op::RejectQualificationRequest => n(
            "Rejects a worker's request for a Qualification.",
            MINIMAL,
            &[],
        ),
        Op::UpdateQualificationType => n(
            "Changes the properties of a Qualification type.",
            MINIMAL,
            &[],
        ),
        Op::SearchQualificationTypes => n("Searches the Qualification types.", MINIMAL, &[]),
        Op::GetQualificationScore => n("Returns a worker's Qualification of a type.", MINIMAL, &[]),
        Op::UpdateQualificationScore => n(
            "Changes the value of a worker's Qualification.",
            MINIMAL,
            &[],
        ),
        Op::DisposeQualificationType => n("Disposes of a Qualification type.", MINIMAL, &[]),
        Op::GetRequesterStatistic => n(
            "Returns a statistic about the requester for a time period.",
            &["Minimal", "Parameters"],
            &[],
        ),
        Op::GetRequesterWorkerStatistic => n(
            "Returns a statistic about one worker's work for the requester.",
            &["Minimal", "Parameters"],
            &[],
        ),
        Op::NotifyWorkers => n(
            "Sends a message to workers who have worked for the requester.",
            MINIMAL,
            &[],
        ),
        Op::GetAccountBalance => n("Returns the requester's account balance.", MINIMAL, &[]),
        Op::GetBlockedWorkers => n(
            "Returns the workers the requester has blocked.",
            MINIMAL,
            &[],
        ),
        Op::BlockWorker => n(
            "Blocks a worker from working on the requester's HITs.",
            MINIMAL,
            &[],
        ),
        Op::UnblockWorker => n(
            "Lets a blocked worker work on the requester's HITs again.",
            MINIMAL,
            &[],
        ),
        Op::Help => n("Describes an operation or a response group.", MINIMAL, &[]),
    }
}

/// The response groups an operation accepts, in a stable order.
fn available_groups(op: Op) -> Vec<&'static str> {
    let n = notes(op);
    let mut groups: Vec<&'static str> = COMMON_GROUPS.to_vec();
    for g in n.default_groups.iter().chain(n.extra_groups) {
        if !groups.contains(g) {
            groups.push(g);
        }
    }
    groups
}

/// The response groups and the elements each one adds to a result.
const RESPONSE_GROUPS: &[(&str, &[&str])] = &[
    (
        "Minimal",
        &[
            "HITId",
            "HITTypeId",
            "AssignmentId",
            "QualificationTypeId",
            "QualificationRequestId",
            "PageNumber",
            "NumResults",
            "TotalNumResults",
            "DataPoint",
        ],
    ),
    ("Request", &["Request", "IsValid", "Errors"]),
    (
        "HITDetail",
        &[
            "HITGroupId",
            "HITLayoutId",
            "CreationTime",
            "Title",
            "Description",
            "Keywords",
            "HITStatus",
            "MaxAssignments",
            "Reward",
            "AutoApprovalDelayInSeconds",
            "Expiration",
            "AssignmentDurationInSeconds",
            "RequesterAnnotation",
            "QualificationRequirement",
            "HITReviewStatus",
        ],
    ),
    ("HITQuestion", &["Question"]),
    (
        "HITAssignmentSummary",
        &[
            "NumberOfAssignmentsPending",
            "NumberOfAssignmentsAvailable",
            "NumberOfAssignmentsCompleted",
        ],
    ),
    ("AssignmentFeedback", &["RequesterFeedback"]),
    ("Parameters", &["Statistic", "TimePeriod", "WorkerId"]),
];

/// An operation's required and its optional parameters, in schema order. `ResponseGroup`,
/// common to every operation, is described by the groups.
fn parameters(op: Op) -> (Vec<String>, Vec<String>) {
    let (mut required, mut optional) = (Vec::new(), Vec::new());
    for p in op.parameters() {
        if p.name == "ResponseGroup" {
            continue;
        }
        if p.required {
            required.push(p.name.to_string());
        } else {
            optional.push(p.name.to_string());
        }
    }
    (required, optional)
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn operation_information(name: &str) -> Result<api::OperationInformation, OpError> {
    let op = Op::from_name(name).ok_or_else(|| {
        OpError::InvalidParameterValue(format!(
            "There is no operation named {name}; About must name an operation of the interface."
        ))
    })?;
    let (required, optional) = parameters(op);
    let n = notes(op);
    Ok(api::OperationInformation {
        name: Some(op.name().to_string()),
        description: Some(n.description.to_string()),
        required_parameters: (!required.is_empty()).then_some(
            api::OperationInformationRequiredParameters {
                parameter: required,
            },
        ),
        available_parameters: (!optional.is_empty()).then_some(
            api::OperationInformationAvailableParameters {
                parameter: optional,
            },
        ),
        default_response_groups: Some(api::OperationInformationDefaultResponseGroups {
            response_group: strings(n.default_groups),
        }),
        available_response_groups: Some(api::OperationInformationAvailableResponseGroups {
            response_group: strings(&available_groups(op)),
        }),
    })
}

fn response_group_information(name: &str) -> Result<api::ResponseGroupInformation, OpError> {
    let (group, elements) = RESPONSE_GROUPS
        .iter()
        .find(|(g, _)| *g == name)
        .ok_or_else(|| {
            OpError::InvalidParameterValue(format!(
                "There is no response group named {name}; the groups are {}.",
                RESPONSE_GROUPS
                    .iter()
                    .map(|(g, _)| *g)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    let operations: Vec<String> = Op::ALL
        .iter()
        .filter(|op| available_groups(**op).contains(group))
        .map(|op| op.name().to_string())
        .collect();
    Ok(api::ResponseGroupInformation {
        name: Some(group.to_string()),
        creation_date: None,
        valid_operations: Some(api::ResponseGroupInformationValidOperations {
            operation: operations,
        }),
        elements: Some(api::ResponseGroupInformationElements {
            element: strings(elements),
        }),
    })
}

pub(super) fn help(
    _svc: &Service,
    _ctx: &Context,
    req: api::HelpRequest,
) -> Result<api::Information, OpError> {
    let about: Vec<&str> = req
        .about
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    if about.is_empty() {
        return Err(OpError::InvalidParameterValue(
            "The About parameter is required: name an operation or a response group.".into(),
        ));
    }
    let mut info = api::Information::default();
    match req.help_type.unwrap_or(api::HelpRequestHelpType::Operation) {
        api::HelpRequestHelpType::Operation => {
            for a in about {
                info.operation_information.push(operation_information(a)?);
            }
        }
        api::HelpRequestHelpType::ResponseGroup => {
            for a in about {
                info.response_group_information
                    .push(response_group_information(a)?);
            }
        }
    }
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_its_parameters_from_the_wsdl() {
        for op in Op::ALL {
            assert!(
                !op.parameters().is_empty(),
                "{} has no request type",
                op.name()
            );
        }
        let (required, optional) = &parameters(Op::GrantBonus);
        assert_eq!(
            required,
            &["WorkerId", "BonusAmount", "AssignmentId", "Reason"]
        );
        assert_eq!(optional, &["UniqueRequestToken"]);
        let (required, optional) = &parameters(Op::GetRequesterStatistic);
        assert_eq!(required, &["Statistic"]);
        assert_eq!(optional, &["TimePeriod", "Count"]);
    }

    #[test]
    fn response_groups_name_the_operations_that_accept_them() {
        let info = response_group_information("HITQuestion").unwrap_or_default();
        let ops = info.valid_operations.unwrap_or_default().operation;
        assert_eq!(
            ops,
            [
                "CreateHIT",
                "GetHIT",
                "GetAssignment",
                "GetHITsForQualificationType",
                "SearchHITs"
            ]
        );
        assert!(response_group_information("Nonsense").is_err());
        let minimal = response_group_information("Minimal").unwrap_or_default();
        assert_eq!(
            minimal.valid_operations.unwrap_or_default().operation.len(),
            Op::ALL.len()
        );
    }
}
