//! A HIT's question as the worker sees it: the ExternalQuestion frame, the sandboxed
//! HTMLQuestion frame, or a QuestionForm rendered as an HTML form; and the answers a rendered
//! QuestionForm posts, typed by their answer specifications.

use maud::{html, Markup};

use super::form::Posted;
use super::layout;
use super::{Refused, Visit};
use crate::handlers::worker::FileAnswer;
use crate::model::question_form::{
    AnswerSpecificationType, ContentType, FreeTextAnswerType, QuestionForm, QuestionFormQuestion,
    SelectionAnswerType, SelectionAnswerTypeStyleSuggestion as Style,
};
use crate::model::question_form_answers::QuestionFormAnswersAnswer;
use crate::model::{external_question, html_question};

/// The `assignmentId` a preview passes, as the worker site passed it.
pub(crate) const NOT_AVAILABLE: &str = "ASSIGNMENT_ID_NOT_AVAILABLE";

/// What the worker is doing with the HIT.
pub(crate) enum Showing<'a> {
    Preview,
    Work {
        assignment_id: &'a str,
        worker_id: &'a str,
    },
    /// A qualification test, answered to `/mturk/qualification`.
    Test {
        request_id: &'a str,
    },
}

/// `url` with `params` added to its query, its own query and fragment kept.
pub(crate) fn with_query(url: &str, params: &[(&str, &str)]) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        q.append_pair(k, v);
    }
    let sep = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{base}{sep}{}", q.finish());
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// The frame's query: what the worker site passed to a task page.
fn frame_params<'a>(
    hit_id: &'a str,
    showing: &Showing<'a>,
    base: &'a str,
) -> Vec<(&'a str, &'a str)> {
    match showing {
        Showing::Preview | Showing::Test { .. } => {
            vec![("assignmentId", NOT_AVAILABLE), ("hitId", hit_id)]
        }
        Showing::Work {
            assignment_id,
            worker_id,
        } => vec![
            ("assignmentId", assignment_id),
            ("hitId", hit_id),
            ("turkSubmitTo", base),
            ("workerId", worker_id),
        ],
    }
}

/// The question of HIT `hit_id` as the worker sees it.
pub(crate) fn render(question: &str, hit_id: &str, showing: &Showing<'_>, visit: &Visit) -> Markup {
    let doc = question.as_bytes();
    if let Ok(q) = crate::xml::decode_document::<external_question::ExternalQuestion>(doc) {
        let src = with_query(&q.external_url, &frame_params(hit_id, showing, &visit.base));
        return html! {
            iframe.task title="Task" src=(src) height=(q.frame_height) {}
        };
    }
    if let Ok(q) = crate::xml::decode_document::<html_question::HTMLQuestion>(doc) {
        let src = with_query(
            "/mturk/htmlquestion",
            &frame_params(hit_id, showing, &visit.base),
        );
        return html! {
            // No allow-same-origin: the requester's page runs in an origin of its own, away from
            // this site's cookies and pages.
            iframe.task title="Task" sandbox="allow-forms allow-scripts" src=(src)
                height=(q.frame_height) {}
        };
    }
    match crate::xml::decode_document::<QuestionForm>(doc) {
        Ok(form) => question_form(&form, showing, visit),
        Err(e) => html! { p.error { "This HIT's question cannot be shown: " (e.to_string()) } },
    }
}

/// The HTMLQuestion's page itself, with the MTurk submit addresses pointed at this server.
pub(crate) fn html_question_page(question: &str, base: &str) -> Option<String> {
    let q = crate::xml::decode_document::<html_question::HTMLQuestion>(question.as_bytes()).ok()?;
    let local = format!("{base}/mturk/externalSubmit");
    Some(
        [
            "https://www.mturk.com/mturk/externalSubmit",
            "https://workersandbox.mturk.com/mturk/externalSubmit",
        ]
        .iter()
        .fold(q.html_content, |html, remote| html.replace(remote, &local)),
    )
}

