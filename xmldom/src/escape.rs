//! Escaping of text and attribute values, for serialising trees and for writers built on them.

/// Appends `s` to `out` escaped for element content: `& < > "` become entity
/// references, `\r` a character reference, other C0 controls (illegal in XML 1.0)
/// U+FFFD.
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
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &str = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\r' => "&#13;",
            b'\n' if attr => "&#10;",
            b'\t' if attr => "&#9;",
            b'\n' | b'\t' => continue,
            0..=0x1f => "\u{FFFD}",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}
