use super::eligibility::{meets, Held};
use super::marketplace::LocaleView;
use super::properties::check_locale;
use crate::store;

fn req(
    comparator: &str,
    ints: &[i32],
    locales: &[(&str, Option<&str>)],
) -> store::QualificationRequirement {
    store::QualificationRequirement {
        qualification_type_id: "Q".into(),
        comparator: comparator.parse().expect("a comparator"),
        integer_values: ints.to_vec(),
        locale_values: locales
            .iter()
            .map(|(c, s)| store::Locale {
                country: Some(c.to_string()),
                subdivision: s.map(str::to_string),
            })
            .collect(),
        required_to_preview: None,
    }
}

fn score(v: i32) -> Held {
    Held {
        integer: Some(v),
        locale: None,
    }
}

fn place(country: &str, subdivision: Option<&str>) -> Held {
    Held {
        integer: None,
        locale: Some(store::Locale {
            country: Some(country.into()),
            subdivision: subdivision.map(str::to_string),
        }),
    }
}

#[test]
fn integer_comparators_compare_the_workers_score_with_the_value() {
    let cases: &[(&str, &[i32], bool)] = &[
        ("LessThan", &[51], true),
        ("LessThan", &[50], false),
        ("LessThanOrEqualTo", &[50], true),
        ("LessThanOrEqualTo", &[49], false),
        ("GreaterThan", &[49], true),
        ("GreaterThan", &[50], false),
        ("GreaterThanOrEqualTo", &[50], true),
        ("GreaterThanOrEqualTo", &[51], false),
        ("EqualTo", &[50], true),
        ("EqualTo", &[51], false),
        ("NotEqualTo", &[51], true),
        ("NotEqualTo", &[50], false),
        ("In", &[10, 50, 90], true),
        ("In", &[10, 90], false),
        ("NotIn", &[10, 90], true),
        ("NotIn", &[10, 50], false),
        ("Exists", &[], true),
        ("DoesNotExist", &[], false),
    ];
    for (comparator, values, expected) in cases {
        assert_eq!(
            meets(&req(comparator, values, &[]), Some(&score(50))),
            *expected,
            "{comparator} {values:?} against 50"
        );
    }
}

#[test]
fn without_the_qualification_only_does_not_exist_is_met() {
    for comparator in [
        "LessThan",
        "LessThanOrEqualTo",
        "GreaterThan",
        "GreaterThanOrEqualTo",
        "EqualTo",
        "NotEqualTo",
        "In",
        "NotIn",
        "Exists",
    ] {
        assert!(!meets(&req(comparator, &[1], &[]), None), "{comparator}");
    }
    assert!(meets(&req("DoesNotExist", &[], &[]), None));
    // A qualification without a score meets Exists but no comparison.
    let bare = Held::default();
    assert!(meets(&req("Exists", &[], &[]), Some(&bare)));
    assert!(!meets(&req("NotEqualTo", &[1], &[]), Some(&bare)));
    // An unknown comparator cannot be stored, so it never reaches a worker.
    assert!("Bogus".parse::<store::Comparator>().is_err());
}

#[test]
fn locale_comparators_match_country_and_optional_subdivision() {
    let seattle = place("US", Some("WA"));
    let berlin = place("DE", None);
    let us = &[("US", None)][..];
    let wa = &[("US", Some("WA"))][..];
    let ca = &[("US", Some("CA"))][..];
    assert!(meets(&req("EqualTo", &[], us), Some(&seattle)));
    assert!(meets(&req("EqualTo", &[], wa), Some(&seattle)));
    assert!(!meets(&req("EqualTo", &[], ca), Some(&seattle)));
    assert!(!meets(&req("EqualTo", &[], us), Some(&berlin)));
    assert!(!meets(&req("EqualTo", &[], wa), Some(&place("US", None))));
    assert!(meets(&req("EqualTo", &[], &[("us", None)]), Some(&seattle)));
    assert!(meets(&req("NotEqualTo", &[], us), Some(&berlin)));
    assert!(!meets(&req("NotEqualTo", &[], us), Some(&seattle)));
    assert!(meets(&req("NotEqualTo", &[], ca), Some(&seattle)));
    let some = &[("GB", None), ("US", Some("WA"))][..];
    assert!(meets(&req("In", &[], some), Some(&seattle)));
    assert!(!meets(&req("In", &[], some), Some(&berlin)));
    assert!(meets(&req("NotIn", &[], some), Some(&berlin)));
    assert!(!meets(&req("NotIn", &[], some), Some(&seattle)));
    // No locale: only DoesNotExist.
    assert!(!meets(&req("NotEqualTo", &[], us), None));
    assert!(!meets(&req("NotIn", &[], us), None));
    assert!(meets(&req("DoesNotExist", &[], &[]), None));
    // A score is not a place, and places have no order.
    assert!(!meets(&req("EqualTo", &[], us), Some(&score(1))));
    assert!(!meets(&req("LessThan", &[], us), Some(&seattle)));
}

#[test]
fn locales_are_checked_before_they_are_kept() {
    let ok = check_locale(&LocaleView {
        country: "us".into(),
        subdivision: Some("wa".into()),
    })
    .unwrap();
    assert_eq!(ok.country.as_deref(), Some("US"));
    assert_eq!(ok.subdivision.as_deref(), Some("WA"));
    for (country, subdivision) in [
        ("USA", None),
        ("U1", None),
        ("", None),
        ("US", Some("WASH")),
    ] {
        let bad = LocaleView {
            country: country.into(),
            subdivision: subdivision.map(str::to_string),
        };
        assert!(check_locale(&bad).is_err(), "{country} {subdivision:?}");
    }
}
