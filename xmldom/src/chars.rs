//! Which characters XML 1.0 allows: `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
//! [#x10000-#x10FFFF]`. A Rust `str` holds no surrogates, so what is left to refuse is the C0
//! controls other than tab, newline and carriage return, and U+FFFE and U+FFFF.

/// Whether `c` may appear in an XML 1.0 document.
#[inline]
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{FFFD}' | '\u{10000}'..)
}

/// The byte offset and value of the first character of `s` that XML 1.0 does not allow.
///
/// A byte scan: only a C0 byte or the lead of `EF BF BE`/`EF BF BF` can start one. Runs of 16
/// bytes holding neither are passed over whole, in a test the compiler vectorises: nearly all
/// text is such runs, and a byte at a time was most of the time a small request's parse took.
pub fn first_non_xml_char(s: &str) -> Option<(usize, char)> {
    const RUN: usize = 16;
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(run) = bytes.get(i..i + RUN) {
        if run
            .iter()
            .fold(false, |odd, &b| odd | (b < 0x20) | (b == 0xEF))
        {
            break;
        }
        i += RUN;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some((i, char::from(b)));
        }
        if b == 0xEF && bytes.get(i + 1) == Some(&0xBF) {
            match bytes.get(i + 2) {
                Some(0xBE) => return Some((i, '\u{FFFE}')),
                Some(0xBF) => return Some((i, '\u{FFFF}')),
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// Whether `c` may start an XML 1.0 (fifth edition) name, the colon aside.
fn is_name_start_char(c: char) -> bool {
    matches!(c,
        'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// Whether `c` may continue an XML 1.0 name, the colon aside.
fn is_name_char(c: char) -> bool {
    is_name_start_char(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an NCName: a name without a colon, as prefixes and local parts must be.
pub(crate) fn is_ncname(s: &str) -> bool {
    // Nearly every name is ASCII, which is checked a byte at a time without decoding.
    if let Some((&first, rest)) = s.as_bytes().split_first().filter(|_| s.is_ascii()) {
        return (first.is_ascii_alphabetic() || first == b'_')
            && rest
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    }
    let mut chars = s.chars();
    chars.next().is_some_and(is_name_start_char) && chars.all(is_name_char)
}

/// Whether `s` is a QName: an NCName, or two joined by one colon.
pub(crate) fn is_qname(s: &str) -> bool {
    match s.split_once(':') {
        Some((prefix, local)) => is_ncname(prefix) && is_ncname(local),
        None => is_ncname(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_agrees_with_the_production() {
        let all: String = (0u32..0x11_0000).filter_map(char::from_u32).collect();
        let expected: Vec<char> = all.chars().filter(|c| !is_xml_char(*c)).collect();
        let mut found = Vec::new();
        let mut rest = all.as_str();
        while let Some((at, c)) = first_non_xml_char(rest) {
            found.push(c);
            rest = &rest[at + c.len_utf8()..];
        }
        assert_eq!(found, expected);
        assert_eq!(expected.len(), 29 + 2);
        assert!(is_xml_char('\u{10FFFF}') && is_xml_char('\u{FFFD}') && !is_xml_char('\u{0}'));
    }

    #[test]
    fn a_refused_character_is_found_wherever_it_falls_in_a_run() {
        for bad in ['\u{1}', '\u{FFFE}', '\u{FFFF}'] {
            for at in 0..40 {
                let text = format!("{}{bad}{}", "a".repeat(at), "b".repeat(40 - at));
                assert_eq!(
                    first_non_xml_char(&text),
                    Some((at, bad)),
                    "{bad:?} at {at}"
                );
            }
        }
        // Allowed characters sharing the refused ones' lead byte are passed over.
        let text = format!("{}\u{FFFD}\u{F000}{}", "a".repeat(14), "b".repeat(30));
        assert_eq!(first_non_xml_char(&text), None);
    }

    #[test]
    fn qualified_names_are_one_or_two_ncnames() {
        for good in [
            "a",
            "soapenv:Envelope",
            "_x-1.b",
            "\u{E9}t\u{E9}",
            "a\u{B7}b",
        ] {
            assert!(is_qname(good), "{good}");
        }
        for bad in [
            "",
            ":a",
            "a:",
            "a:b:c",
            ":xsi:s)chema",
            "1a",
            "-a",
            "a b",
            "a)b",
            "x:1",
        ] {
            assert!(!is_qname(bad), "{bad}");
        }
        assert!(is_ncname("xsi") && !is_ncname("xs:i"));
        // The ASCII shortcut agrees with the productions.
        for c in (0u8..128).map(char::from) {
            assert_eq!(is_ncname(&c.to_string()), is_name_start_char(c), "{c:?}");
            assert_eq!(is_ncname(&format!("a{c}")), is_name_char(c), "a{c:?}");
        }
    }
}
