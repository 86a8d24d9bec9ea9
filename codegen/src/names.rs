//! Rust identifiers for schema names.

use heck::{ToSnakeCase, ToUpperCamelCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Acronyms whose plural (`HITs`) appears in schema names.
const PLURAL_ACRONYMS: &[&str] = &["HIT", "URL", "ID"];

/// Treats a known plural acronym as one word: `GetHITsFor` → `GetHitsFor` (so that
/// heck does not split it as `HI` + `Ts`), leaving `SetHITAsReviewing` alone.
pub(crate) fn fix_plural_acronyms(s: &str) -> String {
    let c: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < c.len() {
        if c[i].is_ascii_uppercase() {
            let mut j = i;
            while j < c.len() && c[j].is_ascii_uppercase() {
                j += 1;
            }
            let run: String = c[i..j].iter().collect();
            let plural = PLURAL_ACRONYMS.contains(&run.as_str())
                && j < c.len()
                && c[j] == 's'
                && (j + 1 == c.len() || !c[j + 1].is_ascii_lowercase());
            if plural {
                out.push(c[i]);
                out.extend(c[i + 1..j].iter().map(|ch| ch.to_ascii_lowercase()));
                i = j;
                continue;
            }
            out.extend(&c[i..j]);
            i = j;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

fn sanitize(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A field or method name: heck snake_case, raw identifier for keywords.
pub fn snake_ident(name: &str) -> String {
    let s = sanitize(&fix_plural_acronyms(name).to_snake_case());
    match s.as_str() {
        "self" | "super" | "crate" | "Self" => format!("{}_", s),
        _ if KEYWORDS.contains(&s.as_str()) => format!("r#{}", s),
        _ => s,
    }
}

/// A type name: the schema name verbatim when it is a valid identifier.
pub fn type_ident(name: &str) -> String {
    let s = sanitize(name);
    if s == "Self" {
        "Self_".to_string()
    } else {
        s
    }
}

/// An enum variant for an enumeration value: heck UpperCamelCase.
pub fn variant_ident(value: &str) -> String {
    let s = fix_plural_acronyms(value).to_upper_camel_case();
    let s: String = s.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if s.is_empty() {
        "Empty".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{}", s)
    } else if s == "Self" {
        "Self_".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        for (i, o) in [
            ("HITId", "hit_id"),
            ("AWSAccessKeyId", "aws_access_key_id"),
            ("IsValid", "is_valid"),
            (
                "NumberOfAssignmentsPending",
                "number_of_assignments_pending",
            ),
            ("GetAssignmentRequest", "get_assignment_request"),
            (
                "GetHITsForQualificationType",
                "get_hits_for_qualification_type",
            ),
            ("ChangeHITTypeOfHIT", "change_hit_type_of_hit"),
            ("GetFileUploadURL", "get_file_upload_url"),
            ("SetHITAsReviewing", "set_hit_as_reviewing"),
            ("Type", "r#type"),
            ("minValue", "min_value"),
            ("Self", "self_"),
        ] {
            assert_eq!(snake_ident(i), o, "{i}");
        }
    }

    #[test]
    fn variants_and_types() {
        for (name, ident) in [
            ("radiobutton", "Radiobutton"),
            ("HITCreated", "HitCreated"),
            ("NumberHITsAssignable", "NumberHitsAssignable"),
            ("SOAP", "Soap"),
            ("1x", "V1x"),
        ] {
            assert_eq!(variant_ident(name), ident);
        }
        assert_eq!(type_ident("HIT"), "HIT");
        assert_eq!(type_ident("a.content"), "a_content");
        for (name, fixed) in [
            ("HITs", "Hits"),
            ("HITsAreHITS", "HitsAreHITS"),
            ("HITset", "HITset"),
            ("SetHITAsReviewing", "SetHITAsReviewing"),
            ("WorkerIDs", "WorkerIds"),
        ] {
            assert_eq!(fix_plural_acronyms(name), fixed);
        }
    }
}
