//! The enumerations the store keeps, each stored as its text. Reading text that names no value
//! is an error ([`UnknownValue`]), never a panic or a default.

/// A stored enumeration held text that names none of its values: the file was written by
/// another build or changed by hand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a stored {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Declares an enumeration stored as text: each value's name, or the text given after `=`.
macro_rules! stored_enum {
    (@text $variant:ident) => { stringify!($variant) };
    (@text $variant:ident $text:literal) => { $text };
    ($(#[$m:meta])* $name:ident { $($variant:ident $(= $text:literal)?),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored for the value.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => stored_enum!(@text $variant $($text)?)),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| UnknownValue {
                    kind: stringify!($name),
                    value: s.to_string(),
                })
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                v: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                v.as_str()?
                    .parse()
                    .map_err(|e: UnknownValue| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

stored_enum!(
    /// Where a HIT stands apart from what its assignments and clock imply.
    HitState { Open, Reviewing, Disposed }
);

stored_enum!(
    /// An assignment's life. Only Submitted, Approved and Rejected are visible to requesters.
    AssignmentState { Accepted, Submitted, Approved, Rejected, Returned, Abandoned }
);

stored_enum!(QualificationTypeState {
    Active,
    Inactive,
    Disposed
});

stored_enum!(
    /// A worker's request for a qualification. `AwaitingAnswers`: the type has a Test that the
    /// worker has not answered yet, so the requester does not see the request.
    QualificationRequestState {
        AwaitingAnswers,
        Pending,
        Granted,
        Rejected,
    }
);

stored_enum!(QualificationState { Granted, Revoked });

stored_enum!(
    /// Why money left a requester's balance.
    LedgerKind { Reward, RewardFee, Bonus, BonusFee }
);

stored_enum!(
    /// Where a notification stands. Email and SQS notifications are `Recorded`, never sent.
    NotificationState {
        Pending,
        Delivered,
        Failed,
        Recorded,
    }
);

stored_enum!(
    /// Which policy: the one run on each assignment, or the one run on the whole HIT.
    ReviewLevel {
        Assignment,
        HIT,
    }
);
stored_enum!(
    /// How a QualificationRequirement compares a worker's qualification with its values.
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
stored_enum!(
    /// How a requester judged a HIT's content (HITReviewStatus).
    HitReviewStatus {
        NotReviewed,
        MarkedForReview,
        ReviewedAppropriate,
        ReviewedInappropriate,
    }
);

stored_enum!(
    /// How an action a review policy took went.
    ReviewActionStatus {
        Intended,
        Succeeded,
        Failed,
        Cancelled,
    }
);
stored_enum!(
    /// How a notification reaches its destination.
    NotificationTransport {
        Soap = "SOAP",
        Rest = "REST",
        Email,
        Sqs = "SQS",
    }
);

stored_enum!(
    /// What a notification announces.
    EventType {
        AssignmentAccepted,
        AssignmentAbandoned,
        AssignmentReturned,
        AssignmentSubmitted,
        AssignmentRejected,
        AssignmentApproved,
        HitCreated = "HITCreated",
        HitExpired = "HITExpired",
        HitReviewable = "HITReviewable",
        HitExtended = "HITExtended",
        HitDisposed = "HITDisposed",
        Ping,
    }
);
stored_enum!(
    /// A yes-or-no property the admin API gives a simulated worker, behind the Adult and
    /// Masters system qualifications.
    WorkerFlag { Adult, Masters }
);

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::{FromSql, ToSql, ToSqlOutput, ValueRef};

    #[test]
    fn values_are_stored_as_their_text_and_read_back() {
        for &v in AssignmentState::ALL {
            let out = v.to_sql().unwrap();
            let ToSqlOutput::Borrowed(text) = out else {
                panic!("{v} is not stored as borrowed text");
            };
            assert_eq!(text, ValueRef::Text(v.as_str().as_bytes()));
            assert_eq!(AssignmentState::column_result(text).unwrap(), v);
        }
        assert_eq!(ReviewLevel::HIT.as_str(), "HIT");
        assert_eq!(EventType::HitCreated.as_str(), "HITCreated");
        assert_eq!("SQS".parse(), Ok(NotificationTransport::Sqs));
    }

    #[test]
    fn unknown_text_is_an_error_naming_the_enumeration() {
        let err = HitState::column_result(ValueRef::Text(b"Lost")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"Lost\" is not a stored HitState",
            "{err:?}"
        );
        assert!(HitState::column_result(ValueRef::Integer(1)).is_err());
        let json: Result<LedgerKind, _> = serde_json::from_str("\"Tip\"");
        assert!(json.is_err());
        assert_eq!(
            serde_json::to_string(&LedgerKind::RewardFee).unwrap(),
            "\"RewardFee\""
        );
    }
}