fn question_form(form: &QuestionForm, showing: &Showing<'_>, visit: &Visit) -> Markup {
    let body = html! {
        @for c in &form.overview { (content(c)) }
        @for (i, q) in form.question.iter().enumerate() { (question(q, i)) }
    };
    match showing {
        Showing::Preview => html! {
            form.stack.question-form aria-label="Questions (preview)" {
                fieldset disabled { legend { "Preview" } (body) }
            }
        },
        Showing::Work { assignment_id, .. } => html! {
            form.stack.question-form method="post" action="/mturk/submit"
                enctype="multipart/form-data" {
                (layout::csrf_field(visit))
                input type="hidden" name="assignmentId" value=(assignment_id);
                (body)
                p { button type="submit" { "Submit" } }
            }
        },
        Showing::Test { request_id } => html! {
            form.stack.question-form method="post" action="/mturk/qualification" {
                (layout::csrf_field(visit))
                input type="hidden" name="requestId" value=(request_id);
                (body)
                p { button type="submit" { "Submit answers" } }
            }
        },
    }
}

fn content(c: &ContentType) -> Markup {
    html! {
        @for t in &c.title { h3 { (t) } }
        @for t in &c.text { p { (t) } }
        @for l in &c.list { ul { @for item in &l.list_item { li { (item) } } } }
        // The schema allows only its XHTML subset, but it is the requester's markup: it is
        // shown in a frame of its own, with no scripts and no access to this page.
        @for f in &c.formatted_content {
            iframe.content title="Formatted content" sandbox="" srcdoc=(f) {}
        }
        // Remote content is linked, never loaded into the page.
        @for b in &c.binary { p { a href=(b.data_url) rel="noreferrer" { (b.alt_text) } } }
        @for b in &c.embedded_binary { p { a href=(b.data_url) rel="noreferrer" { (b.alt_text) } } }
        @if !c.application.is_empty() { p.notice { "This question embeds an application, which is not shown here." } }
    }
}

/// The form field of a question's answer.
fn field(q: &QuestionFormQuestion) -> String {
    format!("answer.{}", q.question_identifier)
}

fn question(q: &QuestionFormQuestion, index: usize) -> Markup {
    let id = format!("q{index}");
    let name = field(q);
    let required = q.is_required == Some(true);
    let title = q.display_name.as_deref().unwrap_or(&q.question_identifier);
    let spec = &q.answer_specification;
    html! {
        fieldset.question {
            legend { (title) @if required { " (required)" } }
            (content(&q.question_content))
            @if let Some(f) = &spec.free_text_answer { (free_text(f, &id, &name, required, "Your answer")) }
            @if let Some(s) = &spec.selection_answer { (selection(s, &id, &name, required)) }
            @if let Some(f) = &spec.file_upload_answer {
                label for=(id) { "File (" (f.min_file_size_in_bytes) " to " (f.max_file_size_in_bytes) " bytes)" }
                input id=(id) type="file" name=(name) required[required];
            }
        }
    }
}

fn free_text(f: &FreeTextAnswerType, id: &str, name: &str, required: bool, label: &str) -> Markup {
    let c = f.constraints.as_ref();
    let numeric = c.and_then(|c| c.is_numeric.as_ref());
    let length = c.and_then(|c| c.length.as_ref());
    let lines = f.number_of_lines_suggestion.unwrap_or(1);
    let default = f.default_text.as_deref().unwrap_or("");
    html! {
        label for=(id) { (label) }
        @if let Some(n) = numeric {
            input id=(id) type="number" name=(name) value=(default) required[required]
                min=[n.min_value] max=[n.max_value];
        } @else if lines > 1 {
            textarea id=(id) name=(name) rows=(lines.min(40)) required[required]
                minlength=[length.and_then(|l| l.min_length)]
                maxlength=[length.and_then(|l| l.max_length)] { (default) }
        } @else {
            input id=(id) type="text" name=(name) value=(default) required[required]
                minlength=[length.and_then(|l| l.min_length)]
                maxlength=[length.and_then(|l| l.max_length)];
        }
    }
}

