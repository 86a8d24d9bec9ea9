//! The store's enumerations and the generated model's spell the same values; these convert
//! between them, value for value.

use crate::model::requester as api;
use crate::store;

/// `From` both ways between a store enumeration and the model's. The matches are exhaustive, so
/// a value added to either side does not compile until the other side has it too.
macro_rules! same_values {
    ($store:ident, $api:ident { $($v:ident),+ $(,)? }) => {
        impl From<store::$store> for api::$api {
            fn from(v: store::$store) -> Self {
                match v { $(store::$store::$v => api::$api::$v),+ }
            }
        }

        impl From<api::$api> for store::$store {
            fn from(v: api::$api) -> Self {
                match v { $(api::$api::$v => store::$store::$v),+ }
            }
        }
    };
}

same_values!(
    Comparator,
    Comparator {
        LessThan,
        LessThanOrEqualTo,
        GreaterThan,
        GreaterThanOrEqualTo,
        EqualTo,
        NotEqualTo,
        Exists,
        DoesNotExist,
        In,
        NotIn,
    }
);

same_values!(
    HitReviewStatus,
    HITReviewStatus {
        NotReviewed,
        MarkedForReview,
        ReviewedAppropriate,
        ReviewedInappropriate,
    }
);

same_values!(
    ReviewActionStatus,
    ReviewActionStatus {
        Intended,
        Succeeded,
        Failed,
        Cancelled,
    }
);

same_values!(
    NotificationTransport,
    NotificationTransport {
        Soap,
        Rest,
        Email,
        Sqs,
    }
);

same_values!(
    EventType,
    EventType {
        AssignmentAccepted,
        AssignmentAbandoned,
        AssignmentReturned,
        AssignmentSubmitted,
        AssignmentRejected,
        AssignmentApproved,
        HitCreated,
        HitExpired,
        HitReviewable,
        HitExtended,
        HitDisposed,
        Ping,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    /// Converted values keep their text, so the database and the wire agree.
    fn same_text<S, A>(all: &[S])
    where
        S: Copy + std::fmt::Display + From<A> + PartialEq + std::fmt::Debug,
        A: Copy + std::fmt::Display + From<S>,
    {
        for &s in all {
            let a = A::from(s);
            assert_eq!(a.to_string(), s.to_string());
            assert_eq!(S::from(a), s);
        }
    }

    #[test]
    fn converted_values_keep_their_text() {
        same_text::<store::Comparator, api::Comparator>(store::Comparator::ALL);
        same_text::<store::HitReviewStatus, api::HITReviewStatus>(store::HitReviewStatus::ALL);
        same_text::<store::ReviewActionStatus, api::ReviewActionStatus>(
            store::ReviewActionStatus::ALL,
        );
        same_text::<store::NotificationTransport, api::NotificationTransport>(
            store::NotificationTransport::ALL,
        );
        same_text::<store::EventType, api::EventType>(store::EventType::ALL);
    }
}
