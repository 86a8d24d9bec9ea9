//! Grading a qualification test by its AnswerKey, as the legacy service did: each question scores
//! the AnswerScore of the option whose selections the worker chose exactly (else its
//! DefaultScore, else 0); the scores are summed and mapped to the qualification's value.

use std::collections::BTreeSet;

use crate::model::answer_key::AnswerKey;
use crate::model::question_form_answers::QuestionFormAnswers;

/// The qualification value the answers earn under the key.
pub(super) fn grade(key: &AnswerKey, answers: &QuestionFormAnswers) -> i32 {
    let summed: i64 = key
        .question
        .iter()
        .map(|q| {
            let chosen: BTreeSet<&str> = answers
                .answer
                .iter()
                .filter(|a| a.question_identifier.trim() == q.question_identifier.trim())
                .flat_map(|a| {
                    // A free-text answer is compared as if it were a selection identifier.
                    a.selection_identifier
                        .iter()
                        .map(|s| s.trim())
                        .chain(a.free_text.as_deref().map(str::trim))
                })
                .collect();
            let matched = q.answer_option.iter().find(|o| {
                let wanted: BTreeSet<&str> =
                    o.selection_identifier.iter().map(|s| s.trim()).collect();
                !chosen.is_empty() && wanted == chosen
            });
            i64::from(matched.map_or(q.default_score.unwrap_or(0), |o| o.answer_score))
        })
        .sum();
    let Some(mapping) = &key.qualification_value_mapping else {
        return clamp(summed);
    };
    if let Some(p) = &mapping.percentage_mapping {
        if p.maximum_summed_score <= 0 {
            return 0;
        }
        // Rounded to the nearest whole percent.
        return clamp(
            (summed * 200 + i64::from(p.maximum_summed_score))
                / (2 * i64::from(p.maximum_summed_score)),
        );
    }
    if let Some(s) = &mapping.scale_mapping {
        return clamp((summed as f64 * s.summed_score_multiplier).round() as i64);
    }
    if let Some(r) = &mapping.range_mapping {
        return r
            .summed_score_range
            .iter()
            .find(|range| {
                (i64::from(range.inclusive_lower_bound)..=i64::from(range.inclusive_upper_bound))
                    .contains(&summed)
            })
            .map_or(r.out_of_range_qualification_value, |range| {
                range.qualification_value
            });
    }
    clamp(summed)
}

fn clamp(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(if n < 0 { i32::MIN } else { i32::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::decode_document;

    const NS_KEY: &str =
        "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd";
    const NS_ANS: &str = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd";

    fn key(mapping: &str) -> AnswerKey {
        decode_document(
            format!(
                r#"<AnswerKey xmlns="{NS_KEY}">
                <Question><QuestionIdentifier>q1</QuestionIdentifier>
                  <AnswerOption><SelectionIdentifier>a</SelectionIdentifier><AnswerScore>10</AnswerScore></AnswerOption>
                  <AnswerOption><SelectionIdentifier>b</SelectionIdentifier><SelectionIdentifier>c</SelectionIdentifier><AnswerScore>5</AnswerScore></AnswerOption>
                  <DefaultScore>1</DefaultScore></Question>
                <Question><QuestionIdentifier>q2</QuestionIdentifier>
                  <AnswerOption><SelectionIdentifier>yes</SelectionIdentifier><AnswerScore>10</AnswerScore></AnswerOption></Question>
                {mapping}</AnswerKey>"#
            )
            .as_bytes(),
        )
        .unwrap()
    }

    fn answers(q1: &[&str], q2: &str) -> QuestionFormAnswers {
        let sel: String = q1
            .iter()
            .map(|s| format!("<SelectionIdentifier>{s}</SelectionIdentifier>"))
            .collect();
        decode_document(
            format!(
                r#"<QuestionFormAnswers xmlns="{NS_ANS}"><Answer><QuestionIdentifier>q1</QuestionIdentifier>{sel}</Answer>
                <Answer><QuestionIdentifier>q2</QuestionIdentifier><SelectionIdentifier>{q2}</SelectionIdentifier></Answer></QuestionFormAnswers>"#
            )
            .as_bytes(),
        )
        .unwrap()
    }

    #[test]
    fn sums_exact_matches_and_default_scores() {
        let k = key("");
        assert_eq!(grade(&k, &answers(&["a"], "yes")), 20);
        assert_eq!(
            grade(&k, &answers(&["c", "b"], "yes")),
            15,
            "selection order does not matter"
        );
        assert_eq!(
            grade(&k, &answers(&["b"], "no")),
            1,
            "a partial match scores the default"
        );
    }

    #[test]
    fn maps_percentages_scales_and_ranges() {
        let pct = key("<QualificationValueMapping><PercentageMapping><MaximumSummedScore>20</MaximumSummedScore></PercentageMapping></QualificationValueMapping>");
        assert_eq!(grade(&pct, &answers(&["c", "b"], "yes")), 75);
        let scale = key("<QualificationValueMapping><ScaleMapping><SummedScoreMultiplier>2.5</SummedScoreMultiplier></ScaleMapping></QualificationValueMapping>");
        assert_eq!(grade(&scale, &answers(&["a"], "yes")), 50);
        let range = key("<QualificationValueMapping><RangeMapping><SummedScoreRange><InclusiveLowerBound>0</InclusiveLowerBound><InclusiveUpperBound>10</InclusiveUpperBound><QualificationValue>1</QualificationValue></SummedScoreRange><SummedScoreRange><InclusiveLowerBound>11</InclusiveLowerBound><InclusiveUpperBound>19</InclusiveUpperBound><QualificationValue>2</QualificationValue></SummedScoreRange><OutOfRangeQualificationValue>99</OutOfRangeQualificationValue></RangeMapping></QualificationValueMapping>");
        assert_eq!(grade(&range, &answers(&["b"], "no")), 1);
        assert_eq!(grade(&range, &answers(&["c", "b"], "yes")), 2);
        assert_eq!(grade(&range, &answers(&["a"], "yes")), 99);
    }
}