fn choice_text(s: &crate::model::question_form::SelectionAnswerTypeSelectionsSelection) -> &str {
    s.text
        .as_deref()
        .or(s.binary.as_ref().map(|b| b.alt_text.as_str()))
        .or(s.formatted_content.as_deref())
        .unwrap_or(&s.selection_identifier)
}

fn selection(s: &SelectionAnswerType, id: &str, name: &str, required: bool) -> Markup {
    let style = s.style_suggestion.unwrap_or_default();
    let many = s.max_selection_count.is_some_and(|n| n > 1)
        || matches!(style, Style::Checkbox | Style::Multichooser);
    let listed = matches!(
        style,
        Style::List | Style::Dropdown | Style::Combobox | Style::Multichooser
    );
    let choices = &s.selections.selection;
    html! {
        @if listed {
            label for=(id) { "Your choice" }
            select id=(id) name=(name) multiple[many] required[required] {
                @if !many { option value="" { "—" } }
                @for c in choices { option value=(c.selection_identifier) { (choice_text(c)) } }
            }
        } @else {
            @for (i, c) in choices.iter().enumerate() {
                div.choice {
                    input id={(id) "-" (i)} type=(if many { "checkbox" } else { "radio" }) name=(name)
                        value=(c.selection_identifier) required[required && !many];
                    label for={(id) "-" (i)} { (choice_text(c)) }
                }
            }
        }
        @if let Some(other) = &s.selections.other_selection {
            (free_text(other, &format!("{id}-other"), &format!("{name}.other"), false, "Other"))
        }
    }
}

