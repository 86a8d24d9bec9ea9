//! The question and answer documents that travel inside requests: QuestionForm, ExternalQuestion,
//! HTMLQuestion and QuestionFormAnswers, checked against the bundled data schemas.

use crate::model::{external_question, html_question, question_form, question_form_answers};
use crate::schema;
use crate::xml::{self, Decode, Element};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    QuestionForm,
    ExternalQuestion,
    HTMLQuestion,
}

fn parse_root(text: &str) -> Result<Element, String> {
    xml::parse(text.as_bytes(), &xml::ParseLimits::default()).map_err(|e| e.to_string())
}

fn expect_root(root: &Element, ns: &str, name: &str) -> Result<(), String> {
    if root.name == name && root.ns.as_deref() == Some(ns) {
        Ok(())
    } else {
        Err(format!(
            "the document element must be {name} in namespace {ns}, not {} in {}",
            root.name,
            root.ns.as_deref().unwrap_or("no namespace")
        ))
    }
}

/// Checks a HIT's Question, which may be any of the three question documents.
pub fn validate_question(text: &str) -> Result<QuestionKind, String> {
    let root = parse_root(text)?;
    let kind = match (root.ns.as_deref(), root.name.as_str()) {
        (Some(question_form::NAMESPACE), "QuestionForm") => QuestionKind::QuestionForm,
        (Some(external_question::NAMESPACE), "ExternalQuestion") => QuestionKind::ExternalQuestion,
        (Some(html_question::NAMESPACE), "HTMLQuestion") => QuestionKind::HTMLQuestion,
        _ => return Err(format!(
            "the Question must be a QuestionForm, ExternalQuestion or HTMLQuestion document in its schema namespace, not {} in {}",
            root.name,
            root.ns.as_deref().unwrap_or("no namespace")
        )),
    };
    schema::first_problem(&root)?;
    if kind == QuestionKind::QuestionForm {
        check_question_form(&root)?;
    }
    Ok(kind)
}

/// Checks a QuestionForm (a HIT's question or a qualification test).
pub fn validate_question_form(text: &str) -> Result<(), String> {
    let root = parse_root(text)?;
    expect_root(&root, question_form::NAMESPACE, "QuestionForm")?;
    schema::first_problem(&root)?;
    check_question_form(&root)
}

fn check_question_form(root: &Element) -> Result<(), String> {
    let form = question_form::QuestionForm::decode(root).map_err(|e| e.to_string())?;
    if form.question.is_empty() && form.overview.is_empty() {
        return Err("a QuestionForm needs at least one Overview or Question".into());
    }
    let mut seen = std::collections::HashSet::new();
    for q in &form.question {
        if !seen.insert(q.question_identifier.as_str()) {
            return Err(format!(
                "QuestionIdentifier {} is used more than once",
                q.question_identifier
            ));
        }
    }
    Ok(())
}

/// Checks a QuestionFormAnswers document.
pub fn validate_answers(text: &str) -> Result<question_form_answers::QuestionFormAnswers, String> {
    let root = parse_root(text)?;
    expect_root(
        &root,
        question_form_answers::NAMESPACE,
        "QuestionFormAnswers",
    )?;
    schema::first_problem(&root)?;
    let answers =
        question_form_answers::QuestionFormAnswers::decode(&root).map_err(|e| e.to_string())?;
    if answers.answer.is_empty() {
        return Err("a QuestionFormAnswers document needs at least one Answer".into());
    }
    Ok(answers)
}

/// A QuestionFormAnswers document holding one free-text answer per question.
pub fn answers_document<'a>(answers: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let doc = question_form_answers::QuestionFormAnswers {
        answer: answers
            .into_iter()
            .map(
                |(id, text)| question_form_answers::QuestionFormAnswersAnswer {
                    question_identifier: id.to_string(),
                    free_text: Some(text.to_string()),
                    ..Default::default()
                },
            )
            .collect(),
    };
    // The legacy service stored answers as standalone documents, declaration included.
    let body = xml::encode_document(
        &doc,
        "QuestionFormAnswers",
        question_form_answers::NAMESPACE,
    );
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd">
      <Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent>
      <AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"#;

    #[test]
    fn accepts_each_question_kind() {
        assert_eq!(validate_question(FORM), Ok(QuestionKind::QuestionForm));
        let ext = r#"<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"><ExternalURL>https://example.com/q</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion>"#;
        assert_eq!(validate_question(ext), Ok(QuestionKind::ExternalQuestion));
        let html = r#"<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<p>hi</p>]]></HTMLContent><FrameHeight>400</FrameHeight></HTMLQuestion>"#;
        assert_eq!(validate_question(html), Ok(QuestionKind::HTMLQuestion));
    }

    #[test]
    fn refuses_broken_or_foreign_documents() {
        assert!(validate_question("<QuestionForm>").is_err());
        assert!(validate_question("<QuestionForm/>").is_err());
        let missing = FORM.replace("<QuestionIdentifier>q1</QuestionIdentifier>", "");
        assert!(validate_question(&missing).is_err());
        let twice = FORM.replace("</Question></QuestionForm>", "</Question>")
            + "<Question><QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>x</Text></QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>";
        assert!(validate_question(&twice).is_err());
    }

    #[test]
    fn built_answers_validate() {
        let doc = answers_document([("q1", "because <this> & that")]);
        let parsed = validate_answers(&doc).unwrap();
        assert_eq!(
            parsed.answer[0].free_text.as_deref(),
            Some("because <this> & that")
        );
    }
}
