//! Review policies acting on real submissions: ScoreMyKnownAnswers through boto 2 (REST
//! parameters for the policy and its AnswerKey map) and SimplePlurality, alone and with known
//! answers, through zeep (SOAP); the approve, reject and extend actions seen in
//! GetReviewResultsForHIT, in the assignments' states and in the balance.

mod support;

use support::*;

scenario_tests! {
    boto2_score_my_known_answers_approves_rejects_and_extends_on_submission: "boto_review_policies.py" on start;
    zeep_simple_plurality_reviews_the_hit_once_it_is_reviewable: "zeep_review_policies.py" on start;
}
