use super::create::{fill_layout, html_question_document};
use super::types::requirement;
use crate::error::OpError;
use crate::handlers::questions;
use crate::model::requester as api;
use crate::store;

fn layout(html: &str) -> store::HitLayout {
    store::HitLayout {
        hit_layout_id: "LAYOUT1".into(),
        html_content: html.into(),
        frame_height: 450,
    }
}

fn param(name: &str, value: &str) -> api::HITLayoutParameter {
    api::HITLayoutParameter {
        name: name.into(),
        value: value.into(),
    }
}

#[test]
fn layouts_fill_every_placeholder() {
    let l = layout("<p>${name}</p><img src=\"${image_url}\"> ${name} costs $5 {x} ${not valid}");
    let filled = fill_layout(
        &l,
        &[
            param("name", "Lyon & <b>Paris</b>"),
            param("image_url", "https://example.com/a.png"),
            param("unused", "ignored"),
        ],
    )
    .unwrap();
    assert_eq!(
        filled,
        "<p>Lyon & <b>Paris</b></p><img src=\"https://example.com/a.png\"> Lyon & <b>Paris</b> costs $5 {x} ${not valid}"
    );
}

#[test]
fn a_missing_layout_parameter_is_refused() {
    let err = fill_layout(&layout("<p>${name}</p>"), &[param("other", "x")]).unwrap_err();
    assert_eq!(err.code(), "AWS.MechanicalTurk.InvalidParameterValue");
    assert!(err.to_string().contains("name"), "{err}");
    // An unterminated placeholder is plain text.
    assert_eq!(fill_layout(&layout("a ${b"), &[]).unwrap(), "a ${b");
}

#[test]
fn layout_questions_are_valid_html_questions_even_with_cdata_ends() {
    let doc = html_question_document("<p>]]> and ]]></p>", 300);
    assert_eq!(
        questions::validate_question(&doc),
        Ok(questions::QuestionKind::HTMLQuestion)
    );
    assert!(doc.contains("<FrameHeight>300</FrameHeight>"));
}

#[test]
fn requirements_take_values_only_where_their_comparator_does() {
    let store = store::Store::open(":memory:").unwrap();
    let req = |comparator, ints: Vec<i32>| api::QualificationRequirement {
        qualification_type_id: "00000000000000000040".into(),
        comparator,
        integer_value: ints,
        locale_value: vec![],
        required_to_preview: None,
    };
    store
        .read(|tx| {
            assert!(requirement(tx, &req(api::Comparator::Exists, vec![])).is_ok());
            assert!(requirement(tx, &req(api::Comparator::Exists, vec![1])).is_err());
            assert!(requirement(tx, &req(api::Comparator::GreaterThan, vec![])).is_err());
            assert!(requirement(tx, &req(api::Comparator::GreaterThan, vec![1, 2])).is_err());
            assert!(requirement(tx, &req(api::Comparator::In, (0..15).collect())).is_ok());
            assert!(requirement(tx, &req(api::Comparator::In, (0..16).collect())).is_err());
            Ok::<_, OpError>(())
        })
        .unwrap();
}