/// The typed answers and files a rendered QuestionForm posted: free text as FreeText,
/// choices as SelectionIdentifier (only those the question offers), the other choice as
/// OtherSelectionText, files for FileUploadAnswer questions. Unanswered questions are left out.
pub(crate) fn answers(
    question: &str,
    posted: &Posted,
) -> Result<(Vec<QuestionFormAnswersAnswer>, Vec<FileAnswer>), Refused> {
    let form = crate::xml::decode_document::<QuestionForm>(question.as_bytes())
        .map_err(|e| Refused::bad_input(format!("This HIT has no QuestionForm: {e}")))?;
    let mut given = Vec::new();
    let mut files = Vec::new();
    for q in &form.question {
        let name = field(q);
        let AnswerSpecificationType {
            free_text_answer,
            selection_answer,
            file_upload_answer,
        } = &q.answer_specification;
        let mut a = QuestionFormAnswersAnswer {
            question_identifier: q.question_identifier.clone(),
            ..Default::default()
        };
        if free_text_answer.is_some() {
            a.free_text = posted
                .get(&name)
                .filter(|t| !t.is_empty())
                .map(str::to_string);
        }
        if let Some(s) = selection_answer {
            a.selection_identifier = posted
                .all(&name)
                .filter(|v| {
                    s.selections
                        .selection
                        .iter()
                        .any(|c| c.selection_identifier == *v)
                })
                .map(str::to_string)
                .collect();
            if s.selections.other_selection.is_some() {
                a.other_selection_text = posted
                    .get(&format!("{name}.other"))
                    .filter(|t| !t.trim().is_empty())
                    .map(str::to_string);
            }
        }
        if file_upload_answer.is_some() {
            if let Some(f) = posted.files.iter().find(|f| f.field == name) {
                files.push(FileAnswer {
                    question_identifier: q.question_identifier.clone(),
                    file_name: f.file_name.clone(),
                    content: f.content.clone(),
                });
            }
            continue;
        }
        if a.free_text.is_some()
            || !a.selection_identifier.is_empty()
            || a.other_selection_text.is_some()
        {
            given.push(a);
        }
    }
    Ok((given, files))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str = r#"<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd">
      <Question><QuestionIdentifier>t</QuestionIdentifier><QuestionContent><Text>Say</Text></QuestionContent>
        <AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>
      <Question><QuestionIdentifier>s</QuestionIdentifier><QuestionContent><Text>Pick</Text></QuestionContent>
        <AnswerSpecification><SelectionAnswer><MaxSelectionCount>2</MaxSelectionCount><Selections>
          <Selection><SelectionIdentifier>a</SelectionIdentifier><Text>A</Text></Selection>
          <Selection><SelectionIdentifier>b</SelectionIdentifier><Text>B</Text></Selection>
          <OtherSelection/></Selections></SelectionAnswer></AnswerSpecification></Question>
      <Question><QuestionIdentifier>f</QuestionIdentifier><QuestionContent><Text>File</Text></QuestionContent>
        <AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>10</MaxFileSizeInBytes>
          <MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification></Question>
      <Question><QuestionIdentifier>unanswered</QuestionIdentifier><QuestionContent><Text>?</Text></QuestionContent>
        <AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>
    </QuestionForm>"#;

    #[test]
    fn posted_answers_are_typed_by_their_questions() {
        let field = |k: &str, v: &str| (k.to_string(), v.to_string());
        let posted = Posted {
            fields: vec![
                field("answer.t", "<b>hi</b>"),
                field("answer.s", "b"),
                field("answer.s", "not-offered"),
                field("answer.s", "a"),
                field("answer.s.other", "c"),
                field("answer.unanswered", ""),
                field("answer.nosuch", "x"),
            ],
            files: vec![super::super::form::PostedFile {
                field: "answer.f".into(),
                file_name: "a.txt".into(),
                content: b"abc".to_vec(),
            }],
        };
        let (given, files) = answers(FORM, &posted).unwrap();
        let by_id: Vec<_> = given
            .iter()
            .map(|a| {
                (
                    a.question_identifier.as_str(),
                    a.free_text.as_deref(),
                    a.selection_identifier.clone(),
                    a.other_selection_text.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            by_id,
            [
                ("t", Some("<b>hi</b>"), vec![], None),
                ("s", None, vec!["b".to_string(), "a".to_string()], Some("c")),
            ]
        );
        assert_eq!(files.len(), 1);
        assert_eq!(
            (
                files[0].question_identifier.as_str(),
                files[0].content.as_slice()
            ),
            ("f", &b"abc"[..])
        );
    }

    #[test]
    fn forms_render_labelled_controls_and_escape_their_text() {
        let visit = Visit::from_headers(&hyper::HeaderMap::new(), None);
        let html = render(
            &FORM.replace("<Text>Say</Text>", "<Text>&lt;script&gt;</Text>"),
            "H",
            &Showing::Work {
                assignment_id: "A",
                worker_id: "W",
            },
            &visit,
        )
        .into_string();
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script>"),
            "{html}"
        );
        assert!(
            html.contains(r#"type="checkbox" name="answer.s" value="a""#),
            "{html}"
        );
        assert!(html.contains(r#"type="file" name="answer.f""#), "{html}");
        assert!(html.contains(r#"enctype="multipart/form-data""#), "{html}");
        for id in ["q0", "q1-0", "q1-1", "q1-other", "q2", "q3"] {
            assert!(
                html.contains(&format!(r#"<label for="{id}">"#)),
                "label for {id}: {html}"
            );
        }
    }

    #[test]
    fn frame_urls_keep_the_task_pages_own_query() {
        assert_eq!(
            with_query(
                "http://h/task?x=1#top",
                &[("assignmentId", NOT_AVAILABLE), ("hitId", "H")]
            ),
            "http://h/task?x=1&assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=H#top"
        );
        assert_eq!(
            with_query("http://h/t", &[("a", "b c")]),
            "http://h/t?a=b+c"
        );
        assert_eq!(with_query("http://h/t?", &[("a", "&")]), "http://h/t?a=%26");
    }
}
