//! Translates XML Schema regular expressions (XSD 1.0, appendix F) into the `regex` crate's
//! syntax. The differences that matter: an XSD pattern is implicitly anchored at both ends; `^`
//! and `$` are ordinary characters; `.` excludes only newline and carriage return; `\s`, `\w`,
//! `\i` and `\c` have XML meanings; character classes subtract with `-[…]`.

use regex::Regex;

use super::datatypes::{NAME_REST, NAME_START};

const SPACE: &str = " \\t\\n\\r";
const WORD_NOT: &str = "\\p{P}\\p{Z}\\p{C}";

/// Compiles an XSD pattern into an anchored regex.
pub(super) fn compile(pattern: &str) -> Result<Regex, String> {
    let body = translate(pattern)?;
    Regex::new(&format!("\\A(?:{body})\\z"))
        .map_err(|e| format!("pattern '{pattern}' cannot be compiled: {e}"))
}

/// What a backslash escape stands for.
enum Escape {
    Char(char),
    /// A class body (what goes between the brackets), and whether it is negated.
    Class(String, bool),
    /// `\p{…}` or `\P{…}`, passed through.
    Property(String),
}

fn escape(chars: &[char], i: &mut usize, pattern: &str) -> Result<Escape, String> {
    let c = *chars
        .get(*i)
        .ok_or_else(|| format!("pattern '{pattern}' ends with a backslash"))?;
    *i += 1;
    Ok(match c {
        'n' => Escape::Char('\n'),
        'r' => Escape::Char('\r'),
        't' => Escape::Char('\t'),
        '\\' | '|' | '.' | '-' | '^' | '?' | '*' | '+' | '{' | '}' | '(' | ')' | '[' | ']' => {
            Escape::Char(c)
        }
        's' => Escape::Class(SPACE.into(), false),
        'S' => Escape::Class(SPACE.into(), true),
        'd' => Escape::Class("\\p{Nd}".into(), false),
        'D' => Escape::Class("\\p{Nd}".into(), true),
        'w' => Escape::Class(WORD_NOT.into(), true),
        'W' => Escape::Class(WORD_NOT.into(), false),
        'i' => Escape::Class(format!(":{NAME_START}"), false),
        'I' => Escape::Class(format!(":{NAME_START}"), true),
        'c' => Escape::Class(format!(":{NAME_START}{NAME_REST}"), false),
        'C' => Escape::Class(format!(":{NAME_START}{NAME_REST}"), true),
        'p' | 'P' => {
            let rest: String = chars[*i..].iter().collect();
            let end = rest
                .find('}')
                .filter(|_| rest.starts_with('{'))
                .ok_or_else(|| format!("pattern '{pattern}' has an unterminated \\{c}{{…}}"))?;
            let name = &rest[1..end];
            if name.starts_with("Is") {
                return Err(format!(
                    "pattern '{pattern}' uses the Unicode block escape \\{c}{{{name}}}, which is not supported"
                ));
            }
            *i += end + 1;
            Escape::Property(format!("\\{c}{{{name}}}"))
        }
        other => {
            return Err(format!(
                "pattern '{pattern}' has an unknown escape \\{other}"
            ))
        }
    })
}

fn literal(c: char) -> String {
    regex::escape(&c.to_string())
}

/// A character for use inside a `regex` class.
fn class_literal(c: char) -> String {
    match c {
        '[' | ']' | '\\' | '-' | '^' | '&' | '~' | '|' => format!("\\{c}"),
        '\n' => "\\n".into(),
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        c => c.to_string(),
    }
}

fn class_from_escape(body: &str, negated: bool) -> String {
    format!("[{}{body}]", if negated { "^" } else { "" })
}

fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => match escape(&chars, &mut i, pattern)? {
                Escape::Char(c) => out.push_str(&literal(c)),
                Escape::Class(body, neg) => out.push_str(&class_from_escape(&body, neg)),
                Escape::Property(p) => out.push_str(&p),
            },
            '.' => out.push_str("[^\\n\\r]"),
            '^' | '$' => out.push_str(&literal(c)),
            '[' => out.push_str(&class(&chars, &mut i, pattern)?),
            ']' => return Err(format!("pattern '{pattern}' has an unmatched ']'")),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Translates a character class; `i` is just past its `[`, and is left just past its `]`.
