//! Escaping of text and attribute values, for serialising trees and for writers built on them.

/// Appends `s` to `out` escaped for element content: `& < > "` become entity
/// references, `\r` a character reference, and what XML 1.0 does not allow (other C0
/// controls, U+FFFE, U+FFFF) U+FFFD, so that whatever was stored, the answer is well-formed.
#[inline]
pub fn escape_text_into(out: &mut String, s: &str) {
    escape_into(out, s, false)
}

/// Appends `s` to `out` escaped for a double-quoted attribute value (also escapes
/// tab, newline and carriage return so they survive attribute normalisation).
#[inline]
pub fn escape_attr_into(out: &mut String, s: &str) {
    escape_into(out, s, true)
}

#[inline]
fn escape_into(out: &mut String, s: &str, attr: bool) {
    let bytes = s.as_bytes();
    // Most values (ids, numbers, dates, titles) hold nothing to escape: one test of every byte,
    // which the compiler vectorises, and one copy.
    let plain = bytes.iter().fold(true, |plain, &b| {
        plain & (b >= 0x20) & !matches!(b, b'&' | b'<' | b'>' | b'"' | 0xEF)
    });
    if plain {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mut width = 1;
        let rep: &str = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\r' => "&#13;",
            b'\n' if attr => "&#10;",
            b'\t' if attr => "&#9;",
            b'\n' | b'\t' => {
                i += 1;
                continue;
            }
            0..=0x1f => "\u{FFFD}",
            // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
            0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => {
                width = 3;
                "\u{FFFD}"
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        i += width;
        last = i;
    }
    out.push_str(&s[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_xml_does_not_allow_is_written_as_the_replacement_character() {
        let mut out = String::new();
        escape_text_into(&mut out, "a\u{0}b\u{FFFE}c\u{FFFF}d\u{FFFD}\u{EFBF}e<&\t\n");
        assert_eq!(
            out,
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}\u{EFBF}e&lt;&amp;\t\n"
        );
        let mut out = String::new();
        escape_attr_into(&mut out, "\u{FFFF}\t\"");
        assert_eq!(out, "\u{FFFD}&#9;&quot;");
    }

    #[test]
    fn a_character_to_escape_is_found_wherever_it_falls() {
        let cases = [
            ("&", "&amp;"),
            ("<", "&lt;"),
            (">", "&gt;"),
            ("\"", "&quot;"),
            ("\r", "&#13;"),
            ("\u{1}", "\u{FFFD}"),
            ("\u{FFFE}", "\u{FFFD}"),
            ("\u{EFBF}", "\u{EFBF}"),
        ];
        for (raw, escaped) in cases {
            for at in 0..40 {
                let (before, after) = ("a".repeat(at), "\u{E9}".repeat(40 - at));
                let mut out = String::new();
                escape_text_into(&mut out, &format!("{before}{raw}{after}"));
                assert_eq!(out, format!("{before}{escaped}{after}"), "{raw:?} at {at}");
            }
        }
        let mut out = String::new();
        escape_attr_into(&mut out, "id\n");
        assert_eq!(out, "id&#10;");
    }
}
