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

#[test]
fn worker_locale_takes_only_locale_values_and_equality_or_membership() {
    let store = store::Store::open(":memory:").unwrap();
    let locale = |country: &str| api::Locale {
        country: Some(country.into()),
        subdivision: None,
    };
    let req = |id: &str, comparator, ints: Vec<i32>, locales: Vec<api::Locale>| {
        api::QualificationRequirement {
            qualification_type_id: id.into(),
            comparator,
            integer_value: ints,
            locale_value: locales,
            required_to_preview: None,
        }
    };
    let loc = "00000000000000000071";
    let approved = "00000000000000000040";
    store
        .read(|tx| {
            for c in [
                api::Comparator::EqualTo,
                api::Comparator::NotEqualTo,
                api::Comparator::In,
                api::Comparator::NotIn,
            ] {
                assert!(requirement(tx, &req(loc, c, vec![], vec![locale("US")])).is_ok());
            }
            for c in [api::Comparator::GreaterThan, api::Comparator::LessThan] {
                let e = requirement(tx, &req(loc, c, vec![], vec![locale("US")])).unwrap_err();
                assert_eq!(e.code(), "AWS.MechanicalTurk.InvalidParameterValue");
            }
            let e = requirement(tx, &req(loc, api::Comparator::Exists, vec![], vec![]));
            assert!(e.is_ok(), "Exists takes no value");
            let e = requirement(tx, &req(loc, api::Comparator::EqualTo, vec![1], vec![]));
            assert!(e.unwrap_err().to_string().contains("not an IntegerValue"));
            let e = requirement(
                tx,
                &req(
                    approved,
                    api::Comparator::EqualTo,
                    vec![],
                    vec![locale("US")],
                ),
            );
            assert!(e.unwrap_err().to_string().contains("takes no LocaleValue"));
            Ok::<_, OpError>(())
        })
        .unwrap();
}

#[test]
fn hits_created_before_2015_07_22_cannot_be_extended() {
    use crate::handlers::test_support::{at, call, create_hit, service};
    use crate::model::requester::Requester;
    let svc = service(at("2015-07-21T23:59:59Z"));
    let old = create_hit(&svc, |_| {}).unwrap();
    svc.set_clock(at("2015-07-22T00:00:00Z")).unwrap();
    let new = create_hit(&svc, |_| {}).unwrap();
    let extend = |hit: &api::HIT| {
        svc.extend_hit(
            &call(&svc),
            api::ExtendHITRequest {
                hit_id: hit.hit_id.clone().unwrap_or_default(),
                expiration_increment_in_seconds: Some(3600),
                ..Default::default()
            },
        )
    };
    let e = extend(&old).unwrap_err();
    assert_eq!(e.code(), "AWS.MechanicalTurk.HITTooOldForExtension");
    assert!(extend(&new).is_ok());
}

#[test]
fn disposing_a_qualification_type_disposes_of_the_hit_types_requiring_it() {
    use crate::handlers::test_support::{at, call, create_hit, service};
    use crate::model::requester::Requester;
    let svc = service(at("2026-03-01T12:00:00Z"));
    let qt = svc
        .create_qualification_type(
            &call(&svc),
            api::CreateQualificationTypeRequest {
                name: "Disposable".into(),
                description: Some("Goes away".into()),
                qualification_type_status: Some(api::QualificationTypeStatus::Active),
                ..Default::default()
            },
        )
        .unwrap();
    let qt_id = qt.qualification_type_id.unwrap_or_default();
    let requiring = |r: &mut api::CreateHITRequest| {
        r.qualification_requirement = vec![api::QualificationRequirement {
            qualification_type_id: qt_id.clone(),
            comparator: api::Comparator::Exists,
            ..Default::default()
        }]
    };
    let hit_type = create_hit(&svc, requiring).unwrap().hit_type_id.unwrap();
    let by_type = || create_hit(&svc, |r| r.hit_type_id = Some(hit_type.clone()));
    assert!(by_type().is_ok());
    svc.dispose_qualification_type(
        &call(&svc),
        api::DisposeQualificationTypeRequest {
            qualification_type_id: Some(qt_id),
        },
    )
    .unwrap();
    let e = by_type().unwrap_err();
    assert_eq!(e.code(), "AWS.MechanicalTurk.InvalidParameterValue");
    assert!(e.to_string().contains("does not exist"), "{e}");
}