fn class(chars: &[char], i: &mut usize, pattern: &str) -> Result<String, String> {
    let negated = chars.get(*i) == Some(&'^');
    if negated {
        *i += 1;
    }
    let mut items = String::new();
    let mut first = true;
    loop {
        let c = *chars
            .get(*i)
            .ok_or_else(|| format!("pattern '{pattern}' has an unterminated character class"))?;
        if c == ']' && !first {
            *i += 1;
            return Ok(if negated {
                format!("[^{items}]")
            } else {
                format!("[{items}]")
            });
        }
        if c == '-' && chars.get(*i + 1) == Some(&'[') && !first {
            *i += 2;
            let sub = class(chars, i, pattern)?;
            if chars.get(*i) != Some(&']') {
                return Err(format!(
                    "pattern '{pattern}' has a class subtraction that is not last in its class"
                ));
            }
            *i += 1;
            let base = if negated {
                format!("[^{items}]")
            } else {
                format!("[{items}]")
            };
            return Ok(format!("[{base}--{sub}]"));
        }
        first = false;
        *i += 1;
        // One class item: a character (maybe the start of a range) or a class escape.
        let start = match c {
            '\\' => match escape(chars, i, pattern)? {
                Escape::Char(c) => c,
                Escape::Class(body, neg) => {
                    items.push_str(&class_from_escape(&body, neg));
                    continue;
                }
                Escape::Property(p) => {
                    items.push_str(&p);
                    continue;
                }
            },
            '[' => {
                return Err(format!(
                    "pattern '{pattern}' has an unescaped '[' inside a character class"
                ))
            }
            c => c,
        };
        let is_range =
            chars.get(*i) == Some(&'-') && chars.get(*i + 1).is_some_and(|&n| n != ']' && n != '[');
        if is_range {
            *i += 1;
            let e = chars[*i];
            *i += 1;
            let end = if e == '\\' {
                match escape(chars, i, pattern)? {
                    Escape::Char(c) => c,
                    _ => {
                        return Err(format!(
                            "pattern '{pattern}' ends a range with a class escape"
                        ))
                    }
                }
            } else {
                e
            };
            if end < start {
                return Err(format!("pattern '{pattern}' has a reversed range"));
            }
            items.push_str(&class_literal(start));
            items.push('-');
            items.push_str(&class_literal(end));
        } else {
            items.push_str(&class_literal(start));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> bool {
        compile(p).unwrap().is_match(s)
    }

    #[test]
    fn anchored_and_dot_excludes_newlines() {
        assert!(m("(http|https)://.*", "https://example.com/x?y"));
        assert!(!m("(http|https)://.*", "ftp://example.com"));
        assert!(!m("(http|https)://.*", "xhttp://example.com"));
        assert!(!m("(http|https)://.*", "http://a\nb"));
        assert!(m("a|b", "b"));
        assert!(!m("a|b", "ab"));
    }

    #[test]
    fn caret_and_dollar_are_literal() {
        assert!(m("^a$", "^a$"));
        assert!(!m("^a$", "a"));
    }

    #[test]
    fn bundled_xhtml_patterns() {
        assert!(m(r"[\-+]?(\d+|\d+(\.\d+)?%)", "-50%"));
        assert!(m(r"[\-+]?(\d+|\d+(\.\d+)?%)", "100"));
        assert!(!m(r"[\-+]?(\d+|\d+(\.\d+)?%)", "10px"));
        assert!(m(r"[^,]+(,\s*[^,]+)*", "screen, print"));
        assert!(!m(r"[^,]+(,\s*[^,]+)*", "a,,b"));
        assert!(m(r"_(blank|self|parent|top)|[A-Za-z]\c*", "_blank"));
        assert!(m(r"_(blank|self|parent|top)|[A-Za-z]\c*", "frame-1.x"));
        assert!(!m(r"_(blank|self|parent|top)|[A-Za-z]\c*", "_other"));
        assert!(m("[A-Za-z]+|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}", "#FFaa00"));
        assert!(!m("[A-Za-z]+|#[0-9A-Fa-f]{3}|#[0-9A-Fa-f]{6}", "#FFaa0"));
        assert!(m(r"[\-+]?(\d+|\d+(\.\d+)?%)|[1-9]?(\d+)?\*", "3*"));
    }

    #[test]
    fn xml_classes_and_subtraction() {
        assert!(m(r"\i\c*", "_a-b.c"));
        assert!(!m(r"\i\c*", "-a"));
        assert!(m(r"[a-z-[aeiou]]+", "xyz"));
        assert!(!m(r"[a-z-[aeiou]]+", "xaz"));
        assert!(m(r"[^a-c-[d]]", "e"));
        assert!(!m(r"[^a-c-[d]]", "d"));
        assert!(!m(r"[^a-c-[d]]", "a"));
        assert!(m(r"\s", "\t"));
        assert!(!m(r"\s", "\u{a0}"));
        assert!(m(r"\w+", "abc1é"));
        assert!(!m(r"\w", "!"));
        assert!(m(r"[-a]+", "-a-"));
        assert!(m(r"[a-]+", "-a-"));
        assert!(m(r"\p{Lu}\P{Lu}", "Ab"));
        assert!(m(r"a{2,3}", "aaa"));
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(compile("[abc").is_err());
        assert!(compile("abc\\").is_err());
        assert!(compile(r"\q").is_err());
        assert!(compile(r"\p{IsBasicLatin}").is_err());
        assert!(compile("[z-a]").is_err());
    }
}
